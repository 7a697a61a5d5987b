import { copyFile, lstat, mkdtemp, rm, stat, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LeftOutFile } from '../../../shared/checkpoints'
import { buildTree } from '../git/build-tree'
import type { GitRunner } from '../git/git-runner'
import { indexFileOf } from '../git/index-file'
import { spawnGitOk } from '../git/spawn-git'
import { hashFilesRaw } from '../git/hash-object'
import { statusScan } from '../git/status-v2'
import { updateIndexPaths } from '../git/update-index-paths'
import { writeTreeOf } from '../git/write-tree'
import { absPath, parentsOf, pathText } from './byte-paths'

/** Which untracked files a checkpoint leaves out (and lists): files over `fileBytes`, wholly untracked folders of more than `dirFiles` files. */
export interface LeaveOutLimits {
  fileBytes: number
  dirFiles: number
}

/** The defaults, as Codex's ghost commits: untracked files over 10 MiB, untracked folders of more than 200 files. */
export const DEFAULT_LEAVE_OUT: LeaveOutLimits = { fileBytes: 10 * 1024 * 1024, dirFiles: 200 }

/** A worktree's state as a checkpoint stores it (see checkpoint-write.ts for the commit layout). */
export interface WorktreeState {
  /** The files on disk: tracked, changed and untracked; ignored and left-out ones not included. */
  worktreeTree: string
  /** The index's tree; when the index has unmerged entries, a tree holding the raw index as `index` (and its blobs). */
  indexTree: string
  /** The raw index blob when the index had unmerged entries; null otherwise. */
  indexBlob: string | null
  head: string | null
  /** The checked-out branch's short name; null when detached. */
  branch: string | null
  /** Distinct paths differing from HEAD in the files or the index (saved untracked files included). */
  dirtyFiles: number
  leftOut: LeftOutFile[]
  /** Paths added with `git add --intent-to-add` (a tree cannot hold that mark). */
  intentToAdd: string[]
  /** What `onIndex` made of the index's tree and HEAD (the index commit); null without it. */
  indexCommit: string | null
}

/** Made from the index's tree (or raw-index tree) and HEAD as soon as they are known, while the files are still being read. */
export type OnIndex = (indexTree: string, head: string | null, indexBlob: string | null) => Promise<string>

/** A byte-string untracked path with its size, once looked at. */
interface Untracked {
  path: string
  bytes: number
  file: boolean
}

/**
 * Reads the worktree's whole state into git objects without touching its index, HEAD or files:
 * one status scan against a copy of the index, then only the changed paths written as blobs into
 * that copy. Git-ignored files are never looked at; big untracked artifacts are left out and listed.
 */
