import type { Thread } from '../../shared/models'
import { byRecentActivity, firstAtOrAfter } from '../../shared/thread-order'
import { emptyCounts, type ThreadState } from '../../shared/thread-state'
import { baseStateOf, stateOfThread } from './thread-states'

/** True when the thread sits in the Archived section rather than among live threads. */
export const isArchived = (t: Thread): boolean => t.status === 'archived' || t.archivedAt !== null

/** Live and archived threads grouped by repository, each group sorted by last activity. */
export interface GroupedThreads {
  live: Map<string, Thread[]>
  archived: Map<string, Thread[]>
  /** Every live thread, most recently active first (the dashboard's order), kept like the groups. */
  liveOrder: Thread[]
  /** Live threads per state as if no CI had failed (see liveStateCounts), per repository; `''` counts them all. */
  stateCounts: Map<string, Record<ThreadState, number>>
  /** Live threads per state as if no CI had failed, most recently active first (see liveInState). */
  byState: Map<ThreadState, Thread[]>
  liveCount: number
  archivedCount: number
}

/** Groups with no threads. */
export const emptyGroups = (): GroupedThreads => ({
  live: new Map(),
  archived: new Map(),
  liveOrder: [],
  stateCounts: new Map(),
  byState: new Map(),
  liveCount: 0,
  archivedCount: 0
})

/** Splits threads into live/archived per repository, sorted most recent first. */
export function groupThreads(byId: Record<string, Thread>): GroupedThreads {
  return withThreads(emptyGroups(), {}, Object.values(byId))
}

/**
 * The groups with `threads` added or replacing their older versions (`previous` holds what the groups contain now).
 * Only the touched repositories' lists are copied; a batch is appended and merged by one sort, which is linear
 * here because both parts are already sorted runs (a page from the core arrives in this order).
 */
export function withThreads(groups: GroupedThreads, previous: Record<string, Thread>, threads: readonly Thread[]): GroupedThreads {
  const next = copyOf(groups)
  const copied = new Set<Thread[]>([next.liveOrder])
  const ofState = (state: ThreadState): Thread[] => {
    const list = next.byState.get(state)
    if (list && copied.has(list)) return list
    const copy = list ? list.slice() : []
    copied.add(copy)
    next.byState.set(state, copy)
    return copy
  }
  const listOf = (archived: boolean, repoId: string): Thread[] => {
    const map = archived ? next.archived : next.live
    const list = map.get(repoId)
    if (list && copied.has(list)) return list
    const copy = list ? list.slice() : []
    copied.add(copy)
    map.set(repoId, copy)
    return copy
  }
  const added = new Map<Thread[], Thread[]>()
  for (const t of threads) {
    const old = previous[t.id]
    if (old) removeInto(next, listOf(isArchived(old), old.repoId), old)
    if (old && !isArchived(old)) {
      removeFrom(next.liveOrder, old)
      removeFrom(ofState(baseStateOf(old)), old)
      countState(next, old, -1)
    }
    if (isArchived(t)) next.archivedCount++
    else (next.liveCount++, countState(next, t, 1))
    const lists = isArchived(t) ? [listOf(true, t.repoId)] : [listOf(false, t.repoId), next.liveOrder, ofState(baseStateOf(t))]
    for (const list of lists) {
      if (threads.length === 1) list.splice(firstAtOrAfter(list, t), 0, t)
      else {
        const batch = added.get(list)
        if (batch) batch.push(t)
        else added.set(list, [t])
      }
    }
  }
  for (const [list, extra] of added) {
    for (const t of extra) list.push(t)
    list.sort(byRecentActivity)
  }
  dropEmpty(next)
  return next
}

