import type { Disposable } from '../../../shared/jsonrpc'

/** How long output is gathered before it is sent, as in VS Code. */
export const BATCH_MS = 5
// A batch this large goes out at once, so a flood still reaches the client in modest frames.
const MAX_BATCH_CHARS = 64 * 1024

/** Gathers pty output for ~5 ms and hands it on as one string. */
export class OutputBatcher implements Disposable {
  private parts: string[] = []
  private size = 0
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly flushTo: (text: string) => void) {}

  /** Adds output; it is flushed within BATCH_MS, or at once when the batch is large. */
  push(text: string): void {
    if (!text) return
    this.parts.push(text)
    this.size += text.length
    if (this.size >= MAX_BATCH_CHARS) this.flush()
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), BATCH_MS)
  }

  /** Sends whatever is gathered now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.size === 0) return
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('')
    this.parts = []
    this.size = 0
    this.flushTo(text)
  }

  /** Flushes and stops. */
  dispose(): void {
    this.flush()
  }
}
