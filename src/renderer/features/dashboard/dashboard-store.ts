import { create } from 'zustand'
import type { Thread } from '../../../shared/models'
import { countByState, threadStateOf, type ThreadState } from '../../ui/thread-state'

interface DashboardState {
  /** Show only this repository's threads; null shows all. */
  repoId: string | null
  /** Show only threads in this state; null shows all. */
  status: ThreadState | null
  setRepo: (repoId: string | null) => void
  setStatus: (status: ThreadState | null) => void
  clear: () => void
}

/** The dashboard's filters. */
export const useDashboard = create<DashboardState>()((set) => ({
  repoId: null,
  status: null,
  setRepo: (repoId) => set({ repoId }),
  setStatus: (status) => set({ status }),
  clear: () => set({ repoId: null, status: null })
}))

/** A thread's state as the dashboard shows it, given which threads' CI failed. */
export const stateOfThread = (t: Thread, ciFailed: ReadonlySet<string>): ThreadState =>
  threadStateOf({ status: t.status, agent: t.agent, conversation: t.conversation, ciFailed: ciFailed.has(t.id), setup: t.setup }).state

/** Counts threads per state. */
export const countThreads = (threads: Thread[], ciFailed: ReadonlySet<string>): Record<ThreadState, number> =>
  countByState(threads.map((t) => ({ status: t.status, agent: t.agent, conversation: t.conversation, ciFailed: ciFailed.has(t.id), setup: t.setup })))
