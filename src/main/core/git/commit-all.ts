import type { GitRunner } from './git-runner'

/** How staging everything and committing went. */
export type CommitResult = { kind: 'committed'; commit: string } | { kind: 'nothing-to-commit' } | { kind: 'failed'; detail: string }

/** Stages every change in the worktree (untracked included) and commits it with the person's message and identity. */
export async function commitAll(git: GitRunner, worktree: string, message: string): Promise<CommitResult> {
  await git.run(worktree, ['add', '--all'])
  const staged = await git.exec(worktree, ['diff', '--cached', '--quiet'])
  if (staged.exitCode === 0) return { kind: 'nothing-to-commit' }
  const out = await git.exec(worktree, ['commit', '--quiet', '--no-verify', '-m', message])
  if (out.exitCode !== 0) return { kind: 'failed', detail: (out.stderr || out.stdout).trim() }
  return { kind: 'committed', commit: (await git.run(worktree, ['rev-parse', 'HEAD'])).trim() }
}
