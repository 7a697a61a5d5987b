import type { LogSegment } from '../../../shared/ci'
import { omittedMarker } from '../../../shared/ci'
import { parseAnsiLine, plainStyle, type AnsiSpan, type AnsiStyle } from './ansi'

/** A GitHub Actions workflow command at the start of a line (`##[error]…`), shown by its meaning. */
export type LogAnnotation = 'error' | 'warning' | 'notice' | 'group' | 'endgroup' | 'debug'

/** One row of the log view: a numbered line, or a marker where lines were left out. */
export type LogRow =
  | { kind: 'line'; n: number; timestamp: string | null; annotation: LogAnnotation | null; spans: AnsiSpan[] }
  | { kind: 'gap'; label: string }

/** The rows of a log, the widest row in characters, and where the first error is. */
export interface LogRows {
  rows: LogRow[]
  /** The longest line in characters (timestamps included), for the horizontal scroll width. */
  widest: number
  /** The largest line number, for the gutter width. */
  lastLine: number
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) /
const ANNOTATION = /^##\[(error|warning|notice|group|endgroup|debug)\]/

function lineRow(n: number, raw: string, state: AnsiStyle): { row: LogRow; state: AnsiStyle; width: number } {
  let rest = raw
  const ts = TIMESTAMP.exec(rest)
  if (ts) rest = rest.slice(ts[0].length)
  const annotation = ANNOTATION.exec(rest)
  if (annotation) rest = rest.slice(annotation[0].length)
  const parsed = parseAnsiLine(rest, state)
  const width = (ts ? ts[1].length + 1 : 0) + parsed.spans.reduce((w, s) => w + s.text.length, 0)
  return {
    row: {
      kind: 'line',
      n,
      timestamp: ts ? ts[1] : null,
      annotation: annotation ? (annotation[1] as LogAnnotation) : null,
      spans: parsed.spans
    },
    state: parsed.state,
    width
  }
}

/** Rows for log segments: numbered lines with their colours, and "… N lines omitted …" between segments. */
export function rowsFromSegments(segments: readonly LogSegment[], totalLines: number): LogRows {
  const rows: LogRow[] = []
  let widest = 0
  let next = 1
  for (const segment of segments) {
    if (segment.startLine > next) rows.push({ kind: 'gap', label: omittedMarker(segment.startLine - next) })
    // After a gap the colours in force are unknown, so each segment starts plain.
    let state = plainStyle
    segment.lines.forEach((line, i) => {
      const built = lineRow(segment.startLine + i, line, state)
      rows.push(built.row)
      state = built.state
      if (built.width > widest) widest = built.width
    })
    next = segment.startLine + segment.lines.length
  }
  if (totalLines >= next && segments.length > 0) rows.push({ kind: 'gap', label: omittedMarker(totalLines - next + 1) })
  return { rows, widest, lastLine: Math.max(totalLines, next - 1) }
}

/** Rows for live output as it printed so far (a last line without its newline yet included). */
export function rowsFromOutput(text: string, cut: boolean): LogRows {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const built = rowsFromSegments([{ startLine: 1, lines }], lines.length)
  if (cut) built.rows.unshift({ kind: 'gap', label: '… earlier output omitted …' })
  return built
}

/** The index of a line's row, or -1. */
export const rowIndexOfLine = (rows: readonly LogRow[], line: number): number => rows.findIndex((r) => r.kind === 'line' && r.n === line)
