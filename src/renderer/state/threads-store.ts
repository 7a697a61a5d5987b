import { create } from 'zustand'
import type { Thread } from '../../shared/models'
import { without } from '../lib/record'
import { emptyGroups, groupThreads, isArchived, withThreads, withoutThreads, type GroupedThreads } from './thread-groups'

export { byRecentActivity, groupThreads, isArchived, type GroupedThreads } from './thread-groups'

/** How far the archived threads' rows have loaded: they load only once the Archived section is opened. */
export type ArchivedRows = 'not-loaded' | 'loading' | 'loaded'

interface ThreadsState {
  /** The threads loaded so far (live ones at once and in background pages, archived ones on demand), by id. */
  byId: Record<string, Thread>
  /** `byId` grouped by repository, kept up to date with every change (never regrouped from scratch). */
  groups: GroupedThreads
  /** True once the first `thread/list` page arrived. */
  loaded: boolean
  /** True once every live thread is loaded (the background pages are done). */
  liveComplete: boolean
  /** How many archived threads the core has, known before their rows load. */
  archivedTotal: number
  archivedRows: ArchivedRows
  /** Starts over with the first page: everything loaded before is dropped. */
  replaceAll: (threads: Thread[]) => void
  /** Adds a page of threads (newer versions replace older ones). */
  merge: (threads: Thread[]) => void
  upsert: (thread: Thread) => void
  remove: (threadId: string) => void
  /** Drops every thread of a repository that is gone (the core no longer lists them). */
  removeByRepo: (repoId: string) => void
}

/** Threads, fed by `thread/list` pages and the `thread/updated` / `thread/removed` notifications. */
export const useThreads = create<ThreadsState>()((set) => ({
  byId: {},
  groups: emptyGroups(),
  loaded: false,
  liveComplete: false,
  archivedTotal: 0,
  archivedRows: 'not-loaded',
  replaceAll: (threads) => {
    const byId = Object.fromEntries(threads.map((t) => [t.id, t]))
    set({ byId, groups: groupThreads(byId), loaded: true, liveComplete: false, archivedRows: 'not-loaded' })
  },
  merge: (threads) =>
    set((s) => {
      if (threads.length === 0) return s
      const byId = { ...s.byId }
      for (const t of threads) byId[t.id] = t
      return { byId, groups: withThreads(s.groups, s.byId, threads) }
    }),
  upsert: (thread) =>
    set((s) => {
      const old = s.byId[thread.id]
      // The Archived header counts threads whose rows may not be loaded: follow moves in and out of it.
      const moved = old ? Number(isArchived(thread)) - Number(isArchived(old)) : 0
      return {
        byId: { ...s.byId, [thread.id]: thread },
        groups: withThreads(s.groups, s.byId, [thread]),
        archivedTotal: Math.max(0, s.archivedTotal + moved)
      }
    }),
  remove: (threadId) =>
    set((s) => {
      const old = s.byId[threadId]
      if (!old) return s
      return {
        byId: without(s.byId, threadId),
        groups: withoutThreads(s.groups, [old]),
        archivedTotal: Math.max(0, s.archivedTotal - Number(isArchived(old)))
      }
    }),
  removeByRepo: (repoId) =>
    set((s) => {
      const gone = Object.values(s.byId).filter((t) => t.repoId === repoId)
      if (gone.length === 0) return s
      const byId = { ...s.byId }
      for (const t of gone) delete byId[t.id]
      return { byId, groups: withoutThreads(s.groups, gone) }
    })
}))

/** The Archived header's count: the core's total until the rows are all loaded, then the rows themselves. */
export const archivedCountOf = (s: Pick<ThreadsState, 'archivedRows' | 'archivedTotal' | 'groups'>): number =>
  s.archivedRows === 'loaded' ? s.groups.archivedCount : Math.max(s.archivedTotal, s.groups.archivedCount)

/** Where the thread works, as shown to a person: its worktree, the repo's own checkout, or why there is none. */
export function workingCopy(t: Thread): { label: 'Worktree' | 'Checkout'; path: string | null; note: string } {
  if (t.mode === 'local') return { label: 'Checkout', path: t.worktreePath, note: '' }
  if (t.branch === null) return { label: 'Worktree', path: null, note: 'Not created' }
  if (isArchived(t)) return { label: 'Worktree', path: null, note: 'Removed while archived' }
  return { label: 'Worktree', path: t.worktreePath, note: '' }
}

/** True for a worktree thread in error whose branch exists: the core can recreate its worktree via restore. */
export const canRecreateWorktree = (t: Thread): boolean => t.status === 'error' && t.mode === 'worktree' && t.branch !== null
