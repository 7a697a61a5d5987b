import { lstat, readdir } from 'node:fs/promises'
import type { LeftOutFile } from '../../../shared/checkpoints'
import type { TreeChange } from '../git/diff-trees'
import { absPath, parentsOf, pathText } from './byte-paths'

/** A present path a rewind cannot touch, and why. */
export interface BlockedPath {
  path: string
  reason: string
}

/** What taking the files from one saved tree to another means on disk. */
export interface FilePlan {
  /** Entries to write from the target tree (added, modified, type-changed). */
  write: TreeChange[]
  /** Byte-string paths to delete (folders left empty by them go too). */
  remove: string[]
  /** Paths on disk that are in neither tree (git-ignored or left out) but would have to be overwritten or removed. */
  blocked: BlockedPath[]
}

/**
 * Plans the changes `changes` (current tree → target tree) against the disk. `leftOut` is what the
 * current tree left out, to name why a path is blocked; anything else on disk outside the current
 * tree is git-ignored, and a rewind never overwrites or deletes such a file (nor empties a folder of one).
 */
export async function planFiles(worktree: string, changes: readonly TreeChange[], leftOut: readonly LeftOutFile[]): Promise<FilePlan> {
  const write = changes.filter((c) => c.newMode !== '000000')
  const remove = changes.filter((c) => c.newMode === '000000').map((c) => c.path)
  const removed = new Set(remove)
  const blocked = new Map<string, string>()
  const block = (path: string) => {
    if (!blocked.has(path)) blocked.set(path, reasonFor(pathText(path), leftOut))
  }
  for (const c of write) {
    if (c.oldMode !== '000000') continue
    // A new path: nothing the current tree lacks may stand where it or its folders go.
    let clear = true
    for (const dir of parentsOf(c.path)) {
      const st = await lstat(absPath(worktree, dir)).catch(() => null)
      if (!st) break
      if (st.isDirectory()) continue
      if (!removed.has(dir)) block(dir)
      clear = false
      break
    }
    if (!clear) continue
    const st = await lstat(absPath(worktree, c.path)).catch(() => null)
    if (!st) continue
    if (!st.isDirectory()) block(c.path)
    else {
      // A folder where a file goes: only when every file in it is removed does it go away.
      const stays = await firstKept(worktree, c.path, removed)
      if (stays !== null) block(stays)
    }
  }
  return { write, remove, blocked: [...blocked].map(([path, reason]) => ({ path: pathText(path), reason })) }
}

/** The first file under folder `dir` that the plan does not remove; null when all go. */
async function firstKept(worktree: string, dir: string, removed: ReadonlySet<string>): Promise<string | null> {
  const names = await readdir(absPath(worktree, dir), { encoding: 'buffer', withFileTypes: true }).catch(() => [])
  for (const d of names) {
    const path = `${dir}/${d.name.toString('latin1')}`
    if (d.isDirectory()) {
      const kept = await firstKept(worktree, path, removed)
      if (kept !== null) return kept
    } else if (!removed.has(path)) return path
  }
  return null
}

function reasonFor(path: string, leftOut: readonly LeftOutFile[]): string {
  const lo = leftOut.find((l) => path === l.path || path.startsWith(`${l.path}/`) || l.path.startsWith(`${path}/`))
  if (lo) return `not saved in the current state (${lo.reason}): a rewind would overwrite or remove it`
  return 'git-ignored: a rewind never overwrites or removes ignored files'
}
