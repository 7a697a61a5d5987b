import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { excerptLog, excerptLogs, isErrorLine, stripAnsi } from '../src/main/core/ci/log-excerpt'
import { renderLogSegments } from '../src/shared/ci'
import { cleanupTemp, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

const line = (n: number) => `2024-05-01T10:00:00.0000000Z [step ${n % 7}] compiling module ${n} ok, nothing to report here at all`

/** A generated log of `lines` lines in 64 KB chunks, with `errorAt` replaced by an error. */
async function* bigLog(lines: number, errorAt: number | null): AsyncGenerator<Uint8Array> {
  let buf = ''
  for (let n = 1; n <= lines; n++) {
    buf += (n === errorAt ? '\x1b[31mError: Cannot find module "left-pad" from src/app.ts\x1b[0m' : line(n)) + '\n'
    if (buf.length > 65_536) {
      yield Buffer.from(buf)
      buf = ''
    }
  }
  if (buf) yield Buffer.from(buf)
}

describe('log excerpts', () => {
  it('excerpts a >10 MB log: the first error with context, the tail, markers and the error line number', async () => {
    const lines = 120_000
    let bytes = 0
    const counted = async function* () {
      for await (const c of bigLog(lines, 60_001)) {
        bytes += c.length
        yield c
      }
    }
    const ex = await excerptLog(counted(), { beforeLines: 5, afterLines: 10, tailLines: 20 })
    expect(bytes).toBeGreaterThan(10 * 1024 * 1024)
    expect(ex.totalLines).toBe(lines)
    expect(ex.firstErrorLine).toBe(60_001)
    expect(ex.truncated).toBe(true)
    expect(ex.segments.map((s) => [s.startLine, s.lines.length])).toEqual([
      [59_996, 16],
      [lines - 19, 20]
    ])
    expect(ex.segments[0]!.lines[5]).toContain('Cannot find module')
    expect(ex.segments[0]!.lines[0]).toBe(line(59_996))
    expect(ex.segments[1]!.lines.at(-1)).toBe(line(lines))
    const text = renderLogSegments(ex.segments, ex.totalLines)
    expect(text.startsWith('… 59995 lines omitted …\n')).toBe(true)
    expect(text).toContain(`${line(60_011)}\n… ${lines - 20 - 60_011} lines omitted …\n${line(lines - 19)}`)
    expect(Buffer.byteLength(text)).toBeLessThan(16 * 1024)
  })

  it('keeps each part within its byte budget', async () => {
    const ex = await excerptLog(bigLog(5000, 2500), {
      beforeLines: 100,
      afterLines: 100,
      tailLines: 100,
      errorBytes: 2048,
      tailBytes: 1024
    })
    const [around, tail] = ex.segments
    const size = (l: string[]) => l.reduce((n, s) => n + Buffer.byteLength(s) + 1, 0)
    expect(size(around!.lines)).toBeLessThanOrEqual(2048)
    expect(size(tail!.lines)).toBeLessThanOrEqual(1024)
    expect(around!.lines.some((l) => l.includes('Cannot find module'))).toBe(true)
    // A third of the error budget looks back, the rest forward.
    const errorIndex = around!.lines.findIndex((l) => l.includes('Cannot find module'))
    expect(errorIndex).toBeGreaterThan(0)
    expect(around!.lines.length - errorIndex - 1).toBeGreaterThan(errorIndex)
    expect(tail!.lines.at(-1)).toBe(line(5000))
  })

  it('keeps a small log whole and finds only the first error', async () => {
    const text = 'start\nnpm ERR! code ELIFECYCLE\nmiddle\nTypeError: later\nend'
    const ex = await excerptLog([text])
    expect(ex).toEqual({ segments: [{ startLine: 1, lines: text.split('\n') }], totalLines: 5, firstErrorLine: 2, truncated: false })
  })

  it('shows only the tail when nothing looks like an error', async () => {
    const ex = await excerptLog(bigLog(3000, null), { tailLines: 10 })
    expect(ex.firstErrorLine).toBeNull()
    expect(ex.segments).toEqual([{ startLine: 2991, lines: Array.from({ length: 10 }, (_, i) => line(2991 + i)) }])
  })

  it('merges the error context into the tail when they meet', async () => {
    const ex = await excerptLog(bigLog(1000, 990), { beforeLines: 5, afterLines: 5, tailLines: 8 })
    expect(ex.segments.map((s) => [s.startLine, s.lines.length])).toEqual([[985, 16]])
  })

  it('decodes UTF-8 split across chunks and handles CRLF and a missing final newline', async () => {
    const text = 'héllo wörld ✓\r\nfehler: ✗ kaputt 🚀\r\nlast line'
    const bytes = Buffer.from(text)
    const oneByteChunks = async function* () {
      for (const b of bytes) yield Uint8Array.of(b)
    }
    const ex = await excerptLog(oneByteChunks())
    expect(ex.segments[0]!.lines).toEqual(['héllo wörld ✓', 'fehler: ✗ kaputt 🚀', 'last line'])
    expect(ex.totalLines).toBe(3)
  })

  it('cuts a giant line instead of holding it', async () => {
    const giant = async function* () {
      yield 'before\n'
      for (let i = 0; i < 80; i++) yield 'x'.repeat(65_536)
      yield '\nafter error: here\n'
    }
    const ex = await excerptLog(giant(), { maxLineChars: 1000 })
    expect(ex.totalLines).toBe(3)
    expect(ex.firstErrorLine).toBe(3)
    const all = ex.segments.flatMap((s) => s.lines)
    expect(all.find((l) => l.startsWith('xxx'))).toBe(`${'x'.repeat(1000)}… [${80 * 65_536 - 1000} more characters]`)
    expect(ex.truncated).toBe(true)
  })

  it('reads a file stream, and several budgets in one pass', async () => {
    const path = join(tempDir(), 'job.log')
    writeFile(path, Array.from({ length: 500 }, (_, i) => (i === 249 ? 'FAIL src/app.test.ts > adds' : `ok ${i}`)).join('\n'))
    const [wide, narrow] = await excerptLogs(createReadStream(path), [
      { beforeLines: 50, afterLines: 50, tailLines: 50, errorBytes: 1e6, tailBytes: 1e6 },
      { beforeLines: 1, afterLines: 1, tailLines: 1, errorBytes: 100, tailBytes: 100 }
    ])
    expect(wide!.segments).toHaveLength(1)
    expect(wide!.segments[0]!.lines).toHaveLength(500)
    expect(narrow!.segments.map((s) => [s.startLine, s.lines])).toEqual([
      [249, ['ok 248', 'FAIL src/app.test.ts > adds', 'ok 250']],
      [500, ['ok 499']]
    ])
    expect(wide!.firstErrorLine).toBe(250)
  })

  it('handles an empty log', async () => {
    expect(await excerptLog([])).toEqual({ segments: [], totalLines: 0, firstErrorLine: null, truncated: false })
  })
})

describe('error line detection', () => {
  const errors = [
    'src/a.ts(3,7): error TS2322: Type "string" is not assignable to type "number".',
    'error[E0308]: mismatched types',
    'TypeError: Cannot read properties of undefined',
    'Traceback (most recent call last):',
    'npm ERR! code ELIFECYCLE',
    '2024-05-01T10:00:00.1234567Z ##[error]Process completed with exit code 1.',
    '\x1b[31m\x1b[1mFAIL\x1b[22m\x1b[39m test/app.test.ts',
    'FAILED tests/test_app.py::test_add - assert 1 == 2',
    '  × adds numbers 3ms',
    '✖ 2 problems (2 errors, 0 warnings)',
    "thread 'main' panicked at src/main.rs:2:5",
    'make: *** [Makefile:4: test] Error 2',
    'fatal: not a git repository',
    'Command exited with code 2',
    ' Tests  1 failed | 41 passed (42)',
    'there was an error while compiling',
    '[ERROR] Failed to execute goal'
  ]
  const fine = [
    'Found 0 errors. Watching for file changes.',
    'no errors found',
    'compiled src/error-handler.ts',
    'import { AppError } from "./errors.js"',
    '  ✓ reports an error to the user 2ms',
    'PASS src/errors.test.ts',
    'errors: 0, warnings: 3',
    'Process completed with exit code 0.',
    ' Tests  0 failed | 42 passed (42)',
    'eslint --no-error-on-unmatched-pattern',
    'Compiling 12 modules'
  ]
  it('recognises compiler, test-runner, shell and CI errors', () => {
    expect(errors.filter((l) => !isErrorLine(l))).toEqual([])
  })
  it('ignores "0 errors", file names and passing tests', () => {
    expect(fine.filter((l) => isErrorLine(l))).toEqual([])
  })
  it('strips ANSI escapes for the agent message', () => {
    expect(stripAnsi('\x1b[31mred\x1b[0m \x1b]8;;https://x.example\x07link\x1b]8;;\x07 \x1b[2K\x1b[1Gdone')).toBe('red link done')
  })
})
