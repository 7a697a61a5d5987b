import type { Thread } from '../../shared/models'
import { byRecentActivity, firstAtOrAfter } from '../../shared/thread-order'

/** True when the thread sits in the Archived section rather than among live threads. */
export const isArchived = (t: Thread): boolean => t.status === 'archived' || t.archivedAt !== null

/** Live and archived threads grouped by repository, each group sorted by last activity. */
export interface GroupedThreads {
  live: Map<string, Thread[]>
  archived: Map<string, Thread[]>
  liveCount: number
  archivedCount: number
}

/** Groups with no threads. */
export const emptyGroups = (): GroupedThreads => ({ live: new Map(), archived: new Map(), liveCount: 0, archivedCount: 0 })

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
  const next = {
    live: new Map(groups.live),
    archived: new Map(groups.archived),
    liveCount: groups.liveCount,
    archivedCount: groups.archivedCount
  }
  const copied = new Set<Thread[]>()
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
    const list = listOf(isArchived(t), t.repoId)
    if (isArchived(t)) next.archivedCount++
    else next.liveCount++
    if (threads.length === 1) list.splice(firstAtOrAfter(list, t), 0, t)
    else {
      const batch = added.get(list)
      if (batch) batch.push(t)
      else added.set(list, [t])
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
  const next = {
    live: new Map(groups.live),
    archived: new Map(groups.archived),
    liveCount: groups.liveCount,
    archivedCount: groups.archivedCount
  }
  for (const t of threads) {
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

function removeInto(groups: GroupedThreads, list: Thread[], t: Thread): void {
  let i = firstAtOrAfter(list, t)
  if (list[i]?.id !== t.id) i = list.findIndex((x) => x.id === t.id)
  if (i < 0) return
  list.splice(i, 1)
  if (isArchived(t)) groups.archivedCount--
  else groups.liveCount--
}

function dropEmpty(groups: GroupedThreads): void {
  for (const map of [groups.live, groups.archived]) for (const [repoId, list] of map) if (list.length === 0) map.delete(repoId)
}
