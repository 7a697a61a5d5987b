import { lstat, readFile, readlink } from 'node:fs/promises'
import { DIFF_GUARD, type FileDiff } from '../../../shared/review'
import type { GitRunner } from '../git/git-runner'
import { readBlob } from '../git/read-blob'

/** One side of a diff as bytes; null when that side has no file (added or deleted). */
type Side = { kind: 'bytes'; bytes: Buffer } | { kind: 'absent' } | { kind: 'not-a-file' } | { kind: 'too-big'; size: number }

const utf8 = new TextDecoder('utf-8', { fatal: true })

// Git's own heuristic: a NUL in the first 8,000 bytes makes a file binary.
const looksBinary = (b: Buffer) => b.subarray(0, 8000).includes(0)
const hasUtf16Bom = (b: Buffer) => b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))

function decode(b: Buffer): string | null {
  try {
    return utf8.decode(b)
  } catch {
    return null
  }
}

async function workingSide(path: string): Promise<Side> {
  const st = await lstat(path).catch(() => null)
  if (!st) return { kind: 'absent' }
  // Git stores a symlink as its target text, so the diff shows the target too.
  if (st.isSymbolicLink()) return { kind: 'bytes', bytes: Buffer.from(await readlink(path), 'utf8') }
  if (!st.isFile()) return { kind: 'not-a-file' }
  if (st.size > DIFF_GUARD.hardCapBytes) return { kind: 'too-big', size: st.size }
  const bytes = await readFile(path).catch(() => null)
  return bytes ? { kind: 'bytes', bytes } : { kind: 'absent' }
}

/** Lines that differ once the common first and last lines are set aside: an upper bound on added + deleted. */
export function changedLineEstimate(a: string, b: string): number {
  const split = (s: string) => (s === '' ? [] : (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n'))
  const x = split(a)
  const y = split(b)
  let head = 0
  while (head < x.length && head < y.length && x[head] === y[head]) head++
  let tail = 0
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++
  return x.length - head - tail + (y.length - head - tail)
}

function longestLine(text: string): number {
  let max = 0
  let start = 0
  for (;;) {
    const i = text.indexOf('\n', start)
    const end = i < 0 ? text.length : i
    if (end - start > max) max = end - start
    if (i < 0) return max
    start = i + 1
  }
}

/**
 * Both sides of one changed file: the scope's base commit against the file on disk. Binary and
 * non-UTF-8 sides come back as notices, and anything over the size guard as a summary unless forced.
 */
export async function loadFileDiff(
  git: GitRunner,
  worktree: string,
  o: { baseCommit: string; path: string; oldPath: string | null; absolutePath: string; force: boolean }
): Promise<FileDiff> {
  const blob = await readBlob(git, worktree, o.baseCommit, o.oldPath ?? o.path, DIFF_GUARD.hardCapBytes)
  const original: Side = blob.kind === 'ok' ? { kind: 'bytes', bytes: blob.bytes } : blob.kind === 'too-big' ? blob : { kind: 'absent' }
  const modified = await workingSide(o.absolutePath)
  const bytesOf = (s: Side) => (s.kind === 'bytes' ? s.bytes.length : s.kind === 'too-big' ? s.size : 0)
  const total = bytesOf(original) + bytesOf(modified)
  if (original.kind === 'too-big' || modified.kind === 'too-big' || total > DIFF_GUARD.hardCapBytes) {
    return { kind: 'too-large', reason: 'hard-cap', bytes: total, longestLine: 0, changedLines: 0, canForce: false }
  }
  if (modified.kind === 'not-a-file') return { kind: 'binary', originalBytes: bytesOf(original), modifiedBytes: 0 }
  const a = original.kind === 'bytes' ? original.bytes : Buffer.alloc(0)
  const b = modified.kind === 'bytes' ? modified.bytes : Buffer.alloc(0)
  const bomA = hasUtf16Bom(a)
  const bomB = hasUtf16Bom(b)
  if (!bomA && !bomB && (looksBinary(a) || looksBinary(b))) return { kind: 'binary', originalBytes: a.length, modifiedBytes: b.length }
  const textA = bomA ? null : decode(a)
  const textB = bomB ? null : decode(b)
  if (textA === null || textB === null) {
    return {
      kind: 'not-utf8',
      side: textA === null && textB === null ? 'both' : textA === null ? 'original' : 'modified',
      originalBytes: a.length,
      modifiedBytes: b.length
    }
  }
  if (o.force) return { kind: 'text', original: textA, modified: textB }
  const longest = Math.max(longestLine(textA), longestLine(textB))
  const changed = total > DIFF_GUARD.maxBytes ? 0 : changedLineEstimate(textA, textB)
  const reason =
    total > DIFF_GUARD.maxBytes
      ? 'bytes'
      : longest > DIFF_GUARD.maxLineLength
        ? 'long-line'
        : changed > DIFF_GUARD.maxChangedLines
          ? 'many-lines'
          : null
  if (reason) return { kind: 'too-large', reason, bytes: total, longestLine: longest, changedLines: changed, canForce: true }
  return { kind: 'text', original: textA, modified: textB }
}
