import { create } from 'zustand'
import type { PrStatus } from '../../../shared/pr'
import { without } from '../../lib/record'

interface PrState {
  /** Every known pull or merge request by thread id; a thread not here has none (or none is known). */
  byThread: Record<string, PrStatus>
  /** Replaces every status (the answer to `pr/statuses`). */
  replaceAll: (statuses: PrStatus[]) => void
  /** Sets (or with null, drops) one thread's request. */
  put: (threadId: string, status: PrStatus | null) => void
}

/** Pull and merge requests by thread, fed by `pr/statuses` on connect and `pr/updated` after; rows read one key each. */
export const usePr = create<PrState>()((set) => ({
  byThread: {},
  replaceAll: (statuses) => set({ byThread: Object.fromEntries(statuses.map((s) => [s.threadId, s])) }),
  put: (threadId, status) =>
    set((s) => {
      if (status) return { byThread: { ...s.byThread, [threadId]: status } }
      const byThread = without(s.byThread, threadId)
      return byThread === s.byThread ? s : { byThread }
    })
}))

/** A thread's request, or undefined while it has none; re-renders only when that thread's request changes. */
export const usePrStatus = (threadId: string): PrStatus | undefined => usePr((s) => s.byThread[threadId])
