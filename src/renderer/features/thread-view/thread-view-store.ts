import { create } from 'zustand'
import type { ThreadTabId } from './thread-tabs'

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
