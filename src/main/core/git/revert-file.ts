import type { GitRunner } from './git-runner'

/**
 * Puts a file in a worktree back as `source` has it (HEAD by default: its uncommitted changes go),
 * or removes it when `source` has no such file. From HEAD the index follows too; from an older
 * commit (the thread's base) the revert shows as an ordinary uncommitted change.
 */
export async function revertFile(
  git: GitRunner,
  worktree: string,
  path: string,
  source = 'HEAD'
): Promise<{ kind: 'reverted' | 'removed' } | { kind: 'failed'; detail: string }> {
  const fromHead = source === 'HEAD'
  const tracked = await git.exec(worktree, ['cat-file', '-e', `${source}:${path}`])
  if (tracked.exitCode === 0) {
    const out = await git.exec(worktree, ['restore', `--source=${source}`, ...(fromHead ? ['--staged'] : []), '--worktree', '--', path])
    return out.exitCode === 0 ? { kind: 'reverted' } : { kind: 'failed', detail: out.stderr.trim() }
  }
  // Not in the source: a file HEAD has is deleted (a staged deletion); a new one is unstaged and removed.
  const inHead = !fromHead && (await git.exec(worktree, ['cat-file', '-e', `HEAD:${path}`])).exitCode === 0
  const out = inHead
    ? await git.exec(worktree, ['rm', '--quiet', '--force', '--', path])
    : await git
        .exec(worktree, ['rm', '--cached', '--quiet', '--ignore-unmatch', '--', path])
        .then(() => git.exec(worktree, ['clean', '--force', '--quiet', '--', path]))
  return out.exitCode === 0 ? { kind: 'removed' } : { kind: 'failed', detail: out.stderr.trim() }
}
