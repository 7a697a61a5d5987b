// DECSET/DECRST with any parameter list, e.g. ESC[?2004h or ESC[?1049;2004l.
const PRIVATE_MODE = /\x1b\[\?([0-9;]+)([hl])/g
// Longest tail kept between chunks: enough for a mode sequence split across two of them.
const TAIL = 32

/**
 * Whether the program in a terminal turned on bracketed paste (mode 2004), read from its output
 * the way a terminal does: a terminal wraps a paste in ESC[200~ … ESC[201~ only then.
 */
export class PasteMode {
  private on = false
  private tail = ''

  /** True while the program has bracketed paste on. */
  get bracketed(): boolean {
    return this.on
  }

  /** Reads one chunk of output. */
  feed(text: string): void {
    const seen = this.tail + text
    for (const m of seen.matchAll(PRIVATE_MODE)) {
      if (m[1]!.split(';').includes('2004')) this.on = m[2] === 'h'
    }
    this.tail = seen.slice(-TAIL)
  }
}
