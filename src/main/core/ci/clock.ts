/** Time and timers, injected so polling can be driven by hand in tests and benches. */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** The real clock. Its timers do not keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout)
}

interface ManualTimer {
  id: number
  at: number
  fn: () => void
}

/** A clock that only moves when told to; timers fire in time order as it passes them. */
export class ManualClock implements Clock {
  private timers: ManualTimer[] = []
  private seq = 0

  constructor(private current = 0) {}

  /** The current time. */
  now(): number {
    return this.current
  }

  /** Schedules `fn` at now + ms. */
  setTimeout(fn: () => void, ms: number): unknown {
    const t = { id: ++this.seq, at: this.current + Math.max(0, ms), fn }
    this.timers.push(t)
    return t.id
  }

  /** Cancels a timer. */
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle)
  }

  /** When the next timer fires; null when none is set. */
  nextAt(): number | null {
    return this.timers.length ? Math.min(...this.timers.map((t) => t.at)) : null
  }

  /** How many timers are set. */
  get pending(): number {
    return this.timers.length
  }

  /** Moves to the next timer and fires it (and any others due then); false when none is set. */
  fireNext(): boolean {
    const at = this.nextAt()
    if (at === null) return false
    this.advanceTo(at)
    return true
  }

  /** Moves the clock to `at`, firing every timer due by then in order. */
  advanceTo(at: number): void {
    for (;;) {
      const due = this.timers.filter((t) => t.at <= at).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (!due) break
      this.timers = this.timers.filter((t) => t !== due)
      this.current = Math.max(this.current, due.at)
      due.fn()
    }
    this.current = Math.max(this.current, at)
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms)
  }
}