export async function scanWorktree(
  git: GitRunner,
  worktree: string,
  limits: LeaveOutLimits = DEFAULT_LEAVE_OUT,
  onIndex?: OnIndex
): Promise<WorktreeState> {
  const [indexPath, scratch] = await Promise.all([indexFileOf(git, worktree), mkdtemp(join(tmpdir(), 'skein-checkpoint-'))])
  try {
    const scanIndex = join(scratch, 'scan')
    const treeIndex = join(scratch, 'tree')
    await Promise.all([copyIndex(indexPath, scanIndex), copyIndex(indexPath, treeIndex)])
    // write-tree stores its cache in the index it reads, so it gets a copy of its own and runs alongside the scan.
    const [status, tree] = await Promise.all([statusScan(git, worktree, scanIndex), writeTreeOf(git, worktree, treeIndex)])
    let indexTree = tree
    let indexBlob: string | null = null
    if (indexTree === null) ({ indexTree, indexBlob } = await storeRawIndex(git, worktree, treeIndex))
    const indexCommit = onIndex ? onIndex(indexTree, status.head, indexBlob) : null
    // Settled below; this keeps an early failure elsewhere from leaving it unhandled.
    indexCommit?.catch(() => undefined)

    const update: string[] = []
    const dirty = new Set<string>()
    const intentToAdd: string[] = []
    const untracked: string[] = []
    const nested: string[] = []
    for (const e of status.entries) {
      if (e.kind === 'untracked') {
        // A folder git reports whole is a repository of its own.
        ;(e.path.endsWith('/') ? nested : untracked).push(e.path)
        continue
      }
      dirty.add(e.path)
      if (e.kind === 'changed' && e.origPath) dirty.add(e.origPath)
      if (e.kind === 'unmerged' || e.xy[1] !== '.') update.push(e.path)
      if (e.kind === 'changed' && e.origPath && e.xy[1] !== '.') update.push(e.origPath)
      if (e.kind === 'changed' && e.xy === '.A') intentToAdd.push(pathText(e.path))
    }

    const trackedDirs = async (): Promise<Set<string>> => {
      const source = tree ?? status.head
      const dirs = new Set<string>()
      if (source) {
        const out = await git.withInput(worktree, ['ls-tree', '-r', '-d', '-z', '--name-only', source], Buffer.alloc(0))
        for (const d of out.stdout.toString('latin1').split('\0')) if (d) dirs.add(d)
      }
      for (const p of dirty) for (const d of parentsOf(p)) dirs.add(d)
      return dirs
    }
    const sorted = await sortUntracked(worktree, untracked, nested, limits, trackedDirs)
    for (const p of sorted.saved) dirty.add(p)
    update.push(...sorted.saved)

    await updateIndexPaths(git, worktree, scanIndex, update)
    const worktreeTree = update.length === 0 && tree !== null ? tree : await writeTreeOf(git, worktree, scanIndex)
    if (worktreeTree === null) throw new Error(`git write-tree failed on the scanned index of ${worktree}`)
    return {
      worktreeTree,
      indexTree,
      indexBlob,
      head: status.head,
      branch: status.branch,
      dirtyFiles: dirty.size,
      leftOut: sorted.leftOut,
      intentToAdd,
      indexCommit: await indexCommit
    }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/**
 * Copies the index keeping its mtime: git trusts cached entries older than the index file, so a
 * fresh mtime would hide a same-size edit made in the same second as the last index write.
 */
async function copyIndex(from: string, to: string): Promise<void> {
  const copied = await copyFile(from, to).then(
    () => true,
    () => false
  )
  if (!copied) return
  const st = await stat(from)
  await utimes(to, st.atime, st.mtime)
}

/**
 * An index with unmerged entries has no tree: its raw bytes go in as a blob, in a tree with every
 * blob it names (so gc keeps the staged and conflicting versions), to be written back as they were.
 */
async function storeRawIndex(git: GitRunner, worktree: string, indexFile: string): Promise<{ indexTree: string; indexBlob: string }> {
  const [indexBlob] = await hashFilesRaw(git, worktree, [indexFile])
  const listed = await spawnGitOk(git, worktree, ['ls-files', '--stage', '-z'], { GIT_INDEX_FILE: indexFile })
  const ids = new Set<string>()
  for (const rec of listed.split('\0')) {
    const m = /^(\d+) ([0-9a-f]+) \d\t/.exec(rec)
    if (m && m[1] !== '160000') ids.add(m[2]!)
  }
  const entries = [
    { mode: '100644', id: indexBlob!, path: 'index' },
    ...[...ids].map((id) => ({ mode: '100644', id, path: `blobs/${id}` }))
  ]
  return { indexTree: await buildTree(git, worktree, entries), indexBlob: indexBlob! }
}

/**
 * Splits untracked files into those saved and those left out: files over the size limit, and
 * wholly untracked folders (no tracked file inside) holding more than the count limit. Tracked
 * folders are only looked up when some folder has that many untracked files at all.
 */
async function sortUntracked(
  worktree: string,
  files: readonly string[],
  nested: readonly string[],
  limits: LeaveOutLimits,
  trackedDirs: () => Promise<Set<string>>
): Promise<{ saved: string[]; leftOut: LeftOutFile[] }> {
  const counts = new Map<string, number>()
  for (const f of files) for (const d of parentsOf(f)) counts.set(d, (counts.get(d) ?? 0) + 1)
  const bigDirs = new Map<string, Untracked[]>()
  const topOf = new Map<string, string>()
  if ([...counts.values()].some((n) => n > limits.dirFiles)) {
    const tracked = await trackedDirs()
    for (const f of files) {
      // The outermost folder not tracked: everything under it is untracked.
      const top = parentsOf(f).find((d) => !tracked.has(d))
      if (top !== undefined && counts.get(top)! > limits.dirFiles) {
        topOf.set(f, top)
        if (!bigDirs.has(top)) bigDirs.set(top, [])
      }
    }
  }
  const looked = await lookAt(worktree, files)
  const saved: string[] = []
  const leftOut: LeftOutFile[] = []
  for (const u of looked) {
    const top = topOf.get(u.path)
    if (top !== undefined) bigDirs.get(top)!.push(u)
    else if (u.file && u.bytes > limits.fileBytes) {
      leftOut.push({ path: pathText(u.path), bytes: u.bytes, files: 1, reason: `untracked file over ${mib(limits.fileBytes)}` })
    } else saved.push(u.path)
  }
  for (const [dir, inside] of bigDirs) {
    const bytes = inside.reduce((sum, u) => sum + u.bytes, 0)
    const reason = `untracked folder with more than ${limits.dirFiles} files`
    leftOut.push({ path: pathText(dir), bytes, files: inside.length, reason })
  }
  for (const n of nested) {
    const path = n.slice(0, -1)
    if (parentsOf(path).some((d) => bigDirs.has(d))) continue
    leftOut.push({ path: pathText(path), bytes: 0, files: 0, reason: 'a nested git repository (its files are not saved)' })
  }
  leftOut.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return { saved, leftOut }
}

const mib = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`)

/** Sizes of untracked files (lstat, a few dozen at a time); a file gone since the scan counts as empty. */
async function lookAt(worktree: string, files: readonly string[]): Promise<Untracked[]> {
  const out: Untracked[] = []
  for (let i = 0; i < files.length; i += 64) {
    const batch = files.slice(i, i + 64)
    const stats = await Promise.all(batch.map((f) => lstat(absPath(worktree, f)).catch(() => null)))
    batch.forEach((path, j) => out.push({ path, bytes: stats[j]?.size ?? 0, file: stats[j]?.isFile() ?? false }))
  }
  return out
}
