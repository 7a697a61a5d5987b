import { lstat, readdir, readlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'

/** What one folder costs on disk. */
export interface DiskMeasure {
  /** Blocks really allocated (st_blocks × 512): sparse files count only their written parts. */
  allocatedBytes: number
  /** The sum of file sizes (what `ls -l` shows). */
  apparentBytes: number
  files: number
  dirs: number
  /** Files with more than one hard link, by `dev:ino`, with their allocated bytes (to count them once across folders). */
  multiLinked: Map<string, number>
  /** Symlinks that lead into a shared folder: the shared folder's key, as `sharedKey` named it. */
  sharedLinks: Set<string>
  /** Entries that could not be read (permission denied), counted as 0. */
  unreadable: number
}

/** How to walk: which shared folder a link target belongs to, a shared inode set, and a way to stop. */
export interface DiskWalkOptions {
  /** The key of the shared folder an absolute link target lies in, or null. */
  sharedKey?: (target: string) => string | null
  /** Inodes already counted elsewhere (hard links): skipped here, and each one counted is added. */
  seen?: Set<string>
  signal?: AbortSignal
  /** How many directories are read at once (default 8). */
  concurrency?: number
}

/**
 * A du-like walk: real allocated blocks, hard links counted once (by inode), symlinks never followed
 * (a shared folder linked into a worktree is counted once, where it lives). A file cloned by
 * copy-on-write (reflink) reports its full blocks: Linux tells shared extents apart only through
 * the FIEMAP ioctl, per file, which Node cannot call; so on btrfs/XFS/APFS the figure is an upper bound.
 * Runs on the event loop in small async steps (a few lstat calls in flight), never blocking it for long.
 */
export async function measureDisk(root: string, options: DiskWalkOptions = {}): Promise<DiskMeasure> {
  const m: DiskMeasure = {
    allocatedBytes: 0,
    apparentBytes: 0,
    files: 0,
    dirs: 0,
    multiLinked: new Map(),
    sharedLinks: new Set(),
    unreadable: 0
  }
  const seen = options.seen ?? new Set<string>()
  const queue: string[] = []
  const count = async (path: string): Promise<void> => {
    const st = await lstat(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') m.unreadable++
      return null
    })
    if (!st) return
    const blocks = st.blocks * 512
    if (st.nlink > 1 && !st.isDirectory()) {
      // Inode numbers can pass 2^53, so a hard-linked file (rare outside pnpm stores) is read again exactly.
      const exact = await lstat(path, { bigint: true }).catch(() => null)
      const key = exact ? `${exact.dev}:${exact.ino}` : `${st.dev}:${st.ino}`
      if (seen.has(key)) return
      seen.add(key)
      m.multiLinked.set(key, blocks)
    }
    m.allocatedBytes += blocks
    if (st.isDirectory()) {
      m.dirs++
      queue.push(path)
      return
    }
    m.files++
    m.apparentBytes += st.size
    if (st.isSymbolicLink() && options.sharedKey) {
      const target = await readlink(path).catch(() => null)
      const key = target === null ? null : options.sharedKey(resolve(path, '..', target))
      if (key) m.sharedLinks.add(key)
    }
  }
  await count(root)
  let active = 0
  let idle: Array<() => void> = []
  const wakeAll = () => {
    for (const w of idle) w()
    idle = []
  }
  // A worker waits (without spinning) while others may still add folders; all stop once none is busy.
  const worker = async (): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted) return wakeAll()
      const dir = queue.pop()
      if (dir === undefined) {
        if (active === 0) return wakeAll()
        await new Promise<void>((r) => idle.push(r))
        continue
      }
      active++
      const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') m.unreadable++
        return [] as string[]
      })
      for (const name of names) await count(join(dir, name))
      active--
      wakeAll()
    }
  }
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker))
  return m
}
