import { describe, expect, it } from 'vitest'
import { PlumbingFilter } from '../src/main/core/pty/plumbing-filter'

/** A small terminal screen: printable text, CR, LF and "erase row"; other escape sequences are ignored. No wrapping. */
function screen(output: string): string[] {
  const rows: string[][] = [[]]
  let row = 0
  let col = 0
  for (let i = 0; i < output.length; i++) {
    const c = output[i]!
    if (c === '\x1b') {
      const m = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][A-Za-z0-9]|[=>])/.exec(output.slice(i))
      if (m?.[0] === '\x1b[2K') rows[row] = []
      i += (m?.[0].length ?? 1) - 1
    } else if (c === '\r') col = 0
    else if (c === '\n') {
      row++
      rows[row] ??= []
    } else {
      rows[row]![col++] = c
    }
  }
  return rows.map((r) =>
    Array.from(r, (ch) => ch ?? ' ')
      .join('')
      .trimEnd()
  )
}

const nonce = '0123456789ab'
const prompt = '\x1b[?2004huser@host:/w$ '
const typed = ` . '/tmp/skein-agent-4242/${nonce}.sh'; printf '\\n\\137\\137SKEIN_E_${nonce}_%d\\137\\137\\n' $?`
const run = (command: string, output: string, code = 0) =>
  `${typed}\r\n\x1b[?2004l\r\x1b[2m$ ${command}\x1b[0m\r\n__SKEIN_S_${nonce}__\r\n${output}\r\n__SKEIN_E_${nonce}_${code}__\r\n${prompt}`

/** Feeds `stream` cut into pieces of `size` (0: whole), flushing at the end as the quiet timer would. */
function filtered(stream: string, cuts: number[]): string {
  const f = new PlumbingFilter()
  let out = ''
  let at = 0
  for (const cut of [...cuts, stream.length]) {
    out += f.push(stream.slice(at, cut))
    at = cut
  }
  return out + f.flush()
}

const everyCut = (stream: string) => Array.from({ length: stream.length - 1 }, (_, i) => [i + 1])
const pieces = (stream: string, size: number) => Array.from({ length: Math.ceil(stream.length / size) - 1 }, (_, i) => (i + 1) * size)

describe('PlumbingFilter: the agent shell without its plumbing', () => {
  const stream = prompt + run('npm test', 'ok 1\r\nall passed\r\n')
  const expected = ['$ npm test', 'ok 1', 'all passed', 'user@host:/w$']

  it('shows the command header, its output and the prompt; never the typed line or the markers', () => {
    const out = filtered(stream, [])
    expect(screen(out)).toEqual(expected)
    expect(out).not.toMatch(/SKEIN|skein-agent|\\137/)
  })

  it('gives the same screen however the stream is cut (every single cut, and pieces of 1 to 9 characters)', () => {
    const cutsList = [...everyCut(stream), ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => pieces(stream, n))]
    for (const cuts of cutsList) {
      const out = filtered(stream, cuts)
      expect(screen(out), `cut at ${cuts.join(',')}`).toEqual(expected)
      expect(out, `cut at ${cuts.join(',')}`).not.toMatch(/SKEIN|skein-agent|\\137/)
    }
  })

  it('hides a typed line that readline wrapped at a narrow width (as bash 5 prints it at 40 columns)', () => {
    // Recorded from bash in a 40-column pty: at the margin readline prints `X\rX`.
    const wrapped = `\x1b[?2004huser@host:/some/long/dir$  . '/tmp/skein-\r-agent-12345/${nonce}.sh'; printf '\\n\rn\\137\\137SKEIN_E_${nonce}_%d\\137\\137\\\r\\n' $?\r\n\x1b[?2004l\rbash: oops\r\n\r\n__SKEIN_E_${nonce}_1__\r\n\x1b[?2004huser@host:/some/long/dir$ `
    for (const cuts of [[], ...everyCut(wrapped)]) {
      const out = filtered(wrapped, cuts)
      expect(screen(out), `cut at ${cuts.join(',')}`).toEqual(['bash: oops', 'user@host:/some/long/dir$'])
    }
  })

  it('keeps output with no final newline, and a blank line the command itself printed', () => {
    expect(screen(filtered(prompt + run('printf foo', 'foo').replace('foo\r\n\r\n__SKEIN_E', 'foo\r\n__SKEIN_E'), []))).toEqual([
      '$ printf foo',
      'foo',
      'user@host:/w$'
    ])
    expect(screen(filtered(prompt + run('echo a; echo', 'a\r\n\r\n'), []))).toEqual(['$ echo a; echo', 'a', '', 'user@host:/w$'])
  })

  it('erases a prompt printed before the filter was set, when the typed line follows it', () => {
    const f = new PlumbingFilter()
    const out = prompt + f.push(run('true', 'done').slice(0)) + f.flush()
    expect(screen(out)).toEqual(['$ true', 'done', 'user@host:/w$'])
  })

  it('hides the typed line twice when the terminal echoed it before the prompt came back (typed ahead)', () => {
    const ahead = `${prompt}${run('true', '')}`.replace(
      `__SKEIN_E_${nonce}_0__\r\n${prompt}`,
      `__SKEIN_E_${nonce}_0__\r\n${typed}\r\n${prompt}${typed}\r\n\x1b[?2004l\rsecond\r\n${prompt}`
    )
    const out = filtered(ahead, [])
    expect(out).not.toMatch(/skein-agent/)
    expect(screen(out)).toEqual(['$ true', 'second', 'user@host:/w$'])
  })

  it('passes what only looks like plumbing, at once or at the next flush', () => {
    const f = new PlumbingFilter()
    expect(f.push("echo . 'a b' ok\r\n")).toBe("echo . 'a b' ok\r\n")
    expect(f.push('__init__.py\r\n')).toBe('__init__.py\r\n')
    // A tail that could start a marker waits for the next output, or for the quiet timer's flush.
    expect(f.push('__')).toBe('')
    expect(f.holding).toBe(true)
    expect(f.flush()).toBe('__')
    expect(f.push("x . 'unfinished")).toBe('x')
    expect(f.push("' done\r\n")).toBe(" . 'unfinished' done\r\n")
    expect(f.holding).toBe(false)
  })
})
