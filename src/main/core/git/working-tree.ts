import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { CachedWorktree } from './change-set-cache'
import type { GitRunner } from './git-runner'

/**
 * Writes a tree object of the worktree's files as they are on disk (tracked, changed and untracked,
 * ignored ones left out) through a scratch index, so the real index and the files are untouched.
 */
export async function writeWorkingTree(git: GitRunner, worktree: string, cached?: CachedWorktree): Promise<string> {
  if (cached) return writeWithScratch(git, worktree, cached)
  const indexPath = resolve(worktree, (await git.run(worktree, ['rev-parse', '--git-path', 'index'])).trim())
  const scratch = await mkdtemp(join(tmpdir(), 'skein-tree-'))
  try {
    const scratchIndex = join(scratch, 'index')
    // Starting from a copy of the real index keeps git's stat cache, so `add -A` only hashes what changed.
    // The copy keeps the index's own mtime: git trusts cached entries older than the index file, so a
    // fresh mtime would hide a same-size edit made in the same second as the last index write.
    await copyFile(indexPath, scratchIndex)
      .then(async () => {
        const st = await stat(indexPath)
        await utimes(scratchIndex, st.atime, st.mtime)
      })
      .catch(() => undefined)
    const env = { GIT_INDEX_FILE: scratchIndex }
    await git.run(worktree, ['add', '--all'], { env })
    return (await git.run(worktree, ['write-tree'], { env })).trim()
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** The same with a scratch index kept between calls, so only files changed since the last call are hashed. */
async function writeWithScratch(git: GitRunner, worktree: string, cached: CachedWorktree): Promise<string> {
  const env = { GIT_INDEX_FILE: await cached.scratchIndex() }
  try {
    await git.run(worktree, ['add', '--all'], { env })
    return (await git.run(worktree, ['write-tree'], { env })).trim()
  } catch (e) {
    cached.dropScratch()
    throw e
  }
}
