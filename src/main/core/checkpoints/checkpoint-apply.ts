import { existsSync } from 'node:fs'
import { lstat, open, rename, rm, rmdir, unlink } from 'node:fs/promises'
import { batches } from '../git/hash-object'
import { catBlobs } from '../git/cat-blobs'
import { checkoutEntries } from '../git/checkout-entries'
import type { GitRunner } from '../git/git-runner'
import { spawnGit, spawnGitOk } from '../git/spawn-git'
import type { CheckpointParts } from './checkpoint-meta'
import type { FilePlan } from './checkpoint-plan'
import { absPath, parentsOf } from './byte-paths'

/** Whether another git command holds the worktree's index (its lock file exists). */
export const indexLocked = (indexFile: string): boolean => existsSync(`${indexFile}.lock`)

/**
 * Carries out a file plan: deletes what goes (and folders it leaves empty, never a non-empty one),
 * then writes exactly the changed entries from git. Returns how many paths it changed.
 */
export async function applyFiles(git: GitRunner, worktree: string, plan: FilePlan): Promise<number> {
  const dirs = new Set<string>()
  for (const path of plan.remove) {
    const abs = absPath(worktree, path)
    const st = await lstat(abs).catch(() => null)
    // A submodule's folder is not ours to empty.
    if (st && !st.isDirectory()) await unlink(abs)
    for (const d of parentsOf(path)) dirs.add(d)
  }
  // Deepest first, so a folder emptied by its subfolder's removal goes too; rmdir refuses non-empty ones.
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) await rmdir(absPath(worktree, d)).catch(() => undefined)
  await checkoutEntries(
    git,
    worktree,
    plan.write.map((c) => ({ mode: c.newMode, id: c.newId, path: c.path }))
  )
  return plan.remove.length + plan.write.length
}

/**
 * Puts the worktree's real index back as a checkpoint has it: its tree read in (keeping cached
 * file stats where entries are unchanged, so the refresh re-reads only what changed) and the
 * intent-to-add marks re-added, or, for an index that had unmerged entries, its raw bytes.
 */
export async function applyIndex(git: GitRunner, worktree: string, indexFile: string, target: CheckpointParts): Promise<void> {
  if (target.meta.indexBlob) {
    const [bytes] = await catBlobs(git, worktree, [target.meta.indexBlob])
    if (!bytes) throw new Error(`the raw index blob ${target.meta.indexBlob} of checkpoint ${target.commit} is missing`)
    await writeIndexFile(indexFile, bytes)
  } else {
    await spawnGitOk(git, worktree, ['read-tree', '--reset', target.indexTree])
    // Arguments travel as UTF-8 text: a name that is not UTF-8 cannot be marked again.
    for (const batch of batches(target.meta.intentToAdd)) {
      const args = ['--literal-pathspecs', 'add', '--intent-to-add', '--force', '--', ...batch]
      await spawnGitOk(git, worktree, args)
    }
  }
  // Exits non-zero when files differ from the index (unstaged changes), which is expected.
  await spawnGit(git, worktree, ['update-index', '-q', '--refresh'])
}

/** Replaces the index file as git does: through `index.lock`, taken exclusively, then renamed over. */
async function writeIndexFile(indexFile: string, bytes: Buffer): Promise<void> {
  const lock = `${indexFile}.lock`
  const fh = await open(lock, 'wx')
  try {
    await fh.writeFile(bytes)
    await fh.sync()
  } catch (e) {
    await fh.close()
    await rm(lock, { force: true })
    throw e
  }
  await fh.close()
  await rename(lock, indexFile)
}
