import type { GitRunner } from './git-runner'

/** How pushing went. */
export type PushResult =
  { kind: 'pushed'; remote: string } | { kind: 'no-remote' } | { kind: 'rejected'; detail: string } | { kind: 'failed'; detail: string }

/** Pushes the worktree's branch to its upstream, or to `origin` (setting the upstream) when it has none. */
export async function pushBranch(git: GitRunner, worktree: string, branch: string): Promise<PushResult> {
  const remotes = (await git.run(worktree, ['remote'])).split('\n').filter(Boolean)
  if (remotes.length === 0) return { kind: 'no-remote' }
  const remote = remotes.includes('origin') ? 'origin' : remotes[0]!
  const out = await git.exec(worktree, ['push', '--porcelain', '--set-upstream', remote, `refs/heads/${branch}:refs/heads/${branch}`])
  if (out.exitCode === 0) return { kind: 'pushed', remote }
  const text = `${out.stdout}\n${out.stderr}`.trim()
  return /rejected|non-fast-forward|fetch first/i.test(text) ? { kind: 'rejected', detail: text } : { kind: 'failed', detail: text }
}
