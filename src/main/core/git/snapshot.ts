import type { GitRunner } from './git-runner'

// Snapshots are written by src/main/core/archive/snapshot-writer.ts. Their first parent keeps the
// layout of older snapshots (an index commit whose parent is HEAD), which are still restored here.

/** The parts of a snapshot needed to bring its worktree back. */
export interface SnapshotParts {
  commit: string
  workTree: string
  indexTree: string
  head: string | null
}

/** Reads a snapshot ref; null when it does not exist. */
export async function readSnapshot(git: GitRunner, repoRoot: string, ref: string): Promise<SnapshotParts | null> {
  const out = await git.exec(repoRoot, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
  if (out.exitCode !== 0) return null
  const commit = out.stdout.trim()
  const [workTree, indexTree] = (await git.run(repoRoot, ['rev-parse', `${commit}^{tree}`, `${commit}^1^{tree}`])).trim().split('\n')
  const headOut = await git.exec(repoRoot, ['rev-parse', '--verify', '--quiet', `${commit}^1^1`])
  return { commit, workTree: workTree!, indexTree: indexTree!, head: headOut.exitCode === 0 ? headOut.stdout.trim() : null }
}

/** Restores an older snapshot (no manifest: tracked and untracked files only) into a `--no-checkout` worktree. */
export async function applySnapshot(git: GitRunner, worktree: string, parts: SnapshotParts): Promise<void> {
  await git.run(worktree, ['read-tree', parts.workTree])
  await git.run(worktree, ['checkout-index', '--all', '--force'])
  await git.run(worktree, ['read-tree', parts.indexTree])
}
