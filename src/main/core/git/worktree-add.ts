import type { GitRunner } from './git-runner'

/** How `git worktree add` went. */
export type WorktreeAddResult =
  | { kind: 'added' }
  | { kind: 'branch-exists' }
  | { kind: 'path-exists' }
  | { kind: 'bad-ref'; detail: string }
  | { kind: 'failed'; detail: string }

/** Where the new worktree comes from: a new branch off a ref, or an existing branch. */
export type WorktreeSource = { newBranch: string; from: string } | { existingBranch: string }

/** Adds a worktree at `path`; `checkout: false` leaves the files for the caller to write. */
export async function addWorktree(
  git: GitRunner,
  repoRoot: string,
  path: string,
  source: WorktreeSource,
  options: { checkout?: boolean } = {}
): Promise<WorktreeAddResult> {
  const args = ['worktree', 'add']
  if (options.checkout === false) args.push('--no-checkout')
  if ('newBranch' in source) args.push('-b', source.newBranch, '--', path, source.from)
  else args.push('--', path, source.existingBranch)
  const out = await git.exec(repoRoot, args)
  if (out.exitCode === 0) return { kind: 'added' }
  const text = out.stderr
  if (/a branch named .* already exists/i.test(text)) return { kind: 'branch-exists' }
  if (/already exists/i.test(text)) return { kind: 'path-exists' }
  if (/invalid reference|not a valid|unknown revision|bad revision|not a commit/i.test(text)) {
    return { kind: 'bad-ref', detail: text.trim() }
  }
  return { kind: 'failed', detail: text.trim() }
}
