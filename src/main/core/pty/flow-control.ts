/** Pause the pty when a client has this many characters it has not yet rendered (VS Code's value). */
export const HIGH_WATERMARK_CHARS = 100_000
/** Resume once every client is back under this many. */
export const LOW_WATERMARK_CHARS = 5_000

/**
 * Per-client accounting of output sent but not yet acknowledged. The pty is paused while any
 * attached client is above the high watermark and resumed when all are below the low one.
 * A client that leaves is forgotten, so it can never keep a pty paused.
 */
export class FlowControl {
  private readonly unacked = new Map<string, number>()
  private paused = false

  constructor(private readonly setPaused: (paused: boolean) => void) {}

  /** True while the pty is held. */
  get isPaused(): boolean {
    return this.paused
  }

  /** Starts accounting for a client. */
  add(client: string): void {
    if (!this.unacked.has(client)) this.unacked.set(client, 0)
  }

  /** Stops accounting for a client (it detached or disconnected). */
  remove(client: string): void {
    this.unacked.delete(client)
    this.update()
  }

  /** Records output sent to every attached client. */
  sent(chars: number): void {
    for (const [client, n] of this.unacked) this.unacked.set(client, n + chars)
    this.update()
  }

  /** Records that a client rendered `chars` more characters. */
  ack(client: string, chars: number): void {
    const n = this.unacked.get(client)
    if (n === undefined) return
    this.unacked.set(client, Math.max(0, n - chars))
    this.update()
  }

  /** The largest backlog among clients. */
  backlog(): number {
    let max = 0
    for (const n of this.unacked.values()) max = Math.max(max, n)
    return max
  }

  private update(): void {
    const max = this.backlog()
    if (!this.paused && max > HIGH_WATERMARK_CHARS) {
      this.paused = true
      this.setPaused(true)
    } else if (this.paused && max < LOW_WATERMARK_CHARS) {
      this.paused = false
      this.setPaused(false)
    }
  }
}
