/*
 * Reads and writes by the built-in agent that can never resolve outside the thread's worktree.
 *
 * Checking a path and then using it by name is racy (a folder can be swapped for a symlink in
 * between) and blind to what the final operation follows (a dangling link, a hard link). So every
 * check here is made on what was actually opened, and every write goes through a pinned folder.
 *
 * Linux (the main path; holds under races):
 * - `root = realpath(worktree)` once per call. The requested path is normalised lexically to parts
 *   under root (`..` escapes, other absolute paths and sibling prefixes like `<root>-x` are refused).
 * - Reads: `open(path, O_RDONLY|O_NONBLOCK)` (follows links), then `readlink('/proc/self/fd/<fd>')`
 *   gives the real path of what was opened; it is refused unless inside root, and the content is
 *   read from that descriptor. Whatever the path resolved to at open time is what the check sees.
 * - Writes: the intended final path is resolved first by an lstat walk from root that follows links
 *   only while they stay inside root (a link pointing out, or dangling out, is refused; writing
 *   through `a.md -> docs/b.md` writes docs/b.md). Then the PARENT folder is opened component by
 *   component, each as `open('/proc/self/fd/<parent fd>/<name>', O_DIRECTORY)`, each checked with
 *   readlink to be inside root; a missing folder is created the same way (`mkdir` relative to its
 *   verified parent), never by path string. Linux resolves `/proc/self/fd/<fd>/<name>` through the
 *   open descriptor, so a swap of any folder above cannot redirect it. In the pinned folder we create
 *   `.<name>.skein-<random>.tmp` with O_CREAT|O_EXCL|O_NOFOLLOW and the old file's mode, write,
 *   fsync, close, and `rename` it over `<name>`. Rename replaces whatever is at `<name>` (a symlink
 *   swapped in at the last moment, a hard link to an outside inode) instead of writing through it.
 *   The temp file is removed on failure.
 *   What remains: a folder that was inside at the check and is then itself moved out of the worktree
 *   (rename of the real folder, not a link swap) carries the new file with it; no existing outside
 *   file is ever opened for writing.
 *
 * Portable fallback (macOS and other systems without /proc; Node exposes neither openat nor
 * F_GETPATH), also forced with `{ portable: true }`: after opening, the descriptor's (dev, ino) from
 * fstat is compared with the result of an lstat walk from root (links followed only while inside),
 * so a read of something swapped in is refused. Writes check the parent folder and the temp file the
 * same way, then rename by path. Remaining race: a folder swapped for a link between the last
 * identity check and the path-based create/rename (a few syscalls wide) can redirect that step, so
 * a stray temp file can appear in the swapped-in folder (the write is then refused, not reported as
 * done). Forced on Linux under the 10 s swap race of the tests: 17 stray files, 0 reported writes;
 * the /proc path: 0.
 */
import { randomBytes } from 'node:crypto'
import { constants as C, existsSync, type Stats } from 'node:fs'
import { lstat, mkdir, open, readlink, realpath, rename, unlink, type FileHandle } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { isInside, realpathAllowingMissing } from './path-guard'

/** Why an operation was refused or failed (an expected outcome, never thrown). */
export type FsFailure = { ok: false; kind: 'invalid' | 'outside' | 'missing' | 'folder' | 'not-file' | 'error'; reason: string }
/** A file read inside the worktree. */
export type ReadResult = { ok: true; text: string; path: string; relative: string; mode: number } | FsFailure
/** A file written inside the worktree. */
export type WriteResult = { ok: true; path: string; relative: string; created: boolean } | FsFailure
/** What a path inside the worktree is. */
export type StatResult =
  { ok: true; kind: 'file' | 'folder' | 'other'; size: number; mode: number; path: string; relative: string } | FsFailure
/** `portable: true` forces the fallback without /proc (for tests on Linux). */
export interface WorktreeFsOptions {
  portable?: boolean
}

