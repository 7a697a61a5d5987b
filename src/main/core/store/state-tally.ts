import type { Thread } from '../../../shared/models'
import { emptyCounts, stateOfThread, type ThreadState } from '../../../shared/thread-state'

/** One repository's live threads per base state (as if no CI had failed). */
type Tally = { live: number; states: Record<ThreadState, number> }

/** A thread's state as if its CI had not failed: what the tally keeps (CI is the CI service's, applied per request). */
export const baseStateOf = (t: Thread): ThreadState => stateOfThread(t, false)

/**
 * Each repository's live (not archived) threads counted per base state, kept in step with the store's entries, so
 * `thread/counts` and a `thread/list {states}` total start from these counts instead of deriving every thread's state.
 */
export class StateTally {
  private readonly byRepo = new Map<string, Tally>()

  /** Records `next` in place of `prev` (either may be absent: a new or a removed thread). */
  replace(prev: Thread | undefined, next: Thread | undefined): void {
    if (prev === next) return
    if (prev) this.count(prev, -1)
    if (next) this.count(next, 1)
  }

  /** Starts over with `threads` (every entry set at once: a start, the archived threads arriving). */
  refill(threads: Iterable<Thread>): void {
    this.byRepo.clear()
    for (const t of threads) this.count(t, 1)
  }

  /** One repository's live threads per base state (zeros when it has none); read-only. */
  of(repoId: string): Readonly<Record<ThreadState, number>> {
    return this.byRepo.get(repoId)?.states ?? emptyCounts()
  }

  private count(t: Thread, delta: number): void {
    if (t.status === 'archived') return
    let tally = this.byRepo.get(t.repoId)
    if (!tally) this.byRepo.set(t.repoId, (tally = { live: 0, states: emptyCounts() }))
    tally.live += delta
    tally.states[baseStateOf(t)] += delta
    if (tally.live === 0) this.byRepo.delete(t.repoId)
  }
}
