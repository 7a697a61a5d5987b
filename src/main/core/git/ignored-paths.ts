import type { GitRunner } from './git-runner'

/** The worktree's git-ignored files and folders (folders end in /), relative with / separators. */
export async function listIgnored(git: GitRunner, worktree: string): Promise<Set<string>> {
  const out = await git.exec(worktree, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'])
  return new Set(out.exitCode === 0 ? out.stdout.split('\0').filter(Boolean) : [])
}

/** Whether git ignores one worktree-relative path. */
export async function isIgnoredPath(git: GitRunner, worktree: string, rel: string): Promise<boolean> {
  return (await git.exec(worktree, ['check-ignore', '-q', '--', rel])).exitCode === 0
}

/** The worktree's own git dir (HEAD, index and logs/ move on commit), absolute. */
export async function gitDirOf(git: GitRunner, worktree: string): Promise<string | null> {
  const out = await git.exec(worktree, ['rev-parse', '--absolute-git-dir'])
  return out.exitCode === 0 ? out.stdout.trim() : null
}
