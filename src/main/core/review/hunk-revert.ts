import type { LineSpan } from '../../../shared/review'

/** The outcome of putting one hunk back. */
export type HunkRevertResult = { kind: 'ok'; text: string } | { kind: 'stale'; detail: string }

interface Lines {
  lines: string[]
  eol: '\n' | '\r\n'
  finalNewline: boolean
}

function toLines(text: string): Lines {
  const crlf = (text.match(/\r\n/g) ?? []).length
  const lf = (text.match(/\n/g) ?? []).length
  const finalNewline = text.endsWith('\n')
  const body = finalNewline ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text
  return { lines: text === '' ? [] : body.split(/\r?\n/), eol: crlf * 2 > lf ? '\r\n' : '\n', finalNewline }
}

/**
 * Replaces the `modified` lines of the current text with the `original` lines of the base text:
 * the reverse of one diff hunk. Refused as stale when the current lines are no longer `expected`,
 * so a revert never lands on lines the agent has since rewritten.
 */
export function revertHunk(
  current: string,
  original: string,
  spans: { original: LineSpan; modified: LineSpan },
  expected: string
): HunkRevertResult {
  const cur = toLines(current)
  const base = toLines(original)
  const m = spans.modified
  const o = spans.original
  if (m.start - 1 + m.count > cur.lines.length || m.start - 1 > cur.lines.length)
    return { kind: 'stale', detail: `the file has only ${cur.lines.length} lines now` }
  if (o.start - 1 + o.count > base.lines.length || o.start - 1 > base.lines.length)
    return { kind: 'stale', detail: 'the base side has changed' }
  const now = cur.lines.slice(m.start - 1, m.start - 1 + m.count).join('\n')
  if (now !== expected.replace(/\r\n/g, '\n')) return { kind: 'stale', detail: 'those lines have changed since the diff was shown' }
  const lines = [
    ...cur.lines.slice(0, m.start - 1),
    ...base.lines.slice(o.start - 1, o.start - 1 + o.count),
    ...cur.lines.slice(m.start - 1 + m.count)
  ]
  // A hunk at the end of the file also decides whether the file ends with a newline, as the base did.
  const atEnd = m.start - 1 + m.count >= cur.lines.length && o.start - 1 + o.count >= base.lines.length
  const finalNewline = atEnd ? base.finalNewline : cur.finalNewline
  const text = lines.join(cur.eol)
  return { kind: 'ok', text: lines.length === 0 ? '' : finalNewline ? text + cur.eol : text }
}
