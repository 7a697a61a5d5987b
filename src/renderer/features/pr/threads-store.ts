import { create } from 'zustand'
import type { RemoteThreads } from '../../../shared/pr-threads'
import { without } from '../../lib/record'

interface ThreadsState {
  /** The review threads of each thread's request, by thread id (only threads whose Changes tab asked). */
  byThread: Record<string, RemoteThreads>
  /** Sets a thread's review threads, unless what is held is newer. */
  put: (threads: RemoteThreads) => void
  /** Forgets a thread's review threads. */
  drop: (threadId: string) => void
}

/** Review threads from GitHub and GitLab by thread, fed by `pr/threads` when the Changes tab opens and `pr/threadsUpdated` after. */
export const useRemoteThreads = create<ThreadsState>()((set) => ({
  byThread: {},
  put: (threads) =>
    set((s) => {
      const held = s.byThread[threads.threadId]
      if (held && held.fetchedAt > threads.fetchedAt) return s
      return { byThread: { ...s.byThread, [threads.threadId]: threads } }
    }),
  drop: (threadId) =>
    set((s) => {
      const byThread = without(s.byThread, threadId)
      return byThread === s.byThread ? s : { byThread }
    })
}))

/** A thread's review threads, or undefined before they were asked for. */
export const useThreadsOf = (threadId: string): RemoteThreads | undefined => useRemoteThreads((s) => s.byThread[threadId])
