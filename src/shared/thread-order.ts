import type { Thread } from './models'

/** What places a thread in the order: its last activity, creation time and id. */
export type ThreadPosition = Pick<Thread, 'lastActivityAt' | 'createdAt' | 'id'>

/** Most recently active first; ties broken by creation time, then id, so the order is stable (the sidebar's order). */
export function byRecentActivity(a: ThreadPosition, b: ThreadPosition): number {
  return b.lastActivityAt - a.lastActivityAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** In `sorted` (by `byRecentActivity`), the first index whose thread does not come before `t`: where `t` is or would go. */
export function firstAtOrAfter(sorted: readonly ThreadPosition[], t: ThreadPosition): number {
  return search(sorted, t, false)
}

/** In `sorted` (by `byRecentActivity`), the first index whose thread comes strictly after `t`. */
export function firstAfter(sorted: readonly ThreadPosition[], t: ThreadPosition): number {
  return search(sorted, t, true)
}

function search(sorted: readonly ThreadPosition[], t: ThreadPosition, strict: boolean): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const c = byRecentActivity(sorted[mid]!, t)
    if (c < 0 || (strict && c === 0)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The cursor `thread/list` pages from: a thread's place in the order (`lastActivityAt.createdAt.id`). It names a
 * position, not a thread, so a client may make one after (or before) any thread it holds, and paging stays stable
 * when threads move.
 */
export const threadCursor = (t: ThreadPosition): string => `${t.lastActivityAt}.${t.createdAt}.${t.id}`

/** The position a `threadCursor` names, or null for a string that is not one. */
export function parseThreadCursor(cursor: string): ThreadPosition | null {
  const m = /^(\d{1,16})\.(\d{1,16})\.(.+)$/.exec(cursor)
  if (!m) return null
  return { lastActivityAt: Number(m[1]), createdAt: Number(m[2]), id: m[3]! }
}
