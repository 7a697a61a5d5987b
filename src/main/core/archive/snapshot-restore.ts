import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises'
import type { GitRunner } from '../git/git-runner'
import { catBlobs } from '../git/cat-blobs'
import { gitDirOf } from '../git/ignored-paths'
import { absBytes } from './fs-walk'
import { displayPath, loadPath, type ManifestEntry, type SnapshotManifest, toManifestEntry } from './manifest'
import { compareEntries } from './snapshot-verify'
import { readWorktreeState } from './worktree-state'

const CHUNK_BYTES = 64 * 1024 * 1024
const CHUNK_FILES = 2000
// An empty file needs no object; this id is never read.
const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'

/**
 * Rebuilds a worktree from a snapshot manifest, into a folder just made by `git worktree add
 * --no-checkout`: the git dir's saved files (index, HEAD, logs) first, then every folder, file and
 * link byte-for-byte, then exact modes (folders last, deepest first, so a read-only folder can
 * still be filled). Reads the folder back and returns what differs, or null.
 */
export async function restoreFullSnapshot(
  git: GitRunner,
  repoRoot: string,
  worktree: string,
  manifest: SnapshotManifest,
  gitDirSkip?: readonly string[]
): Promise<string | null> {
  const gitDir = await gitDirOf(git, worktree)
  if (!gitDir) return `${worktree} is not a git worktree`
  // Blobs are read from the repository's own checkout: git run inside the worktree would read its
  // HEAD and index while they are being rewritten.
  await writeEntries(git, repoRoot, gitDir, manifest.gitDir)
  await writeEntries(git, repoRoot, worktree, manifest.worktree)
  const leftOut = new Set(manifest.leftOut.map(loadPath))
  const back = await readWorktreeState(git, worktree, gitDir, manifest.objectFormat, { given: leftOut }, gitDirSkip)
  return compareEntries(manifest.worktree, back.worktree.entries.map(toManifestEntry), worktree)
}

async function writeEntries(git: GitRunner, cwd: string, root: string, entries: ManifestEntry[]): Promise<void> {
  const dirs = entries.filter((e) => e.type === 'dir')
  for (const d of dirs) await mkdir(absBytes(root, loadPath(d)), { recursive: true })
  const rest = entries.filter((e) => e.type !== 'dir')
  // Blobs come in chunks through one cat-file each, so memory stays bounded by CHUNK_BYTES.
  for (let start = 0; start < rest.length;) {
    let end = start
    let bytes = 0
    while (end < rest.length && (end === start || bytes + rest[end]!.size <= CHUNK_BYTES) && end - start < CHUNK_FILES)
      bytes += rest[end++]!.size
    const chunk = rest.slice(start, end)
    const blobs = await catBlobs(
      git,
      cwd,
      chunk.map((e) => (e.size === 0 ? EMPTY_BLOB : e.blob!))
    )
    await Promise.all(
      chunk.map(async (e, i) => {
        const abs = absBytes(root, loadPath(e))
        const data = e.size === 0 ? Buffer.alloc(0) : blobs[i]
        if (!data || data.length !== e.size) throw new Error(`the saved bytes of ${displayPath(e)} (${e.blob}) could not be read`)
        if (e.type === 'symlink') await symlink(data, abs)
        else {
          await writeFile(abs, data)
          await chmod(abs, e.mode)
        }
      })
    )
    start = end
  }
  for (const d of [...dirs].reverse()) await chmod(absBytes(root, loadPath(d)), d.mode)
}
