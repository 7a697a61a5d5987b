import type { PtyInfo } from '../../../shared/models'
import type { RunConfig } from '../../../shared/run'
import { errorMessage, request } from '../../state/rpc'
import { useThreadView } from '../../state/thread-view-store'
import { useTerminals } from '../terminal'
import { routeRunPty, useRun } from './run-store'

/** Fetches a thread's ports, run command and latest run. */
export async function loadRun(threadId: string): Promise<void> {
  try {
    useRun.getState().set(threadId, await request('run/status', { threadId }))
  } catch (e) {
    useRun.getState().setError(threadId, `Could not read the run command: ${errorMessage(e)}`)
  }
}

/** After a reconnect: every thread's run status again (a restarted core ended the dev servers it ran). */
export function reloadRuns(exists: (threadId: string) => boolean): void {
  for (const threadId of Object.keys(useRun.getState().byThread)) {
    if (exists(threadId)) void loadRun(threadId)
    else useRun.getState().forget(threadId)
  }
}

/** Starts the thread's dev server; its output shows in the Run terminal. */
export async function startRun(threadId: string): Promise<PtyInfo | null> {
  const s = useRun.getState()
  if (s.busyByThread[threadId]) return null
  s.setBusy(threadId, 'start')
  s.setError(threadId, null)
  try {
    const pty = await request('run/start', { threadId })
    routeRunPty(pty)
    useTerminals.getState().upsert(pty)
    return pty
  } catch (e) {
    useRun.getState().setError(threadId, errorMessage(e))
    return null
  } finally {
    useRun.getState().setBusy(threadId, null)
  }
}

/** Stops the thread's dev server and everything it started. */
export async function stopRun(threadId: string): Promise<void> {
  const s = useRun.getState()
  if (s.busyByThread[threadId]) return
  s.setBusy(threadId, 'stop')
  s.setError(threadId, null)
  try {
    await request('run/stop', { threadId })
  } catch (e) {
    useRun.getState().setError(threadId, `Could not stop it: ${errorMessage(e)}`)
  } finally {
    useRun.getState().setBusy(threadId, null)
  }
}

/** Saves (null: clears) a repository's run command in Skein's settings, then re-reads the thread's status. */
export async function configureRun(repoId: string, threadId: string, config: RunConfig | null): Promise<void> {
  await request('run/configure', { repoId, config })
  await loadRun(threadId)
}

/** Shows the Run terminal of a thread. */
export function showRunOutput(threadId: string, ptyId: string): void {
  useThreadView.getState().setTab(threadId, 'terminal')
  useTerminals.getState().setActive(threadId, ptyId)
}
