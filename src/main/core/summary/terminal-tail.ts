/** How much of a terminal's latest output the tail reads (characters). */
export const TAIL_WINDOW_CHARS = 16_384

const MAX_LINES = 400
// A line made only of box drawing, block and rule characters (a TUI's frame), bullets or prompt marks says nothing.
const FRAME_ONLY = /^[\s\u2500-\u259f\u2800-\u28ff>›❯$#%·•*─━|+\-=_~.:]*$/u
// A TUI's frame around text: "│ > hello │" reads as "> hello".
const FRAME_EDGES = /^[\s\u2500-\u257f|]+|[\s\u2500-\u257f|]+$/gu

/**
 * The last non-empty lines a terminal shows, from the tail of its raw output: a small screen model
 * that follows carriage returns, backspaces, cursor moves (relative, and absolute within `rows`),
 * line and screen erases and the alternate screen, and drops every other escape sequence (colours,
 * OSC titles). It is not a full emulator: it reads the end of a stream that may begin mid-sequence,
 * so it keeps no wrapping or scroll regions; a dashboard tail needs the words, not the layout.
 */
export function terminalTail(raw: string, maxLines = 3, rows = 40): string[] {
  let screen = new Screen(rows)
  let saved: Screen | null = null
  let i = 0
  const n = raw.length
  while (i < n) {
    const c = raw.charCodeAt(i)
    if (c === 0x1b) {
      const next = raw[i + 1]
      if (next === '[') {
        let j = i + 2
        while (j < n && raw.charCodeAt(j) >= 0x20 && raw.charCodeAt(j) <= 0x3f) j++
        if (j >= n) break
        const params = raw.slice(i + 2, j)
        const final = raw[j]!
        if ((params === '?1049' || params === '?47' || params === '?1047') && (final === 'h' || final === 'l')) {
          if (final === 'h' && !saved) {
            saved = screen
            screen = new Screen(rows)
          } else if (final === 'l' && saved) {
            screen = saved
            saved = null
          }
        } else screen.csi(params, final)
        i = j + 1
      } else if (next === ']' || next === 'P' || next === '_' || next === '^') {
        // OSC, DCS, APC, PM: up to BEL or ST.
        let j = i + 2
        while (j < n && raw.charCodeAt(j) !== 0x07 && !(raw.charCodeAt(j) === 0x1b && raw[j + 1] === '\\')) j++
        i = j < n && raw.charCodeAt(j) === 0x07 ? j + 1 : j + 2
      } else if (next === '7') {
        screen.saveCursor()
        i += 2
      } else if (next === '8') {
        screen.restoreCursor()
        i += 2
      } else if (next === 'M') {
        screen.up(1)
        i += 2
      } else if (next === '(' || next === ')' || next === '#' || next === '%') i += 3
      else i += 2
      continue
    }
    if (c === 0x0d) screen.col = 0
    else if (c === 0x0a || c === 0x0b || c === 0x0c) screen.down(1, true)
    else if (c === 0x08) screen.col = Math.max(0, screen.col - 1)
    else if (c === 0x09) screen.col = (Math.floor(screen.col / 8) + 1) * 8
    else if (c >= 0x20 && c !== 0x7f) {
      // Surrogate pairs travel as one cell.
      const wide = c >= 0xd800 && c <= 0xdbff && i + 1 < n
      screen.put(wide ? raw.slice(i, i + 2) : raw[i]!)
      if (wide) i++
    }
    i++
  }
  return screen.lastLines(maxLines)
}

class Screen {
  lines: string[][] = [[]]
  row = 0
  col = 0
  private savedCursor: [number, number] = [0, 0]

  constructor(private readonly rows: number) {}

  put(ch: string): void {
    const line = this.line()
    while (line.length < this.col) line.push(' ')
    line[this.col] = ch
    this.col++
  }

  down(n: number, newLine: boolean): void {
    this.row += n
    while (this.lines.length <= this.row) this.lines.push([])
    if (newLine && this.lines.length > MAX_LINES) {
      const drop = this.lines.length - MAX_LINES
      this.lines.splice(0, drop)
      this.row -= drop
    }
  }

  up(n: number): void {
    this.row = Math.max(0, this.row - n)
  }

  saveCursor(): void {
    this.savedCursor = [this.row, this.col]
  }

  restoreCursor(): void {
    ;[this.row, this.col] = this.savedCursor
    while (this.lines.length <= this.row) this.lines.push([])
  }

  csi(params: string, final: string): void {
    const args = params
      .replace(/^[?>=!]/, '')
      .split(';')
      .map((p) => Number.parseInt(p, 10))
    const n = Number.isFinite(args[0]) && args[0]! > 0 ? args[0]! : 1
    const line = this.line()
    switch (final) {
      case 'A':
        return this.up(n)
      case 'B':
        return this.down(n, false)
      case 'C':
        this.col += n
        return
      case 'D':
        this.col = Math.max(0, this.col - n)
        return
      case 'E':
        this.down(n, false)
        this.col = 0
        return
      case 'F':
        this.up(n)
        this.col = 0
        return
      case 'G':
      case '`':
        this.col = n - 1
        return
      case 'H':
      case 'f': {
        // Absolute rows count from the top of the screen: the last `rows` lines seen.
        const top = Math.max(0, this.lines.length - this.rows)
        this.row = top + n - 1
        while (this.lines.length <= this.row) this.lines.push([])
        this.col = Number.isFinite(args[1]) && args[1]! > 0 ? args[1]! - 1 : 0
        return
      }
      case 'd': {
        const top = Math.max(0, this.lines.length - this.rows)
        this.row = top + n - 1
        while (this.lines.length <= this.row) this.lines.push([])
        return
      }
      case 'K': {
        const mode = Number.isFinite(args[0]) ? args[0] : 0
        if (mode === 0) line.length = Math.min(line.length, this.col)
        else if (mode === 1) for (let k = 0; k <= this.col && k < line.length; k++) line[k] = ' '
        else line.length = 0
        return
      }
      case 'J': {
        const mode = Number.isFinite(args[0]) ? args[0] : 0
        if (mode === 0) {
          line.length = Math.min(line.length, this.col)
          this.lines.length = this.row + 1
        } else if (mode === 2 || mode === 3) {
          this.lines = [[]]
          this.row = 0
          this.col = 0
        }
        return
      }
      case 'X':
        for (let k = this.col; k < this.col + n && k < line.length; k++) line[k] = ' '
        return
      case 'P':
        line.splice(this.col, n)
        return
      default:
        // Colours (m), modes (h/l), scroll regions (r) and the rest change nothing a tail shows.
        return
    }
  }

  lastLines(max: number): string[] {
    const out: string[] = []
    for (let r = this.lines.length - 1; r >= 0 && out.length < max; r--) {
      const text = this.lines[r]!.join('').replace(FRAME_EDGES, '').replace(/\s+/g, ' ').trim()
      if (text && !FRAME_ONLY.test(text)) out.unshift(text)
    }
    return out
  }

  private line(): string[] {
    while (this.lines.length <= this.row) this.lines.push([])
    return this.lines[this.row]!
  }
}
