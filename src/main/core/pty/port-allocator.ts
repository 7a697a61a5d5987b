import { createServer } from 'node:net'

/** Default first port handed to threads; each live thread gets its own. */
export const DEFAULT_PORT_BASE = 3100
/** How many ports the range holds. */
export const DEFAULT_PORT_COUNT = 900

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * Gives each live thread its own PORT from a range, so dev servers in parallel worktrees never
 * collide. Ports other programs are listening on are skipped.
 */
export class PortAllocator {
  private readonly held = new Map<string, number>()
  private pending: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly base = DEFAULT_PORT_BASE,
    private readonly count = DEFAULT_PORT_COUNT
  ) {}

  /** The thread's port, allocating one if it has none. Null when the whole range is taken. */
  acquire(threadId: string): Promise<number | null> {
    const run = async () => {
      const mine = this.held.get(threadId)
      if (mine !== undefined) return mine
      const taken = new Set(this.held.values())
      for (let port = this.base; port < this.base + this.count; port++) {
        if (taken.has(port) || !(await isFree(port))) continue
        this.held.set(threadId, port)
        return port
      }
      return null
    }
    // One allocation at a time, so two threads never get the same port.
    const next = this.pending.then(run, run)
    this.pending = next.catch(() => undefined)
    return next
  }

  /** Gives the thread's port back. */
  release(threadId: string): void {
    this.held.delete(threadId)
  }

  /** The port a thread holds, if any. */
  portOf(threadId: string): number | undefined {
    return this.held.get(threadId)
  }
}
