import type { ProfileId, PtyInfo } from '../../../shared/models'
import { errorMessage, request } from '../../state/rpc'
import { useNavigation } from '../../state/navigation-store'
import { askNotificationPermission } from '../../state/os-notifications'
import { useThreadView } from '../../state/thread-view-store'
import { useThreads } from '../../state/threads-store'
import { disposeSession, focusTerminal } from './terminal-bridge'
import { activePty, START_TAB, useTerminals } from './terminal-store'

/** A first guess at the terminal size before xterm has measured, so the first screen is not 80×24. */
export function roughSize(): { cols: number; rows: number } {
  const area = document.querySelector<HTMLElement>('.terminal-body')
  if (!area) return { cols: 120, rows: 32 }
  const cols = Math.max(20, Math.min(2000, Math.floor((area.clientWidth - 16) / 7.8)))
  const rows = Math.max(5, Math.min(2000, Math.floor((area.clientHeight - 8) / 17)))
  return { cols, rows }
}

/** Fetches a thread's terminals (running and ended) into the store. */
export async function loadPtys(threadId: string): Promise<void> {
  try {
    const { ptys } = await request('pty/list', { threadId })
    useTerminals.getState().setList(threadId, ptys)
  } catch (e) {
    useTerminals.getState().setList(threadId, [])
    useTerminals.getState().setError(threadId, `Could not list this thread's terminals: ${errorMessage(e)}`)
  }
}

async function open(
  threadId: string,
  params: { kind: 'agent' | 'shell'; profileId?: ProfileId; prompt?: string }
): Promise<PtyInfo | null> {
  const store = useTerminals.getState()
  if (store.busyByThread[threadId]) return null
  store.setBusy(threadId, true)
  store.setError(threadId, null)
  try {
    const pty = await request('pty/open', { threadId, ...params, ...roughSize() })
    const s = useTerminals.getState()
    if (!s.ptysByThread[threadId]) await loadPtys(threadId)
    useTerminals.getState().upsert(pty)
    useTerminals.getState().setActive(threadId, pty.id)
    focusTerminal(pty.id)
    return pty
  } catch (e) {
    // Shown in the terminal area itself (command missing, worktree gone, spawn failed), not only as a toast.
    useTerminals.getState().setError(threadId, errorMessage(e))
    return null
  } finally {
    useTerminals.getState().setBusy(threadId, false)
  }
}

/** Opens another shell in the thread's worktree and shows it. */
export function openShell(threadId: string): Promise<PtyInfo | null> {
  return open(threadId, { kind: 'shell' })
}

/** Starts the thread's agent session with a profile (and an optional first prompt). */
export function startAgent(threadId: string, profileId: ProfileId, prompt?: string): Promise<PtyInfo | null> {
  askNotificationPermission()
  return open(threadId, { kind: 'agent', profileId, prompt: prompt?.trim() ? prompt : undefined })
}

/** Starts the thread's run command again in a new Run terminal and shows it. */
async function rerun(threadId: string): Promise<PtyInfo | null> {
  try {
    const pty = await request('run/start', { threadId, ...roughSize() })
    useTerminals.getState().upsert(pty)
    useTerminals.getState().setActive(threadId, pty.id)
    return pty
  } catch (e) {
    useTerminals.getState().setError(threadId, errorMessage(e))
    return null
  }
}

/** Starts an ended terminal again: the same profile for an agent session, the run command for Run, a new shell otherwise. */
export function restartPty(pty: PtyInfo): Promise<PtyInfo | null> {
  return pty.kind === 'agent' ? startAgent(pty.threadId, pty.profileId) : pty.kind === 'run' ? rerun(pty.threadId) : openShell(pty.threadId)
}

/** Closes a terminal tab: the core kills a running process tree and forgets the session. */
export async function closePty(pty: PtyInfo): Promise<void> {
  try {
    await request('pty/close', { ptyId: pty.id })
  } catch (e) {
    if (pty.state === 'running') {
      useTerminals.getState().setError(pty.threadId, `Could not close the terminal: ${errorMessage(e)}`)
      return
    }
  }
  disposeSession(pty.id)
  useTerminals.getState().remove(pty)
}

/** Shows the Terminal tab of the selected thread and focuses its terminal (Ctrl/⌘+`). */
export function focusThreadTerminal(): void {
  const { view, selectedThreadId } = useNavigation.getState()
  const thread = selectedThreadId ? useThreads.getState().byId[selectedThreadId] : undefined
  if (view !== 'thread' || !thread) return
  useThreadView.getState().setTab(thread.id, 'terminal')
  const pty = activePty(thread)
  if (pty) focusTerminal(pty.id)
  else requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-terminal-autofocus]')?.focus())
}

/** Opens a new shell in the selected thread and shows it (Ctrl/⌘+Shift+`). */
export function newShellInSelectedThread(): void {
  const { view, selectedThreadId } = useNavigation.getState()
  if (view !== 'thread' || !selectedThreadId || !useThreads.getState().byId[selectedThreadId]) return
  useThreadView.getState().setTab(selectedThreadId, 'terminal')
  void openShell(selectedThreadId)
}

/** Picks the start pseudo-tab (profile picker) in a thread's terminal area. */
export const showStartTab = (threadId: string): void => useTerminals.getState().setActive(threadId, START_TAB)
