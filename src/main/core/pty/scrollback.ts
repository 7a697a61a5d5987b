/** Default bound of a pty's kept output: about 2 MB of text. */
export const DEFAULT_SCROLLBACK_CHARS = 2 * 1024 * 1024

/** A pty's recent output, bounded: the oldest text is dropped first. */
export class Scrollback {
  private chunks: string[] = []
  private size = 0
  /** Set on every append; cleared by whoever persists it. */
  dirty = false

  constructor(
    private readonly limit: number = DEFAULT_SCROLLBACK_CHARS,
    initial = ''
  ) {
    if (initial) this.append(initial)
    this.dirty = false
  }

  /** Adds output, dropping the oldest beyond the limit. */
  append(text: string): void {
    if (!text) return
    this.chunks.push(text)
    this.size += text.length
    this.dirty = true
    while (this.size > this.limit && this.chunks.length > 0) {
      const over = this.size - this.limit
      const first = this.chunks[0]!
      if (first.length <= over) {
        this.chunks.shift()
        this.size -= first.length
      } else {
        // Cut at a line start when one is near, so the replay does not begin mid-line.
        const nl = first.indexOf('\n', over)
        const cut = nl >= 0 && nl - over < 4096 ? nl + 1 : over
        this.chunks[0] = first.slice(cut)
        this.size -= cut
      }
    }
    if (this.chunks.length > 256) this.chunks = [this.chunks.join('')]
  }

  /** The kept output as one string. */
  text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')]
    return this.chunks[0] ?? ''
  }

  /** Characters kept. */
  get length(): number {
    return this.size
  }
}
