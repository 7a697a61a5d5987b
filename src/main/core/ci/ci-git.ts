import type { GitRunner } from '../git/git-runner'

async function revParse(git: GitRunner, cwd: string, ref: string): Promise<string | null> {
  try {
    const out = await git.exec(cwd, ['rev-parse', '--verify', '--quiet', ref])
    return out.exitCode === 0 && out.stdout.trim() ? out.stdout.trim() : null
  } catch {
    // The worktree is gone or git could not run: nothing is known to be pushed.
    return null
  }
}

/**
 * The commit of `branch` on its remote, as far as this clone knows: its upstream, else
 * `origin/<branch>`. Null when the branch was never pushed. Pushing updates it; nothing is fetched.
 */
export async function pushedCommit(git: GitRunner, worktree: string, branch: string): Promise<string | null> {
  return (
    (await revParse(git, worktree, `refs/heads/${branch}@{upstream}^{commit}`)) ??
    revParse(git, worktree, `refs/remotes/origin/${branch}^{commit}`)
  )
}

/** HEAD's commit and whether the worktree has uncommitted changes (untracked files included). */
export async function worktreeState(git: GitRunner, worktree: string): Promise<{ commit: string | null; dirty: boolean }> {
  const commit = await revParse(git, worktree, 'HEAD^{commit}')
  if (!commit) return { commit: null, dirty: false }
  try {
    const status = await git.exec(worktree, ['status', '--porcelain'])
    return { commit, dirty: status.exitCode === 0 && status.stdout.trim() !== '' }
  } catch {
    return { commit, dirty: false }
  }
}

/** The URL of the remote CI should be read from: the branch's upstream remote, else origin, else the first. */
export async function remoteUrl(git: GitRunner, worktree: string, branch: string | null): Promise<string | null> {
  try {
    let remote: string | null = null
    if (branch) {
      const r = await git.exec(worktree, ['config', '--get', `branch.${branch}.remote`])
      remote = r.exitCode === 0 ? r.stdout.trim() || null : null
    }
    if (!remote) {
      const all = (await git.exec(worktree, ['remote'])).stdout
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
      remote = all.includes('origin') ? 'origin' : (all[0] ?? null)
    }
    if (!remote) return null
    const url = await git.exec(worktree, ['remote', 'get-url', remote])
    return url.exitCode === 0 ? url.stdout.trim() || null : null
  } catch {
    return null
  }
}