const MAX_LINKS = 40
const fdPath = (fd: number): string => `/proc/self/fd/${fd}`
const hasProc = process.platform === 'linux' && existsSync('/proc/self/fd')
const useProc = (o?: WorktreeFsOptions): boolean => hasProc && !o?.portable
const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code
const msg = (e: unknown): string => (e as Error)?.message ?? String(e)
const failure = (kind: FsFailure['kind'], reason: string): FsFailure => ({ ok: false, kind, reason })
const outsideOf = (requested: string, root: string): FsFailure =>
  failure('outside', `${requested} is outside the thread's worktree (${root}); only files inside it can be used`)
const relOf = (root: string, path: string): string => relative(root, path) || '.'
const sameFile = (a: Stats, b: Stats): boolean => a.dev === b.dev && a.ino === b.ino

interface Located {
  root: string
  parts: string[]
  requested: string
}

/** Normalises the requested path lexically to parts under the real worktree root. */
async function locate(worktree: string, requested: string): Promise<Located | FsFailure> {
  if (typeof requested !== 'string' || requested.length === 0) return failure('invalid', 'a path is required')
  if (requested.includes('\0')) return failure('invalid', 'the path contains a NUL byte')
  let root: string
  try {
    root = await realpath(worktree)
  } catch (e) {
    return failure('error', `the worktree ${worktree} is not available (${msg(e)})`)
  }
  let rel = relative(root, resolve(root, requested))
  if (!isInside(root, join(root, rel)) && isAbsolute(requested)) {
    // An absolute path through another name of the worktree (its unresolved path, or a link to it).
    const viaGiven = relative(resolve(worktree), resolve(requested))
    const viaReal = relative(root, await realpathAllowingMissing(resolve(requested)))
    rel = isInside(root, join(root, viaGiven)) && !isAbsolute(viaGiven) ? viaGiven : viaReal
  }
  if (isAbsolute(rel) || !isInside(root, join(root, rel))) return outsideOf(requested, root)
  return { root, parts: rel === '' ? [] : rel.split(sep), requested }
}

type Walked = { ok: true; real: string; st: Stats | null }

/**
 * Walks `parts` from root with lstat, following links only while they stay inside root. Returns the
 * real path (no links in it) and its lstat, or `st: null` for a missing final part when allowed.
 */
async function walkInside(loc: Located, allowMissing: boolean): Promise<Walked | FsFailure> {
  const { root } = loc
  const queue = [...loc.parts]
  let cur = root
  let hops = 0
  while (queue.length) {
    const name = queue.shift()!
    if (name === '' || name === '.') continue
    if (name === '..') {
      cur = dirname(cur)
      if (!isInside(root, cur)) return outsideOf(loc.requested, root)
      continue
    }
    const next = join(cur, name)
    let st: Stats
    try {
      st = await lstat(next)
    } catch (e) {
      if (code(e) === 'ENOENT' && allowMissing && !queue.includes('..'))
        return { ok: true, real: join(next, ...queue.filter((p) => p !== '' && p !== '.')), st: null }
      if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return failure('missing', `${loc.requested} does not exist`)
      return failure('error', msg(e))
    }
    if (st.isSymbolicLink()) {
      if (++hops > MAX_LINKS) return failure('error', `${loc.requested}: too many levels of symbolic links`)
      const target = await readlink(next).catch(() => null)
      if (target === null) return failure('error', `${loc.requested}: a link changed while it was read`)
      if (isAbsolute(target)) {
        const rel = relative(root, target)
        if (isAbsolute(rel) || !isInside(root, target)) return outsideOf(loc.requested, root)
        cur = root
        queue.unshift(...(rel === '' ? [] : rel.split(sep)))
      } else queue.unshift(...target.split('/'))
      continue
    }
    if (queue.length && !st.isDirectory())
      return failure('missing', `${loc.requested} does not exist (${relOf(root, next)} is not a folder)`)
    cur = next
  }
  try {
    return { ok: true, real: cur, st: await lstat(cur) }
  } catch (e) {
    return code(e) === 'ENOENT' && allowMissing ? { ok: true, real: cur, st: null } : failure('missing', `${loc.requested} does not exist`)
  }
}

type Opened = { ok: true; fh: FileHandle; real: string; st: Stats }

