import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { lstat, readdir, readlink } from 'node:fs/promises'

// Paths are kept as 'latin1' strings, one char per byte, so names that are not valid UTF-8 survive
// every step; they become real bytes again only at the file-system boundary (see absBytes).

/** One thing found under a folder: a relative path (latin1 byte string; '' is the folder itself). */
export interface FsEntry {
  path: string
  type: 'file' | 'dir' | 'symlink'
  /** Permission bits (mode & 0o7777). */
  mode: number
  /** Bytes of a file, or of a symlink's target; 0 for folders. */
  size: number
  /** The git blob id of the file's bytes or the link's target; null for folders. */
  id: string | null
}

/** A folder or special file the walk did not keep, with how big it was and why. */
export interface SkippedPath {
  path: string
  bytes: number
  files: number
  reason: string
}

/** How to walk: which hash names blobs, what to skip outright, and what to leave out (and report). */
export interface WalkOptions {
  algo: 'sha1' | 'sha256'
  /** Paths never looked at and never reported (the worktree's own `.git` file, lock files). */
  ignore?: (path: string) => boolean
  /** Called for each folder; a result leaves it out of the walk and into `leftOut`. */
  leaveOut?: (path: string, abs: Buffer) => Promise<SkippedPath | null>
}

/** What a walk found. Entries are sorted by path, parents before children. */
export interface WalkResult {
  entries: FsEntry[]
  leftOut: SkippedPath[]
}

/** The absolute path of `rel` under `root`, as raw bytes. */
export function absBytes(root: string, rel: string): Buffer {
  return rel === '' ? Buffer.from(root) : Buffer.concat([Buffer.from(root), Buffer.from('/' + rel, 'latin1')])
}

/** The path as UTF-8 text, or null when its bytes are not valid UTF-8. */
export function utf8Path(rel: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(rel, 'latin1'))
  } catch {
    return null
  }
}

/** The git blob id of `bytes` under `algo`, computed without git. */
export function blobId(algo: 'sha1' | 'sha256', bytes: Buffer): string {
  return createHash(algo).update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** Records every file, folder and symlink under `root` with exact mode and content hash. */
export async function walkFolder(root: string, options: WalkOptions): Promise<WalkResult> {
  const entries: FsEntry[] = []
  const leftOut: SkippedPath[] = []
  const visit = async (rel: string): Promise<void> => {
    const abs = absBytes(root, rel)
    const st = await lstat(abs)
    const mode = st.mode & 0o7777
    if (st.isSymbolicLink()) {
      const target = await readlink(abs, { encoding: 'buffer' })
      entries.push({ path: rel, type: 'symlink', mode, size: target.length, id: blobId(options.algo, target) })
    } else if (st.isFile()) {
      entries.push({ path: rel, type: 'file', mode, size: st.size, id: await hashFile(options.algo, abs, st.size) })
    } else if (st.isDirectory()) {
      const skipped = rel === '' ? null : await options.leaveOut?.(rel, abs)
      if (skipped) {
        leftOut.push(skipped)
        return
      }
      entries.push({ path: rel, type: 'dir', mode, size: 0, id: null })
      const names = (await readdir(abs, { encoding: 'buffer' })).map((n) => n.toString('latin1')).sort()
      for (const name of names) {
        const child = rel === '' ? name : `${rel}/${name}`
        if (!options.ignore?.(child)) await visit(child)
      }
    } else {
      leftOut.push({
        path: rel,
        bytes: 0,
        files: 1,
        reason: 'not a file, folder or symlink (a socket, pipe or device); it cannot be stored'
      })
    }
  }
  await visit('')
  return { entries, leftOut }
}

/** Total bytes and file count under a folder, stopping early once both limits are passed. */
export async function measureFolder(abs: Buffer, stopAt: { bytes: number; files: number }): Promise<{ bytes: number; files: number }> {
  const total = { bytes: 0, files: 0 }
  const visit = async (dir: Buffer): Promise<void> => {
    for (const name of await readdir(dir, { encoding: 'buffer' })) {
      if (total.bytes > stopAt.bytes && total.files > stopAt.files) return
      const p = Buffer.concat([dir, Buffer.from('/'), name])
      const st = await lstat(p)
      if (st.isDirectory()) await visit(p)
      else {
        total.files++
        total.bytes += st.size
      }
    }
  }
  await visit(abs)
  return total
}

async function hashFile(algo: 'sha1' | 'sha256', abs: Buffer, size: number): Promise<string> {
  const h = createHash(algo).update(`blob ${size}\0`)
  let read = 0
  for await (const chunk of createReadStream(abs)) {
    read += (chunk as Buffer).length
    h.update(chunk as Buffer)
  }
  // A file that grew or shrank while being read would give an id no blob will ever match.
  if (read !== size) throw new Error(`${abs.toString()} changed size while it was being read`)
  return h.digest('hex')
}
