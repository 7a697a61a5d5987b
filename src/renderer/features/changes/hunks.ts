import type { LineSpan } from '../../../shared/review'

/** The line ranges of one change as Monaco's diff reports them (an End of 0 is an empty range after Start). */
export interface LineChange {
  originalStartLineNumber: number
  originalEndLineNumber: number
  modifiedStartLineNumber: number
  modifiedEndLineNumber: number
}

/** One side of a Monaco change as a LineSpan: a count of 0 is an empty range just before `start`. */
export function toSpan(start: number, end: number): LineSpan {
  return end === 0 ? { start: start + 1, count: 0 } : { start, count: end - start + 1 }
}

/** Both sides of a Monaco change in the review protocol's terms. */
export function hunkSpans(c: LineChange): { original: LineSpan; modified: LineSpan } {
  return {
    original: toSpan(c.originalStartLineNumber, c.originalEndLineNumber),
    modified: toSpan(c.modifiedStartLineNumber, c.modifiedEndLineNumber)
  }
}

/** The modified-side line a change is shown at (a deletion sits just after its Start line). */
export const changeLine = (c: LineChange): number => Math.max(1, c.modifiedStartLineNumber)

/** The row a change's action button covers: the line above the change, or for a deletion the line it follows. */
export function buttonLine(c: LineChange): number {
  if (c.modifiedEndLineNumber === 0) return Math.max(1, c.modifiedStartLineNumber)
  return Math.max(1, c.modifiedStartLineNumber - 1)
}

/** The change whose lines, or whose button row, are at a modified-side line; -1 for none. */
export function changeNearLine(changes: readonly LineChange[], line: number): number {
  const at = changeAtLine(changes, line)
  return at >= 0 ? at : changes.findIndex((c) => buttonLine(c) === line)
}

/** The last modified-side line a change covers (its first line for a deletion). */
const changeEnd = (c: LineChange): number =>
  Math.max(1, c.modifiedEndLineNumber === 0 ? c.modifiedStartLineNumber : c.modifiedEndLineNumber)

/** The index of the change covering a modified-side line, or -1. */
export function changeAtLine(changes: readonly LineChange[], line: number): number {
  return changes.findIndex((c) => line >= changeLine(c) && line <= changeEnd(c))
}

/**
 * The change to move to from a line: the first one starting below it (direction 1) or the last one
 * starting above it (-1), wrapping around at the ends. -1 when there are no changes.
 */
export function stepChange(changes: readonly LineChange[], line: number, direction: 1 | -1): number {
  if (changes.length === 0) return -1
  if (direction === 1) {
    const i = changes.findIndex((c) => changeLine(c) > line)
    return i < 0 ? 0 : i
  }
  for (let i = changes.length - 1; i >= 0; i--) if (changeLine(changes[i]) < line) return i
  return changes.length - 1
}

/** The text of a span's lines (joined with \n), read from a line getter; empty for an empty span. */
export function spanText(span: LineSpan, lineAt: (n: number) => string): string {
  const lines: string[] = []
  for (let n = span.start; n < span.start + span.count; n++) lines.push(lineAt(n))
  return lines.join('\n')
}

/** "line 4" or "lines 4–9", for labels. */
export function linesLabel(start: number, end: number): string {
  return start === end ? `line ${start}` : `lines ${start}–${end}`
}

/** Which side of a diff has no text at all (an added or a deleted file); null when both have some, or neither. */
export type EmptySide = 'original' | 'modified' | null

/** The empty side of a diff, if exactly one side is empty. */
export function emptySideOf(original: string, modified: string): EmptySide {
  if (original === '' && modified !== '') return 'original'
  if (modified === '' && original !== '') return 'modified'
  return null
}

/**
 * The text Monaco gets for one side. Beside an empty side, the other side's final newline is dropped: every
 * line of it is changed, so Monaco would otherwise show the empty line after it as one more added (or removed) line.
 */
export function oneSidedText(text: string, emptySide: EmptySide): string {
  return emptySide && text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text
}

/** Monaco's changes with the empty side's phantom line 1 taken out: a plain insertion (or deletion) before line 1. */
export function oneSidedChanges(changes: readonly LineChange[], emptySide: EmptySide): LineChange[] {
  if (!emptySide) return [...changes]
  return changes.map((c) =>
    emptySide === 'original'
      ? { ...c, originalStartLineNumber: 0, originalEndLineNumber: 0 }
      : { ...c, modifiedStartLineNumber: 0, modifiedEndLineNumber: 0 }
  )
}
