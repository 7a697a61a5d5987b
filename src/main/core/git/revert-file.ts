import type { GitRunner } from './git-runner'

/** Throws away a file's uncommitted changes in a worktree: back to HEAD, or removed if it is new and untracked. */
export async function revertFile(git: GitRunner, worktree: string, path: string): Promise<{ kind: 'reverted' | 'removed' } | { kind: 'failed'; detail: string }> {
  const tracked = await git.exec(worktree, ['cat-file', '-e', `HEAD:${path}`])
  if (tracked.exitCode === 0) {
    const out = await git.exec(worktree, ['restore', '--source=HEAD', '--staged', '--worktree', '--', path])
    return out.exitCode === 0 ? { kind: 'reverted' } : { kind: 'failed', detail: out.stderr.trim() }
  }
  // Not in HEAD: unstage it if staged, then delete it.
  await git.exec(worktree, ['rm', '--cached', '--quiet', '--ignore-unmatch', '--', path])
  const out = await git.exec(worktree, ['clean', '--force', '--quiet', '--', path])
  return out.exitCode === 0 ? { kind: 'removed' } : { kind: 'failed', detail: out.stderr.trim() }
}
