import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { GitRunner } from './git-runner'

// Snapshot commits need an identity even where the user has not configured one.
const identity = {
  GIT_AUTHOR_NAME: 'Skein',
  GIT_AUTHOR_EMAIL: 'skein@localhost',
  GIT_COMMITTER_NAME: 'Skein',
  GIT_COMMITTER_EMAIL: 'skein@localhost'
}

/**
 * Saves everything in a worktree (commits, staged, unstaged and untracked files) under `ref`,
 * without touching its index or files. Layout, like git stash: the ref points at a commit whose
 * tree is the working tree; its only parent is a commit of the index, whose parent is HEAD.
 */
export async function createSnapshot(git: GitRunner, worktree: string, ref: string, message: string): Promise<string> {
  const headOut = await git.exec(worktree, ['rev-parse', '--verify', '--quiet', 'HEAD'])
  const head = headOut.exitCode === 0 ? headOut.stdout.trim() : null
  const indexTree = (await git.run(worktree, ['write-tree'])).trim()
  const indexPath = resolve(worktree, (await git.run(worktree, ['rev-parse', '--git-path', 'index'])).trim())

  const scratch = await mkdtemp(join(tmpdir(), 'skein-snapshot-'))
  try {
    const scratchIndex = join(scratch, 'index')
    // Starting from a copy of the real index keeps git's stat cache, so `add -A` only hashes what changed.
    await copyFile(indexPath, scratchIndex).catch(() => undefined)
    const env = { GIT_INDEX_FILE: scratchIndex }
    // Ignored files (build output, node_modules) are not part of a snapshot, as with git stash -u.
    await git.run(worktree, ['add', '--all'], { env })
    const workTree = (await git.run(worktree, ['write-tree'], { env })).trim()
    const parentArgs = head ? ['-p', head] : []
    const indexCommit = (await git.run(worktree, ['commit-tree', indexTree, ...parentArgs, '-m', `index of ${message}`], { env: identity })).trim()
    const snapshot = (await git.run(worktree, ['commit-tree', workTree, '-p', indexCommit, '-m', message], { env: identity })).trim()
    await git.run(worktree, ['update-ref', '-m', message, ref, snapshot])
    return snapshot
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
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
