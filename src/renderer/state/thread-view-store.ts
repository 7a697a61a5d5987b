import { create } from 'zustand'

/**
 * Every tab a thread view can show. Later issues extend this union and the list below
 * ('changes', 'timeline', 'ci'); nothing else needs to change.
 */
export type ThreadTabId = 'conversation' | 'overview' | 'terminal' | 'changes' | 'timeline' | 'ci'

interface ThreadViewState {
  /** The tab last shown for each thread (threads not listed show the first tab). */
  tabByThread: Record<string, ThreadTabId>
  setTab: (threadId: string, tab: ThreadTabId) => void
}

/** Per-thread view state: which tab is open. */
export const useThreadView = create<ThreadViewState>()((set) => ({
  tabByThread: {},
  setTab: (threadId, tab) => set((s) => ({ tabByThread: { ...s.tabByThread, [threadId]: tab } }))
}))
