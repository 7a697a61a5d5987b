import { describe, expect, it } from 'vitest'
import { renderLogSegments } from '../src/shared/ci'
import { inlineStyle, parseAnsiLine, spanClass, stripAnsi } from '../src/renderer/features/ci/ansi'
import { rowIndexOfLine, rowsFromOutput, rowsFromSegments } from '../src/renderer/features/ci/log-rows'

const texts = (line: string) => parseAnsiLine(line).spans.map((s) => s.text)
const classes = (line: string) => parseAnsiLine(line).spans.map((s) => (s.style ? spanClass(s.style) : ''))

describe('ANSI SGR to spans (the CI log view)', () => {
  it('keeps plain text as one unstyled span', () => {
    expect(parseAnsiLine('hello <b>world</b> & co').spans).toEqual([{ text: 'hello <b>world</b> & co', style: null }])
  })

  it('splits coloured runs and resets', () => {
    const line = '\x1b[31mFAIL\x1b[0m src/a.test.ts \x1b[1;32m✓ ok\x1b[39m bold'
    expect(texts(line)).toEqual(['FAIL', ' src/a.test.ts ', '✓ ok', ' bold'])
    expect(classes(line)).toEqual(['ansi-fg-1', '', 'ansi-fg-2 ansi-bold', 'ansi-bold'])
  })

  it('reads bright, background, 256-colour and true-colour forms', () => {
    expect(classes('\x1b[91;44mx')).toEqual(['ansi-fg-9 ansi-bg-4'])
    const [c256] = parseAnsiLine('\x1b[38;5;208mx').spans
    expect(inlineStyle(c256.style!)).toEqual({ color: '#ff8700' })
    const [grey] = parseAnsiLine('\x1b[48;5;244mx').spans
    expect(inlineStyle(grey.style!)).toEqual({ backgroundColor: '#808080' })
    const [rgb] = parseAnsiLine('\x1b[38;2;10;20;30mx').spans
    expect(inlineStyle(rgb.style!)).toEqual({ color: '#0a141e' })
    const [colon] = parseAnsiLine('\x1b[38:2::255:0:0mx').spans
    expect(inlineStyle(colon.style!)).toEqual({ color: '#ff0000' })
    const [low] = parseAnsiLine('\x1b[38;5;3mx').spans
    expect(spanClass(low.style!)).toBe('ansi-fg-3')
  })

  it('ignores malformed colours instead of producing CSS from them', () => {
    const [bad] = parseAnsiLine('\x1b[38;2;999;0;0mx').spans
    expect(bad.style).toBeNull()
    expect(texts('\x1b[38;5mx')).toEqual(['x'])
  })

  it('carries the style into the next line, as a terminal does', () => {
    const first = parseAnsiLine('\x1b[33mwarning: start')
    const second = parseAnsiLine('still yellow\x1b[0m plain', first.state)
    expect(second.spans.map((s) => [s.text, s.style ? spanClass(s.style) : ''])).toEqual([
      ['still yellow', 'ansi-fg-3'],
      [' plain', '']
    ])
  })

  it('drops cursor moves, OSC titles and hyperlinks, and other control characters', () => {
    expect(texts('\x1b]0;title\x07\x1b[2K\x1b[1Gdone\x1b]8;;https://x.test\x07link\x1b]8;;\x07\x08')).toEqual(['done', 'link'])
    expect(stripAnsi('\x1b[31mred\x1b[0m\tand\x1b[?25l plain')).toBe('red\tand plain')
  })

  it('lets a carriage return overwrite the line (progress bars), but not a trailing one', () => {
    expect(texts('progress 10%\rprogress 100%')).toEqual(['progress 100%'])
    expect(texts('done\r')).toEqual(['done'])
  })

  it('renders inverse video with the swapped colours', () => {
    expect(classes('\x1b[7mx')).toEqual(['ansi-bg-fg ansi-fg-bg'])
    expect(classes('\x1b[7;31mx')).toEqual(['ansi-bg-1 ansi-fg-bg'])
  })
})

describe('log rows', () => {
  it('numbers lines from their segments and marks each gap with the shared omitted marker', () => {
    const segments = [
      { startLine: 1, lines: ['a', 'b'] },
      { startLine: 10, lines: ['\x1b[31mERROR x\x1b[0m', 'y'] }
    ]
    const { rows, lastLine } = rowsFromSegments(segments, 20)
    const shown = rows.map((r) => (r.kind === 'gap' ? r.label : `${r.n}:${r.spans.map((s) => s.text).join('')}`))
    expect(shown).toEqual(['1:a', '2:b', '… 7 lines omitted …', '10:ERROR x', '11:y', '… 9 lines omitted …'])
    expect(stripAnsi(renderLogSegments(segments, 20)).split('\n')).toEqual(shown.map((s) => s.replace(/^\d+:/, '')))
    expect(lastLine).toBe(20)
    expect(rowIndexOfLine(rows, 10)).toBe(3)
    expect(rowIndexOfLine(rows, 5)).toBe(-1)
  })

  it('takes GitHub timestamps and workflow commands apart', () => {
    const { rows, widest } = rowsFromSegments(
      [{ startLine: 1, lines: ['2024-05-01T10:00:00.1234567Z ##[error]Process completed with exit code 1.'] }],
      1
    )
    expect(rows[0]).toMatchObject({
      kind: 'line',
      timestamp: '2024-05-01T10:00:00.1234567Z',
      annotation: 'error',
      spans: [{ text: 'Process completed with exit code 1.' }]
    })
    expect(widest).toBe('2024-05-01T10:00:00.1234567Z '.length + 'Process completed with exit code 1.'.length)
  })

  it('builds live output rows, with a partial last line and a note when the head was cut', () => {
    const { rows } = rowsFromOutput('one\ntwo\nthr', true)
    expect(rows.map((r) => (r.kind === 'gap' ? r.label : r.spans.map((s) => s.text).join('')))).toEqual([
      '… earlier output omitted …',
      'one',
      'two',
      'thr'
    ])
    expect(rowsFromOutput('', false).rows).toEqual([])
  })

  it('handles 20,000 coloured lines quickly enough to build on open', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => (i % 3 ? `step ${i} \x1b[32mok\x1b[0m` : `plain line ${i}`))
    const { rows } = rowsFromSegments([{ startLine: 1, lines }], lines.length)
    expect(rows).toHaveLength(20_000)
    expect(rows[1]).toMatchObject({ n: 2, spans: [{ text: 'step 1 ' }, { text: 'ok' }] })
  })
})
