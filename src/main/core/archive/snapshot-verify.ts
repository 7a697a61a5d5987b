import type { GitRunner } from '../git/git-runner'
import { treeBlobSizes } from '../git/tree-sizes'
import { displayPath, loadPath, type ManifestEntry, parseManifest, type SnapshotManifest, toManifestEntry } from './manifest'
import type { WrittenSnapshot } from './snapshot-writer'
import { walkFolder } from './fs-walk'
import { readWorktreeState } from './worktree-state'

/**
 * Reads a just-written snapshot back from the object store and checks it against the disk: the
 * manifest is the one written, every blob it names exists with the right size, and walking the
 * folder again gives the same paths, modes and hashes. Returns what is wrong, or null.
 */
export async function verifySnapshot(
  git: GitRunner,
  worktree: string,
  gitDir: string,
  written: WrittenSnapshot,
  gitDirSkip?: readonly string[]
): Promise<string | null> {
  const { commit, manifest } = written
  const bytes = await git.bytes(worktree, ['--no-textconv', `${commit}^2:manifest.json`])
  const stored = bytes ? parseManifest(bytes) : null
  if (!stored) return `the snapshot ${commit} has no readable manifest`
  if (JSON.stringify(stored) !== JSON.stringify(manifest)) return `the manifest read back from ${commit} differs from the one written`
  const blobs = await treeBlobSizes(git, worktree, `${commit}^2`)
  for (const [path, blob] of blobs) {
    if (blob.size === null) return `the object store is missing ${blob.id} (${path}) of snapshot ${commit}`
  }
  for (const e of [...stored.worktree, ...stored.gitDir]) {
    if (!e.blob) continue
    const got = blobs.get(`blobs/${e.blob}`)
    if (!got || got.size !== e.size) return `${displayPath(e)} is not stored in the snapshot as it is on disk`
  }
  const leftOut = new Set(stored.leftOut.map(loadPath))
  const again = await readWorktreeState(git, worktree, gitDir, stored.objectFormat, { given: leftOut }, gitDirSkip)
  return (
    compareEntries(stored.worktree, again.worktree.entries.map(toManifestEntry), worktree) ??
    compareEntries(stored.gitDir, again.gitDir.entries.map(toManifestEntry), gitDir)
  )
}

/** The first difference between two entry lists, as a sentence; null when equal. */
export function compareEntries(expected: ManifestEntry[], actual: ManifestEntry[], root: string): string | null {
  const key = (e: ManifestEntry) => JSON.stringify(e)
  const have = new Set(actual.map(key))
  const missing = expected.find((e) => !have.has(key(e)))
  if (missing) return `${root}/${displayPath(missing)} changed while it was being saved`
  const want = new Set(expected.map(key))
  const extra = actual.find((e) => !want.has(key(e)))
  return extra ? `${root}/${displayPath(extra)} appeared while the folder was being saved` : null
}

/** Manifest of a snapshot commit, or null for an older snapshot without one. */
export async function readManifest(git: GitRunner, cwd: string, commit: string): Promise<SnapshotManifest | null> {
  const bytes = await git.bytes(cwd, ['--no-textconv', `${commit}^2:manifest.json`])
  return bytes ? parseManifest(bytes) : null
}

/**
 * Checks that a snapshot still holds everything a folder has now (a leftover worktree folder, before
 * cleanup removes it): its objects exist, and the folder walked again (and its git dir, while it has
 * one) equals the manifest. Returns what differs or is missing, or null when the folder may go.
 */
export async function folderMatchesSnapshot(
  git: GitRunner,
  cwd: string,
  folder: string,
  commit: string,
  gitDir: string | null,
  gitDirSkip: readonly string[] = []
): Promise<string | null> {
  const stored = await readManifest(git, cwd, commit)
  if (!stored) return `the snapshot ${commit.slice(0, 10)} was made before snapshots kept every file, so it cannot vouch for this folder`
  const blobs = await treeBlobSizes(git, cwd, `${commit}^2`)
  for (const e of [...stored.worktree, ...stored.gitDir]) {
    if (!e.blob) continue
    const got = blobs.get(`blobs/${e.blob}`)
    if (!got || got.size !== e.size) return `the snapshot ${commit.slice(0, 10)} is missing the saved bytes of ${displayPath(e)}`
  }
  const leftOut = new Set(stored.leftOut.map(loadPath))
  if (gitDir) {
    const again = await readWorktreeState(git, folder, gitDir, stored.objectFormat, { given: leftOut }, gitDirSkip)
    return (
      unsaved(stored.worktree, again.worktree.entries.map(toManifestEntry), folder) ??
      unsaved(stored.gitDir, again.gitDir.entries.map(toManifestEntry), gitDir)
    )
  }
  const again = await walkFolder(folder, {
    algo: stored.objectFormat,
    ignore: (p) => p === '.git',
    leaveOut: async (p) => (leftOut.has(p) ? { path: p, bytes: 0, files: 0, reason: 'left out when archived' } : null)
  })
  return unsaved(stored.worktree, again.entries.map(toManifestEntry), folder)
}

/** The first thing in `actual` that the snapshot's `expected` entries do not hold, as a sentence; null when none. */
function unsaved(expected: ManifestEntry[], actual: ManifestEntry[], root: string): string | null {
  const key = (e: ManifestEntry) => JSON.stringify(e)
  const want = new Set(expected.map(key))
  const extra = actual.find((e) => !want.has(key(e)))
  if (extra) return `${root}/${displayPath(extra)} is not in the snapshot as it is now (changed or new since)`
  const have = new Set(actual.map(key))
  const gone = expected.find((e) => !have.has(key(e)))
  return gone ? `${root}/${displayPath(gone)} was deleted since the snapshot` : null
}
