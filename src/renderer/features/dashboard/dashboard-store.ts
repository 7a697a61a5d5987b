import { create } from 'zustand'
import type { Thread, ThreadStatus } from '../../../shared/models'

interface DashboardState {
  /** Show only this repository's threads; null shows all. */
  repoId: string | null
  /** Show only threads in this status; null shows all. */
  status: ThreadStatus | null
  setRepo: (repoId: string | null) => void
  setStatus: (status: ThreadStatus | null) => void
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

/** The statuses a live thread can be in, in the order the dashboard summarises them. */
export const liveStatuses: ThreadStatus[] = ['needs-attention', 'error', 'running', 'idle']

/** Counts threads per status. */
export function countByStatus(threads: Thread[]): Record<ThreadStatus, number> {
  const counts: Record<ThreadStatus, number> = { idle: 0, running: 0, 'needs-attention': 0, error: 0, archived: 0 }
  for (const t of threads) counts[t.status]++
  return counts
}
