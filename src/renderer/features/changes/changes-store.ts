import { create } from 'zustand'
import type { ChangeScope, ChangeSet, ReviewComment } from '../../../shared/review'
import { without } from '../../lib/record'

/** Why a change set could not be shown: the core's own message and its error code. */
export interface ChangesError {
  code: number | null
  message: string
}

/** One thread's Changes tab as this client holds it. */
export interface ThreadChanges {
  scope: ChangeScope
  /** The last change set the core sent for `scope`; null until the first answer. */
  set: ChangeSet | null
  error: ChangesError | null
  comments: ReviewComment[]
  /** The open file (its path in the change set), or null. */
  selected: string | null
  filter: string
}

/** How diffs are laid out: both sides next to each other, or one column with deletions inline. */
export type DiffLayout = 'side-by-side' | 'inline'

interface ChangesState {
  byThread: Record<string, ThreadChanges>
  layout: DiffLayout
  /** Starts tracking a thread (keeps what is known already). */
  track: (threadId: string) => void
  /** Sets a thread's fields, tracking it first if needed. */
  patch: (threadId: string, change: Partial<ThreadChanges>) => void
  setLayout: (layout: DiffLayout) => void
  forgetThread: (threadId: string) => void
}

const LAYOUT_KEY = 'skein.changes.layout'

function readLayout(): DiffLayout {
  try {
    return localStorage.getItem(LAYOUT_KEY) === 'inline' ? 'inline' : 'side-by-side'
  } catch {
    return 'side-by-side'
  }
}

const empty = (): ThreadChanges => ({ scope: 'base', set: null, error: null, comments: [], selected: null, filter: '' })

/** The Changes tab's state per thread (change set, comments, open file, filter) and the diff layout. */
export const useChanges = create<ChangesState>()((set) => ({
  byThread: {},
  layout: readLayout(),
  track: (threadId) => set((s) => (s.byThread[threadId] ? s : { byThread: { ...s.byThread, [threadId]: empty() } })),
  patch: (threadId, change) =>
    set((s) => ({ byThread: { ...s.byThread, [threadId]: { ...(s.byThread[threadId] ?? empty()), ...change } } })),
  setLayout: (layout) => {
    try {
      localStorage.setItem(LAYOUT_KEY, layout)
    } catch {
      // storage can be unavailable; the choice then lasts for this page only
    }
    set({ layout })
  },
  forgetThread: (threadId) =>
    set((s) => {
      const byThread = without(s.byThread, threadId)
      return byThread === s.byThread ? s : { byThread }
    })
}))

/** A thread's Changes state, or undefined before the tab was first opened. */
export const useThreadChanges = (threadId: string): ThreadChanges | undefined => useChanges((s) => s.byThread[threadId])

/** Added plus deleted lines over the whole change set (binary files count nothing). */
export const changedLines = (set: ChangeSet): number => set.files.reduce((n, f) => n + (f.additions ?? 0) + (f.deletions ?? 0), 0)
