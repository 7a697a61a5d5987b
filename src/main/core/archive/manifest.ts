import { type FsEntry, type SkippedPath, utf8Path } from './fs-walk'

/** A path as stored in the manifest: UTF-8 text when the bytes allow, else base64 of the raw bytes. */
export type StoredPath = { path: string } | { pathBase64: string }

/** One worktree or git-dir entry in the manifest. */
export type ManifestEntry = StoredPath & { type: FsEntry['type']; mode: number; size: number; blob: string | null }

/** One left-out folder or special file in the manifest. */
export type ManifestLeftOut = StoredPath & { bytes: number; files: number; reason: string }

/** The JSON a full snapshot carries next to its blobs (see snapshot-writer.ts for the layout). */
export interface SnapshotManifest {
  format: 'skein-worktree-snapshot'
  version: 2
  objectFormat: 'sha1' | 'sha256'
  /** HEAD's commit and branch ref when archived. */
  head: string | null
  branch: string | null
  /** Everything under the worktree folder except its own `.git` file, '' being the folder itself. */
  worktree: ManifestEntry[]
  /** The worktree's private git dir (index, HEAD, logs…), minus the files that name its location. */
  gitDir: ManifestEntry[]
  leftOut: ManifestLeftOut[]
}

/** Stores a latin1 byte-string path. */
export function storePath(rel: string): StoredPath {
  const text = utf8Path(rel)
  return text !== null ? { path: text } : { pathBase64: Buffer.from(rel, 'latin1').toString('base64') }
}

/** The latin1 byte-string path of a stored one. */
export function loadPath(p: StoredPath): string {
  return 'path' in p ? Buffer.from(p.path, 'utf8').toString('latin1') : Buffer.from(p.pathBase64, 'base64').toString('latin1')
}

/** A path for people to read (invalid UTF-8 bytes shown as U+FFFD). */
export function displayPath(p: StoredPath): string {
  return 'path' in p ? p.path : Buffer.from(p.pathBase64, 'base64').toString('utf8')
}

/** A walked entry as the manifest stores it. */
export function toManifestEntry(e: FsEntry): ManifestEntry {
  return { ...storePath(e.path), type: e.type, mode: e.mode, size: e.size, blob: e.id }
}

/** A left-out path as the manifest stores it. */
export function toManifestLeftOut(s: SkippedPath): ManifestLeftOut {
  return { ...storePath(s.path), bytes: s.bytes, files: s.files, reason: s.reason }
}

/** Parses and checks a manifest blob; null when it is not one this version understands. */
export function parseManifest(bytes: Buffer): SnapshotManifest | null {
  try {
    const m = JSON.parse(bytes.toString('utf8')) as SnapshotManifest
    if (
      m.format !== 'skein-worktree-snapshot' ||
      m.version !== 2 ||
      !Array.isArray(m.worktree) ||
      !Array.isArray(m.gitDir) ||
      !Array.isArray(m.leftOut)
    )
      return null
    return m
  } catch {
    return null
  }
}