/** Opens the requested path read-only (following links) and proves what was opened is inside root. */
async function openInside(loc: Located, o?: WorktreeFsOptions): Promise<Opened | FsFailure> {
  let fh: FileHandle
  try {
    // O_NONBLOCK: a FIFO must not hang the agent; it has no effect on regular files and folders.
    fh = await open(join(loc.root, ...loc.parts), C.O_RDONLY | C.O_NONBLOCK | C.O_NOCTTY)
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') {
      const w = await walkInside(loc, false) // a dangling link out says "outside", not "missing"
      return w.ok ? failure('missing', `${loc.requested} does not exist`) : w
    }
    return failure('error', msg(e))
  }
  try {
    const st = await fh.stat()
    let real: string
    if (useProc(o)) {
      real = await readlink(fdPath(fh.fd))
      if (!isInside(loc.root, real)) throw outsideOf(loc.requested, loc.root)
    } else {
      const w = await walkInside(loc, false)
      if (!w.ok) throw w
      if (!w.st || !sameFile(w.st, st)) throw failure('outside', `${loc.requested} changed while it was opened; refused`)
      real = w.real
    }
    return { ok: true, fh, real, st }
  } catch (e) {
    await fh.close().catch(() => {})
    return (e as FsFailure).ok === false ? (e as FsFailure) : failure('error', msg(e))
  }
}

/** Reads a text file inside the worktree (following links only to what is inside). */
export async function readInside(worktree: string, requested: string, o?: WorktreeFsOptions): Promise<ReadResult> {
  const loc = await locate(worktree, requested)
  if ('ok' in loc) return loc
  const opened = await openInside(loc, o)
  if (!opened.ok) return opened
  const { fh, real, st } = opened
  try {
    if (st.isDirectory()) return failure('folder', `${relOf(loc.root, real)} is a folder`)
    if (!st.isFile()) return failure('not-file', `${relOf(loc.root, real)} is not a regular file`)
    return { ok: true, text: await fh.readFile('utf8'), path: real, relative: relOf(loc.root, real), mode: st.mode & 0o7777 }
  } catch (e) {
    return failure('error', msg(e))
  } finally {
    await fh.close().catch(() => {})
  }
}

/** What the requested path is (file, folder or other), checked the same way as a read. */
export async function statInside(worktree: string, requested: string, o?: WorktreeFsOptions): Promise<StatResult> {
  const loc = await locate(worktree, requested)
  if ('ok' in loc) return loc
  const opened = await openInside(loc, o)
  if (!opened.ok) return opened
  await opened.fh.close().catch(() => {})
  const { st, real } = opened
  return {
    ok: true,
    kind: st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other',
    size: st.size,
    mode: st.mode & 0o7777,
    path: real,
    relative: relOf(loc.root, real)
  }
}

type Dir = { ok: true; fh: FileHandle | null; path: string }

/** Linux: opens (creating when missing) each folder relative to its verified parent descriptor. */
async function openDirProc(loc: Located, dirParts: string[]): Promise<Dir | FsFailure> {
  let fh = await open(loc.root, C.O_RDONLY | C.O_DIRECTORY)
  try {
    if ((await readlink(fdPath(fh.fd))) !== loc.root)
      throw failure('outside', `the worktree ${loc.root} changed while it was opened; refused`)
    for (const name of dirParts) {
      let next: FileHandle | null = null
      for (let attempt = 0; !next; attempt++) {
        try {
          next = await open(`${fdPath(fh.fd)}/${name}`, C.O_RDONLY | C.O_DIRECTORY)
        } catch (e) {
          if (code(e) === 'ENOTDIR') throw failure('not-file', `${loc.requested}: ${name} is not a folder`)
          if (code(e) !== 'ENOENT' || attempt >= 3)
            throw failure(
              code(e) === 'ENOENT' ? 'outside' : 'error',
              code(e) === 'ENOENT' ? `${loc.requested}: ${name} is a link that leads nowhere inside the worktree` : msg(e)
            )
          // mkdir never follows a final link: a dangling link here gives EEXIST, then ENOENT again.
          await mkdir(`${fdPath(fh.fd)}/${name}`).catch((m) => {
            if (code(m) !== 'EEXIST') throw m
          })
        }
      }
      await fh.close()
      fh = next
      if (!isInside(loc.root, await readlink(fdPath(fh.fd)))) throw outsideOf(loc.requested, loc.root)
    }
    return { ok: true, fh, path: await readlink(fdPath(fh.fd)) }
  } catch (e) {
    await fh.close().catch(() => {})
    return (e as FsFailure).ok === false ? (e as FsFailure) : failure('error', msg(e))
  }
}

