import type { GitRunner } from './git-runner'
import { SKEIN_IDENTITY } from './skein-identity'
import { writeWorkingTree } from './working-tree'


/**
 * Saves everything in a worktree (commits, staged, unstaged and untracked files) under `ref`,
 * without touching its index or files. Layout, like git stash: the ref points at a commit whose
 * tree is the working tree; its only parent is a commit of the index, whose parent is HEAD.
 */
export async function createSnapshot(git: GitRunner, worktree: string, ref: string, message: string): Promise<string> {
  const headOut = await git.exec(worktree, ['rev-parse', '--verify', '--quiet', 'HEAD'])
  const head = headOut.exitCode === 0 ? headOut.stdout.trim() : null
  const indexTree = (await git.run(worktree, ['write-tree'])).trim()
  const workTree = await writeWorkingTree(git, worktree)
  const parentArgs = head ? ['-p', head] : []
  const indexCommit = (await git.run(worktree, ['commit-tree', indexTree, ...parentArgs, '-m', `index of ${message}`], { env: SKEIN_IDENTITY })).trim()
  const snapshot = (await git.run(worktree, ['commit-tree', workTree, '-p', indexCommit, '-m', message], { env: SKEIN_IDENTITY })).trim()
  await git.run(worktree, ['update-ref', '-m', message, ref, snapshot])
  return snapshot
}

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

/** Writes a snapshot's files into a freshly added `--no-checkout` worktree and restores its index. */
export async function applySnapshot(git: GitRunner, worktree: string, parts: SnapshotParts): Promise<void> {
  await git.run(worktree, ['read-tree', parts.workTree])
  await git.run(worktree, ['checkout-index', '--all', '--force'])
  await git.run(worktree, ['read-tree', parts.indexTree])
}
