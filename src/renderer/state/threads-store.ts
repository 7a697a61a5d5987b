import { create } from 'zustand'
import type { Thread } from '../../shared/models'
import { without } from '../lib/record'

interface ThreadsState {
  /** Every thread the core knows (live and archived), by id. */
  byId: Record<string, Thread>
  /** True once the first `thread/list` arrived. */
  loaded: boolean
  replaceAll: (threads: Thread[]) => void
  upsert: (thread: Thread) => void
  remove: (threadId: string) => void
  /** Drops every thread of a repository that is gone (the core no longer lists them). */
  removeByRepo: (repoId: string) => void
}

/** Threads, fed by `thread/list` and the `thread/updated` / `thread/removed` notifications. */
export const useThreads = create<ThreadsState>()((set) => ({
  byId: {},
  loaded: false,
  replaceAll: (threads) => set({ byId: Object.fromEntries(threads.map((t) => [t.id, t])), loaded: true }),
  upsert: (thread) => set((s) => ({ byId: { ...s.byId, [thread.id]: thread } })),
  remove: (threadId) =>
    set((s) => {
      const byId = without(s.byId, threadId)
      return byId === s.byId ? s : { byId }
    }),
  removeByRepo: (repoId) =>
    set((s) => {
      const kept = Object.values(s.byId).filter((t) => t.repoId !== repoId)
      return kept.length === Object.keys(s.byId).length ? s : { byId: Object.fromEntries(kept.map((t) => [t.id, t])) }
    })
}))

/** True when the thread sits in the Archived section rather than among live threads. */
export const isArchived = (t: Thread): boolean => t.status === 'archived' || t.archivedAt !== null

/** Where the thread works, as shown to a person: its worktree, the repo's own checkout, or why there is none. */
export function workingCopy(t: Thread): { label: 'Worktree' | 'Checkout'; path: string | null; note: string } {
  if (t.mode === 'local') return { label: 'Checkout', path: t.worktreePath, note: '' }
  if (t.branch === null) return { label: 'Worktree', path: null, note: 'Not created' }
  if (isArchived(t)) return { label: 'Worktree', path: null, note: 'Removed while archived' }
  return { label: 'Worktree', path: t.worktreePath, note: '' }
}

/** True for a worktree thread in error whose branch exists: the core can recreate its worktree via restore. */
export const canRecreateWorktree = (t: Thread): boolean => t.status === 'error' && t.mode === 'worktree' && t.branch !== null

/** Most recently active first; ties broken by creation time, then id, so the order is stable. */
export function byRecentActivity(a: Thread, b: Thread): number {
  return b.lastActivityAt - a.lastActivityAt || b.createdAt - a.createdAt || a.id.localeCompare(b.id)
}

/** Live and archived threads grouped by repository, each group sorted by last activity. */
export interface GroupedThreads {
  live: Map<string, Thread[]>
  archived: Map<string, Thread[]>
  liveCount: number
  archivedCount: number
}

/** Splits threads into live/archived per repository, sorted most recent first. */
export function groupThreads(byId: Record<string, Thread>): GroupedThreads {
  const live = new Map<string, Thread[]>()
  const archived = new Map<string, Thread[]>()
  let liveCount = 0
  let archivedCount = 0
  for (const t of Object.values(byId)) {
    const target = isArchived(t) ? archived : live
    if (target === live) liveCount++
    else archivedCount++
    const list = target.get(t.repoId)
    if (list) list.push(t)
    else target.set(t.repoId, [t])
  }
  for (const list of live.values()) list.sort(byRecentActivity)
  for (const list of archived.values()) list.sort(byRecentActivity)
  return { live, archived, liveCount, archivedCount }
}