/** Portable: creates missing folders by path, then opens the parent and checks its identity. */
async function openDirPortable(loc: Located, dirParts: string[]): Promise<Dir | FsFailure> {
  for (let i = 1; i <= dirParts.length; i++) {
    const sub = { ...loc, parts: dirParts.slice(0, i) }
    const w = await walkInside(sub, true)
    if (!w.ok) return w
    if (w.real !== join(loc.root, ...sub.parts))
      return failure('outside', `${loc.requested}: a folder changed while it was checked; refused`)
    if (!w.st)
      await mkdir(w.real).catch((e) => {
        if (code(e) !== 'EEXIST') throw e
      })
  }
  const path = join(loc.root, ...dirParts)
  let fh: FileHandle
  try {
    fh = await open(path, C.O_RDONLY | C.O_DIRECTORY)
  } catch (e) {
    return failure('error', msg(e))
  }
  const w = await walkInside({ ...loc, parts: dirParts }, false)
  if (!w.ok || w.real !== path || !w.st || !sameFile(w.st, await fh.stat())) {
    await fh.close().catch(() => {})
    return w.ok ? failure('outside', `${loc.requested}: a folder changed while it was opened; refused`) : w
  }
  await fh.close()
  return { ok: true, fh: null, path }
}

/** Creates or replaces a file inside the worktree: temp file in the same folder, then rename. */
export async function writeInside(
  worktree: string,
  requested: string,
  content: string | Uint8Array,
  o?: WorktreeFsOptions
): Promise<WriteResult> {
  const loc = await locate(worktree, requested)
  if ('ok' in loc) return loc
  const target = await walkInside(loc, true)
  if (!target.ok) return target
  if (target.real === loc.root || target.st?.isDirectory()) return failure('folder', `${relOf(loc.root, target.real)} is a folder`)
  if (target.st && !target.st.isFile()) return failure('not-file', `${relOf(loc.root, target.real)} is not a regular file`)
  const relParts = relative(loc.root, target.real).split(sep)
  const name = relParts.pop()!
  const proc = useProc(o)
  let dir: Dir | FsFailure
  try {
    dir = proc ? await openDirProc(loc, relParts) : await openDirPortable(loc, relParts)
  } catch (e) {
    return failure('error', msg(e))
  }
  if (!dir.ok) return dir
  const base = proc ? fdPath(dir.fh!.fd) : dir.path
  const tmpName = `.${name.slice(0, 200)}.skein-${randomBytes(6).toString('hex')}.tmp`
  const tmp = `${base}/${tmpName}`
  let fh: FileHandle | null = null
  try {
    let mode: number | null = null
    try {
      const old = await lstat(`${base}/${name}`)
      if (old.isDirectory()) return failure('folder', `${relOf(loc.root, target.real)} is a folder`)
      if (old.isFile()) mode = old.mode & 0o777
    } catch (e) {
      if (code(e) !== 'ENOENT') return failure('error', msg(e))
    }
    fh = await open(tmp, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, mode ?? 0o666)
    if (!proc) {
      const w = await walkInside({ ...loc, parts: [...relParts, tmpName] }, false)
      if (!w.ok || !w.st || !sameFile(w.st, await fh.stat())) {
        throw failure('outside', `${requested}: a folder changed while writing; refused`)
      }
    }
    if (mode !== null) await fh.chmod(mode) // the creation mode passes through the umask
    await fh.writeFile(content)
    await fh.sync()
    await fh.close()
    fh = null
    await rename(tmp, `${base}/${name}`)
    const path = join(proc ? await readlink(base) : dir.path, name)
    return { ok: true, path, relative: relOf(loc.root, path), created: mode === null }
  } catch (e) {
    if (fh) await fh.close().catch(() => {})
    await unlink(tmp).catch(() => {})
    return (e as FsFailure).ok === false ? (e as FsFailure) : failure('error', `could not write ${requested}: ${msg(e)}`)
  } finally {
    await dir.fh?.close().catch(() => {})
  }
}
