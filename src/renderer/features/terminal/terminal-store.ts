import { create } from 'zustand'
import type { PtyInfo, Thread } from '../../../shared/models'
import { without } from '../../lib/record'
import { conversationRan } from '../../../shared/thread-state'

/** The pseudo-tab shown when a thread has no agent session: the profile picker. */
export const START_TAB = 'start'

interface TerminalState {
  /** Each thread's terminals (running and ended), once `pty/list` answered for it. */
  ptysByThread: Record<string, PtyInfo[]>
  /** The terminal tab picked in each thread (a pty id or START_TAB); unset: the agent session. */
  activeByThread: Record<string, string>
  /** Why the last open/start in a thread failed, shown over the terminal area until dismissed. */
  errorByThread: Record<string, string>
  /** Why attaching to a pty failed (worktree gone, core restarted without it…). */
  errorByPty: Record<string, string>
  /** Threads with an open/start request in flight. */
  busyByThread: Record<string, boolean>
  /** Terminals whose tab was closed here; a `pty/list` answer that crossed the close cannot bring them back. */
  dismissed: Record<string, true>
  /** Replaces a thread's list with the core's, keeping states that moved on meanwhile (running → exited). */
  setList: (threadId: string, ptys: PtyInfo[]) => void
  /** Adds or updates one pty (a `pty/updated` notification, or a pty we just opened). */
  upsert: (pty: PtyInfo) => void
  remove: (pty: Pick<PtyInfo, 'id' | 'threadId'>) => void
  forgetThread: (threadId: string) => void
  setActive: (threadId: string, tab: string) => void
  setError: (threadId: string, message: string | null) => void
  setPtyError: (ptyId: string, message: string | null) => void
  setBusy: (threadId: string, busy: boolean) => void
}

const KIND_ORDER: Record<PtyInfo['kind'], number> = { agent: 0, run: 1, shell: 2 }

/** Agent sessions first, then the Run terminal (the dev server), then extra shells, each oldest first. */
export function sortPtys(ptys: PtyInfo[]): PtyInfo[] {
  return [...ptys].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.startedAt - b.startedAt || a.id.localeCompare(b.id))
}

/** Terminal tabs per thread: the ptys, which one is shown, and errors to show in the terminal area. */
export const useTerminals = create<TerminalState>()((set) => ({
  ptysByThread: {},
  activeByThread: {},
  errorByThread: {},
  errorByPty: {},
  busyByThread: {},
  dismissed: {},
  setList: (threadId, listed) =>
    set((s) => {
      const ptys = listed.filter((p) => !s.dismissed[p.id])
      const known = new Map((s.ptysByThread[threadId] ?? []).map((p) => [p.id, p]))
      const merged = ptys.map((p) => (known.get(p.id)?.state === 'exited' && p.state === 'running' ? known.get(p.id)! : p))
      for (const p of known.values()) if (!merged.some((m) => m.id === p.id) && p.state === 'running') merged.push(p)
      return { ptysByThread: { ...s.ptysByThread, [threadId]: sortPtys(merged) } }
    }),
  upsert: (pty) =>
    set((s) => {
      const list = s.ptysByThread[pty.threadId]
      if (!list || s.dismissed[pty.id]) return s // not loaded yet (`pty/list` will bring it), or closed here
      const next = list.some((p) => p.id === pty.id) ? list.map((p) => (p.id === pty.id ? pty : p)) : [...list, pty]
      return { ptysByThread: { ...s.ptysByThread, [pty.threadId]: sortPtys(next) } }
    }),
  remove: (pty) =>
    set((s) => {
      const list = s.ptysByThread[pty.threadId]
      if (!list) return s
      return {
        ptysByThread: { ...s.ptysByThread, [pty.threadId]: list.filter((p) => p.id !== pty.id) },
        errorByPty: without(s.errorByPty, pty.id),
        dismissed: { ...s.dismissed, [pty.id]: true }
      }
    }),
  forgetThread: (threadId) =>
    set((s) => ({
      ptysByThread: without(s.ptysByThread, threadId),
      activeByThread: without(s.activeByThread, threadId),
      errorByThread: without(s.errorByThread, threadId),
      busyByThread: without(s.busyByThread, threadId)
    })),
  setActive: (threadId, tab) => set((s) => ({ activeByThread: { ...s.activeByThread, [threadId]: tab } })),
  setError: (threadId, message) =>
    set((s) => ({ errorByThread: message === null ? without(s.errorByThread, threadId) : { ...s.errorByThread, [threadId]: message } })),
  setPtyError: (ptyId, message) =>
    set((s) => ({ errorByPty: message === null ? without(s.errorByPty, ptyId) : { ...s.errorByPty, [ptyId]: message } })),
  setBusy: (threadId, busy) =>
    set((s) => ({ busyByThread: busy ? { ...s.busyByThread, [threadId]: true } : without(s.busyByThread, threadId) }))
}))

/**
 * Whether a thread's terminal area offers to start an agent (the start pseudo-tab): only while the
 * thread has none, neither a CLI session nor a built-in agent that has started. One agent per thread.
 */
export function offersStart(thread: Pick<Thread, 'conversation'> | undefined, ptys: PtyInfo[] | undefined): boolean {
  if ((ptys ?? []).some((p) => p.kind === 'agent')) return false
  return !thread || !(thread.conversation.busy || conversationRan(thread.conversation))
}

/**
 * The tab a thread's terminal area shows: the one picked if it still exists, else its newest running
 * (or latest) agent session, else the built-in agent's running shell, else the start pseudo-tab while
 * it is offered, else the newest shell.
 */
export function resolveActiveTab(ptys: PtyInfo[] | undefined, picked: string | undefined, offerStart = true): string {
  const list = ptys ?? []
  const agents = list.filter((p) => p.kind === 'agent')
  if (picked === START_TAB && agents.length === 0 && offerStart) return START_TAB
  if (picked && list.some((p) => p.id === picked)) return picked
  const agent = agents.find((p) => p.state === 'running') ?? agents[agents.length - 1]
  if (agent) return agent.id
  // The built-in agent's thread: its own shell, where its commands run, before the start form.
  const agentShell = list.filter((p) => p.title === 'Agent shell' && p.state === 'running').pop()
  if (agentShell) return agentShell.id
  if (offerStart) return START_TAB
  return (list.filter((p) => p.state === 'running').pop() ?? list[list.length - 1])?.id ?? START_TAB
}

/** The pty shown in a thread's terminal area right now, read outside React. */
export function activePty(thread: Pick<Thread, 'id' | 'conversation'>): PtyInfo | null {
  const s = useTerminals.getState()
  const ptys = s.ptysByThread[thread.id]
  const tab = resolveActiveTab(ptys, s.activeByThread[thread.id], offersStart(thread, ptys))
  return ptys?.find((p) => p.id === tab) ?? null
}
