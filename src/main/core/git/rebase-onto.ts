import type { GitRunner } from './git-runner'

/** How rebasing the thread's branch went. A conflicted rebase is aborted, so the worktree is as before. */
export type RebaseResult =
  | { kind: 'rebased'; commit: string }
  | { kind: 'up-to-date' }
  | { kind: 'conflict'; files: string[] }
  | { kind: 'dirty' }
  | { kind: 'failed'; detail: string }

/** Rebases the worktree's branch onto `base`, inside the thread's own worktree only. */
export async function rebaseOnto(git: GitRunner, worktree: string, base: string): Promise<RebaseResult> {
  if ((await git.run(worktree, ['status', '--porcelain', '--untracked-files=no'])).trim()) return { kind: 'dirty' }
  const before = (await git.run(worktree, ['rev-parse', 'HEAD'])).trim()
  const out = await git.exec(worktree, ['rebase', '--quiet', '--end-of-options', base])
  if (out.exitCode === 0) {
    const after = (await git.run(worktree, ['rev-parse', 'HEAD'])).trim()
    return after === before ? { kind: 'up-to-date' } : { kind: 'rebased', commit: after }
  }
  const files = (await git.exec(worktree, ['diff', '--name-only', '--diff-filter=U'])).stdout.split('\n').filter(Boolean)
  await git.exec(worktree, ['rebase', '--abort'])
  return files.length ? { kind: 'conflict', files } : { kind: 'failed', detail: out.stderr.trim() }
}
