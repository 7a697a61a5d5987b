import type { GitRunner } from './git-runner'

/** The commit a local branch points at, or null when it does not exist (or git cannot run there). */
export async function branchTip(git: GitRunner, cwd: string, branch: string): Promise<string | null> {
  try {
    const out = await git.exec(cwd, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`])
    return out.exitCode === 0 && out.stdout.trim() ? out.stdout.trim() : null
  } catch {
    return null
  }
}
