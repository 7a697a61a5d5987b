import type { Thread } from '../../../shared/models'
import { byRecentActivity, firstAfter, firstAtOrAfter, type ThreadPosition } from '../../../shared/thread-order'

/** How many threads of one repository are live and archived. */
export interface RepoCounts {
  live: number
  archived: number
}

/**
 * Every thread kept sorted by recent activity, with counts per repository, so a page of `thread/list` is a binary
 * search and a short walk instead of a pass over every thread. Each change costs a binary search and one splice.
 */
export class ActivityOrder {
  private readonly sorted: Thread[] = []
  private readonly counts = new Map<string, RepoCounts>()

  /** Records `next` in place of `prev` (either may be absent: a new or a removed thread). */
  replace(prev: Thread | undefined, next: Thread | undefined): void {
    if (prev === next) return
    if (prev) {
      const at = this.indexOf(prev)
      if (at >= 0) this.sorted.splice(at, 1)
      this.count(prev, -1)
    }
    if (next) {
      this.sorted.splice(firstAtOrAfter(this.sorted, next), 0, next)
      this.count(next, 1)
    }
  }

  /** Loads many threads at once (a start): one sort instead of one splice each. Only on an empty order. */
  fill(threads: Iterable<Thread>): void {
    if (this.sorted.length) throw new Error('fill of a non-empty order')
    for (const t of threads) {
      this.sorted.push(t)
      this.count(t, 1)
    }
    this.sorted.sort(byRecentActivity)
  }

  /** Starts over with `threads` (a second batch arriving at once: the archived threads after a start). */
  refill(threads: Iterable<Thread>): void {
    this.sorted.length = 0
    this.counts.clear()
    this.fill(threads)
  }

  /** The threads in order, from the first one strictly after `after` (or the start). Read-only view. */
  *from(after: ThreadPosition | null): Generator<Thread> {
    for (let i = after ? firstAfter(this.sorted, after) : 0; i < this.sorted.length; i++) yield this.sorted[i]!
  }

  /** The threads in reverse order, from the last one strictly before `before` (or the very last) back to the first. */
  *before(before: ThreadPosition | null): Generator<Thread> {
    for (let i = (before ? firstAtOrAfter(this.sorted, before) : this.sorted.length) - 1; i >= 0; i--) yield this.sorted[i]!
  }

  /** The counts of one repository. */
  countsOf(repoId: string): RepoCounts {
    return this.counts.get(repoId) ?? { live: 0, archived: 0 }
  }

  /** Every repository with threads, and its counts. */
  allCounts(): ReadonlyMap<string, RepoCounts> {
    return this.counts
  }

  private count(t: Thread, delta: number): void {
    const c = this.counts.get(t.repoId) ?? { live: 0, archived: 0 }
    if (t.status === 'archived') c.archived += delta
    else c.live += delta
    if (c.live === 0 && c.archived === 0) this.counts.delete(t.repoId)
    else this.counts.set(t.repoId, c)
  }

  private indexOf(t: Thread): number {
    const at = firstAtOrAfter(this.sorted, t)
    if (this.sorted[at]?.id === t.id) return at
    // The same thread object is always found above; a fallback for safety that stays O(n) only on a bug.
    return this.sorted.findIndex((x) => x.id === t.id)
  }
}
