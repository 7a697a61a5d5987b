import type { Thread } from '../../../shared/models'

/** One page of threads, most recently active first. */
export interface ThreadPage {
  threads: Thread[]
  next: string | null
  total: number
}

/** Most recently active first; ties broken by creation time, then id (the sidebar's order). */
export function byRecentActivity(a: Thread, b: Thread): number {
  return b.lastActivityAt - a.lastActivityAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

const cursorOf = (t: Thread): string => `${t.lastActivityAt}.${t.createdAt}.${t.id}`

function parseCursor(cursor: string): Thread | null {
  const m = /^(\d{1,16})\.(\d{1,16})\.(.+)$/.exec(cursor)
  if (!m) return null
  return { lastActivityAt: Number(m[1]), createdAt: Number(m[2]), id: m[3]! } as Thread
}

/**
 * The page of `threads` (already filtered) after `cursor`, `limit` long, in `byRecentActivity` order. Picks the
 * page in one pass without sorting them all. Null when the cursor is not one this gave.
 */
export function pageOf(threads: Iterable<Thread>, limit: number, cursor: string | undefined): ThreadPage | null {
  const after = cursor === undefined ? null : parseCursor(cursor)
  if (cursor !== undefined && after === null) return null
  const page: Thread[] = []
  let total = 0
  let remaining = 0
  for (const t of threads) {
    total++
    if (after && byRecentActivity(after, t) >= 0) continue
    remaining++
    if (page.length === limit && byRecentActivity(t, page[limit - 1]!) >= 0) continue
    insertSorted(page, t)
    if (page.length > limit) page.pop()
  }
  return { threads: page, next: remaining > page.length ? cursorOf(page[page.length - 1]!) : null, total }
}

function insertSorted(page: Thread[], t: Thread): void {
  let lo = 0
  let hi = page.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (byRecentActivity(page[mid]!, t) < 0) lo = mid + 1
    else hi = mid
  }
  page.splice(lo, 0, t)
}
