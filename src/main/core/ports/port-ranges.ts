import { readFile } from 'node:fs/promises'
import type { PortRange } from '../../../shared/run'
import type { Logger } from '../logger'
import { writeFileAtomic } from '../store/atomic-write'
import { isPortFree } from './port-probe'

/** The first port threads are given. */
export const DEFAULT_FIRST_PORT = 3100
/** The last port threads are given. */
export const DEFAULT_LAST_PORT = 9999
/** How many ports a thread gets unless the settings say otherwise. */
export const DEFAULT_PORTS_PER_THREAD = 10

/** How a PortRanges is set up. */
export interface PortRangesOptions {
  /** Where assignments are kept across restarts (SKEIN_HOME/ports.json); null keeps them in memory. */
  file: string | null
  first?: number
  last?: number
  /** How many ports a new range gets (read at each allocation, so a settings change applies to the next thread). */
  count?: () => number
  /** Whether nothing else listens on a port. */
  isFree?: (port: number) => Promise<boolean>
  logger?: Logger
}

interface PortsFile {
  version: 1
  ranges: Record<string, PortRange>
}

const overlaps = (a: PortRange, b: PortRange): boolean => a.first < b.first + b.count && b.first < a.first + a.count

/**
 * Gives each live thread its own range of consecutive ports, kept until the thread is archived or
 * deleted, and across restarts of the core. Ranges never overlap, and a range never holds a port
 * another program was listening on when it was handed out.
 */
export class PortRanges {
  private readonly ranges = new Map<string, PortRange>()
  private pending: Promise<unknown> = Promise.resolve()
  readonly first: number
  readonly last: number
  private readonly count: () => number
  private readonly isFree: (port: number) => Promise<boolean>

  private constructor(private readonly options: PortRangesOptions) {
    this.first = options.first ?? DEFAULT_FIRST_PORT
    this.last = options.last ?? DEFAULT_LAST_PORT
    this.count = options.count ?? (() => DEFAULT_PORTS_PER_THREAD)
    this.isFree = options.isFree ?? isPortFree
  }

  /** Loads the assignments a previous run kept; an unreadable file is reported and starts empty. */
  static async open(o: PortRangesOptions): Promise<PortRanges> {
    const ranges = new PortRanges(o)
    if (!o.file) return ranges
    try {
      const parsed = JSON.parse(await readFile(o.file, 'utf8')) as Partial<PortsFile>
      for (const [threadId, r] of Object.entries(parsed.ranges ?? {})) {
        if (Number.isInteger(r?.first) && Number.isInteger(r?.count) && r.count > 0)
          ranges.ranges.set(threadId, { first: r.first, count: r.count })
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        o.logger?.warn(`Could not read ${o.file} (${(e as Error).message}); threads get new port ranges.`)
    }
    return ranges
  }

  /** An in-memory allocator (for a PtyHost made without a core). */
  static memory(o: Omit<PortRangesOptions, 'file'> = {}): PortRanges {
    return new PortRanges({ ...o, file: null })
  }

  /** The thread's range, allocating one if it has none; null when the span has no room left. */
  acquire(threadId: string): Promise<PortRange | null> {
    return this.serial(async () => {
      const mine = this.ranges.get(threadId)
      if (mine) return mine
      const range = await this.findFree(Math.max(1, this.count()))
      if (!range) return null
      this.ranges.set(threadId, range)
      await this.save()
      return range
    })
  }

  /** The range a thread holds, if any. */
  rangeOf(threadId: string): PortRange | undefined {
    return this.ranges.get(threadId)
  }

  /** Every thread's range. */
  all(): ReadonlyMap<string, PortRange> {
    return this.ranges
  }

  /** Gives a thread's range back (archived, deleted). */
  release(threadId: string): Promise<void> {
    return this.serial(async () => {
      if (this.ranges.delete(threadId)) await this.save()
    })
  }

  /** Keeps only the ranges of these threads (at start: threads archived or deleted while the core was down). */
  retain(live: ReadonlySet<string>): Promise<void> {
    return this.serial(async () => {
      let changed = false
      for (const id of [...this.ranges.keys()]) if (!live.has(id)) changed = this.ranges.delete(id) || changed
      if (changed) await this.save()
    })
  }

  /** Waits for allocations and releases under way. */
  async settled(): Promise<void> {
    await this.pending
  }

  private async findFree(count: number): Promise<PortRange | null> {
    const held = [...this.ranges.values()].sort((a, b) => a.first - b.first)
    let start = this.first
    search: while (start + count - 1 <= this.last) {
      const candidate = { first: start, count }
      const clash = held.find((h) => overlaps(h, candidate))
      if (clash) {
        start = clash.first + clash.count
        continue
      }
      for (let port = start; port < start + count; port++) {
        if (!(await this.isFree(port))) {
          // Another program listens here: the range starts after it.
          start = port + 1
          continue search
        }
      }
      return candidate
    }
    return null
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    // One change at a time, so two threads never get the same ports.
    const next = this.pending.then(run, run)
    this.pending = next.catch(() => undefined)
    return next
  }

  private async save(): Promise<void> {
    if (!this.options.file) return
    const data: PortsFile = { version: 1, ranges: Object.fromEntries(this.ranges) }
    await writeFileAtomic(this.options.file, JSON.stringify(data, null, 2)).catch((e) =>
      this.options.logger?.warn(
        `Could not save the threads' port ranges to ${this.options.file} (${(e as Error).message}); a restart may hand them out again.`
      )
    )
  }
}
