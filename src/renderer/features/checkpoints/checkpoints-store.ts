import { create } from 'zustand'
import type { Checkpoint } from '../../../shared/checkpoints'
import { without } from '../../lib/record'

/** One thread's checkpoints as this client holds them. */
export interface ThreadCheckpoints {
  /** Oldest first, by number. */
  list: Checkpoint[]
  /** True once `checkpoint/list` answered. */
  loaded: boolean
  /** Why loading failed, shown in place of the list. */
  error: string | null
}

interface CheckpointsState {
  /** Checkpoints of the threads looked at here (others are not tracked). */
  byThread: Record<string, ThreadCheckpoints>
  /** Starts tracking a thread (empty, loading); keeps what is known. */
  track: (threadId: string) => void
  setList: (threadId: string, list: Checkpoint[]) => void
  setError: (threadId: string, message: string) => void
  /** Adds a checkpoint (or replaces the one with its number). */
  add: (checkpoint: Checkpoint) => void
  remove: (threadId: string, ns: number[]) => void
  forgetThread: (threadId: string) => void
}

/** The list with `checkpoint` in its place by number. */
function placed(list: Checkpoint[], checkpoint: Checkpoint): Checkpoint[] {
  const rest = list.filter((c) => c.n !== checkpoint.n)
  const at = rest.findIndex((c) => c.n > checkpoint.n)
  return at < 0 ? [...rest, checkpoint] : [...rest.slice(0, at), checkpoint, ...rest.slice(at)]
}

/** Checkpoints per thread, fed by `checkpoint/list` and the `checkpoint/created|removed` notifications. */
export const useCheckpoints = create<CheckpointsState>()((set) => ({
  byThread: {},
  track: (threadId) =>
    set((s) => (s.byThread[threadId] ? s : { byThread: { ...s.byThread, [threadId]: { list: [], loaded: false, error: null } } })),
  setList: (threadId, list) =>
    set((s) => ({ byThread: { ...s.byThread, [threadId]: { list: [...list].sort((a, b) => a.n - b.n), loaded: true, error: null } } })),
  setError: (threadId, message) =>
    set((s) => ({ byThread: { ...s.byThread, [threadId]: { list: s.byThread[threadId]?.list ?? [], loaded: true, error: message } } })),
  add: (checkpoint) =>
    set((s) => {
      const t = s.byThread[checkpoint.threadId]
      if (!t) return s
      return { byThread: { ...s.byThread, [checkpoint.threadId]: { ...t, list: placed(t.list, checkpoint) } } }
    }),
  remove: (threadId, ns) =>
    set((s) => {
      const t = s.byThread[threadId]
      if (!t) return s
      const gone = new Set(ns)
      const list = t.list.filter((c) => !gone.has(c.n))
      return list.length === t.list.length ? s : { byThread: { ...s.byThread, [threadId]: { ...t, list } } }
    }),
  forgetThread: (threadId) =>
    set((s) => {
      const byThread = without(s.byThread, threadId)
      return byThread === s.byThread ? s : { byThread }
    })
}))

const NONE: Checkpoint[] = []

/** A thread's checkpoints, oldest first (empty until loaded). */
export const useThreadCheckpoints = (threadId: string): Checkpoint[] => useCheckpoints((s) => s.byThread[threadId]?.list ?? NONE)