/** The groups without `threads` (the versions they hold). */
export function withoutThreads(groups: GroupedThreads, threads: readonly Thread[]): GroupedThreads {
  const next = copyOf(groups)
  for (const t of threads) {
    if (!isArchived(t) && removeFrom(next.liveOrder, t)) {
      countState(next, t, -1)
      const inState = next.byState.get(baseStateOf(t))
      if (inState) {
        const copy = inState.slice()
        removeFrom(copy, t)
        next.byState.set(baseStateOf(t), copy)
      }
    }
    const map = isArchived(t) ? next.archived : next.live
    const list = map.get(t.repoId)
    if (!list) continue
    const copy = list.slice()
    removeInto(next, copy, t)
    map.set(t.repoId, copy)
  }
  dropEmpty(next)
  return next
}

/** A copy whose maps and live order may be changed (the repositories' lists are copied as they are touched). */
function copyOf(groups: GroupedThreads): GroupedThreads {
  return {
    ...groups,
    live: new Map(groups.live),
    archived: new Map(groups.archived),
    liveOrder: groups.liveOrder.slice(),
    stateCounts: new Map(groups.stateCounts),
    byState: new Map(groups.byState)
  }
}

/** Adds (or takes away) a live thread's state in its repository's counts and the total (each record copied once per change). */
function countState(groups: GroupedThreads, t: Thread, by: 1 | -1): void {
  const state = baseStateOf(t)
  for (const key of ['', t.repoId]) {
    const counts = { ...(groups.stateCounts.get(key) ?? emptyCounts()) }
    counts[state] += by
    groups.stateCounts.set(key, counts)
  }
}

function removeInto(groups: GroupedThreads, list: Thread[], t: Thread): void {
  if (!removeFrom(list, t)) return
  if (isArchived(t)) groups.archivedCount--
  else groups.liveCount--
}

/** Removes `t` from a sorted list (found by its position, or by id if it moved); false when it is not there. */
function removeFrom(list: Thread[], t: Thread): boolean {
  let i = firstAtOrAfter(list, t)
  if (list[i]?.id !== t.id) i = list.findIndex((x) => x.id === t.id)
  if (i < 0) return false
  list.splice(i, 1)
  return true
}

function dropEmpty(groups: GroupedThreads): void {
  for (const map of [groups.live, groups.archived]) for (const [repoId, list] of map) if (list.length === 0) map.delete(repoId)
}

/**
 * Live threads per state, from counts kept without CI (`base`, of one repository or all) corrected for the threads
 * whose CI failed: the cost follows the failures, not the number of threads.
 */
export function liveStateCounts(
  base: Readonly<Record<ThreadState, number>> | undefined,
  ciFailed: ReadonlySet<string>,
  threadOf: (id: string) => Thread | undefined,
  repoId: string | null
): Record<ThreadState, number> {
  const counts = { ...(base ?? emptyCounts()) }
  for (const id of ciFailed) {
    const t = threadOf(id)
    if (!t || isArchived(t) || (repoId !== null && t.repoId !== repoId)) continue
    counts[baseStateOf(t)]--
    counts[stateOfThread(t, ciFailed)]++
  }
  return counts
}

/**
 * The live threads in `state` (of one repository, or all), most recently active first: the groups' list for that
 * state, corrected for the threads whose failed CI moves them into or out of it. The cost follows that state's
 * threads and the failures, not every live thread.
 */
export function liveInState(
  groups: GroupedThreads,
  state: ThreadState,
  ciFailed: ReadonlySet<string>,
  threadOf: (id: string) => Thread | undefined,
  repoId: string | null
): Thread[] {
  const out = new Set<string>()
  const extra: Thread[] = []
  for (const id of ciFailed) {
    const t = threadOf(id)
    if (!t || isArchived(t)) continue
    const base = baseStateOf(t)
    const real = stateOfThread(t, ciFailed)
    if (base === real) continue
    if (base === state) out.add(t.id)
    else if (real === state) extra.push(t)
  }
  let shown = groups.byState.get(state) ?? []
  if (out.size > 0) shown = shown.filter((t) => !out.has(t.id))
  if (extra.length > 0) {
    shown = shown.slice()
    for (const t of extra) shown.splice(firstAtOrAfter(shown, t), 0, t)
  }
  return repoId === null ? shown : shown.filter((t) => t.repoId === repoId)
}
