import { create } from 'zustand'
import type { PtyInfo } from '../../../shared/models'
import type { RunStatus } from '../../../shared/run'
import { without } from '../../lib/record'

interface RunState {
  /** Each thread's ports, run command and latest run, once `run/status` answered. */
  byThread: Record<string, RunStatus>
  /** Why the last start or stop in a thread failed. */
  errorByThread: Record<string, string>
  /** Threads with a start or stop in flight. */
  busyByThread: Record<string, 'start' | 'stop'>
  set: (threadId: string, status: RunStatus) => void
  setError: (threadId: string, message: string | null) => void
  setBusy: (threadId: string, busy: 'start' | 'stop' | null) => void
  forget: (threadId: string) => void
}

/** Dev servers per thread: what `run/status` said, kept current by `pty/updated` for Run terminals. */
export const useRun = create<RunState>()((set) => ({
  byThread: {},
  errorByThread: {},
  busyByThread: {},
  set: (threadId, status) => set((s) => ({ byThread: { ...s.byThread, [threadId]: status } })),
  setError: (threadId, message) =>
    set((s) => ({ errorByThread: message === null ? without(s.errorByThread, threadId) : { ...s.errorByThread, [threadId]: message } })),
  setBusy: (threadId, busy) =>
    set((s) => ({ busyByThread: busy ? { ...s.busyByThread, [threadId]: busy } : without(s.busyByThread, threadId) })),
  forget: (threadId) =>
    set((s) => ({
      byThread: without(s.byThread, threadId),
      errorByThread: without(s.errorByThread, threadId),
      busyByThread: without(s.busyByThread, threadId)
    }))
}))

/** A Run terminal started, printed its URL or ended: the thread's run shows it. */
export function routeRunPty(pty: PtyInfo): void {
  if (pty.kind !== 'run') return
  const s = useRun.getState()
  const status = s.byThread[pty.threadId]
  if (!status) return
  // An older run's late update never replaces a newer one.
  if (status.pty && status.pty.id !== pty.id && status.pty.startedAt > pty.startedAt) return
  s.set(pty.threadId, { ...status, pty })
}

/** A Run terminal's tab was closed. */
export function routeRunPtyRemoved(ptyId: string, threadId: string): void {
  const status = useRun.getState().byThread[threadId]
  if (status?.pty?.id === ptyId) useRun.getState().set(threadId, { ...status, pty: null })
}
