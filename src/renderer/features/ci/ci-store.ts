import { create } from 'zustand'
import type { CiStatus } from '../../../shared/ci'
import { without } from '../../lib/record'

interface CiState {
  /** Every followed thread's CI status by thread id; a thread not here has no CI yet. */
  byThread: Record<string, CiStatus>
  /** Threads whose CI failed while nobody was looking at them, until they are opened. */
  news: Record<string, true>
  /** Replaces every status (the answer to `ci/statuses`). */
  replaceAll: (statuses: CiStatus[]) => void
  /** Puts several statuses in at once (one store update for a burst of `ci/updated`). */
  putMany: (statuses: CiStatus[]) => void
  markNews: (threadId: string) => void
  clearNews: (threadId: string) => void
  forgetThread: (threadId: string) => void
}

/** CI statuses by thread, fed by `ci/statuses` on connect and `ci/updated` after; rows read one key each. */
export const useCi = create<CiState>()((set) => ({
  byThread: {},
  news: {},
  replaceAll: (statuses) => set({ byThread: Object.fromEntries(statuses.map((s) => [s.threadId, s])) }),
  putMany: (statuses) =>
    set((s) => {
      if (statuses.length === 0) return s
      const byThread = { ...s.byThread }
      for (const status of statuses) byThread[status.threadId] = status
      return { byThread }
    }),
  markNews: (threadId) => set((s) => (s.news[threadId] ? s : { news: { ...s.news, [threadId]: true } })),
  clearNews: (threadId) =>
    set((s) => {
      const news = without(s.news, threadId)
      return news === s.news ? s : { news }
    }),
  forgetThread: (threadId) =>
    set((s) => {
      const byThread = without(s.byThread, threadId)
      const news = without(s.news, threadId)
      return byThread === s.byThread && news === s.news ? s : { byThread, news }
    })
}))

/** A thread's CI status, or undefined while it has none; re-renders only when that thread's status changes. */
export const useCiStatus = (threadId: string): CiStatus | undefined => useCi((s) => s.byThread[threadId])

/** The hosted service a thread's CI comes from (GitHub or GitLab), or null while none is known. */
export const useCiProvider = (threadId: string): CiStatus['provider'] => useCi((s) => s.byThread[threadId]?.provider ?? null)

/** The same, read once (outside React). */
export const ciProviderOf = (threadId: string): CiStatus['provider'] => useCi.getState().byThread[threadId]?.provider ?? null

/** Whether the thread's latest CI run failed, read outside React. */
export const ciFailedNow = (threadId: string): boolean => useCi.getState().byThread[threadId]?.overall === 'failed'
