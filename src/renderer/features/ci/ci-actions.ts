import { notifyDelivery } from '../../state/delivery-toast'
import type { CiCheck, CiProviderOverride } from '../../../shared/ci'
import { errorMessage, request } from '../../state/rpc'
import { useThreadView } from '../../state/thread-view-store'
import { notifyError, notifySuccess } from '../../state/notify'
import { logKey, useCiPanel } from './ci-panel-store'
import { loadChecks, putStatus } from './ci-sync'

/** Polls a thread's CI now (it starts following a thread that was not followed yet). */
export async function refreshCi(threadId: string): Promise<void> {
  try {
    putStatus(await request('ci/refresh', { threadId }))
  } catch (e) {
    notifyError('Could not refresh CI', e)
  }
}

/** Pushes the thread's branch; the core looks at CI again right after. */
export async function pushForCi(threadId: string): Promise<boolean> {
  try {
    const { remote } = await request('review/push', { threadId })
    notifySuccess(`Pushed to ${remote}`, 'CI checks for the new commit show up here as they start.')
    return true
  } catch (e) {
    notifyError('Could not push', e)
    return false
  }
}

/** Sends a failed check's name, commit and log excerpt to the thread's agent, and offers to go there. */
export async function sendFailure(threadId: string, check: Pick<CiCheck, 'id' | 'name'>): Promise<boolean> {
  try {
    const { delivery } = await request('ci/sendFailure', { threadId, checkId: check.id })
    notifyDelivery(threadId, `the failure of ${check.name}`, delivery, (to) => ({
      label: to === 'cli-agent' ? 'Open terminal' : 'Open conversation',
      run: () => useThreadView.getState().setTab(threadId, to === 'cli-agent' ? 'terminal' : 'conversation')
    }))
    return delivery.delivered
  } catch (e) {
    notifyError(`Could not send the failure of ${check.name}`, e)
    return false
  }
}

/** Fetches a check's log into the store (again when the check's state changed since). */
export async function fetchLog(threadId: string, check: Pick<CiCheck, 'id' | 'state'>): Promise<void> {
  const key = logKey(threadId, check.id)
  const { setLog } = useCiPanel.getState()
  const previous = useCiPanel.getState().logs[key]
  setLog(key, { log: previous?.log ?? null, error: null, loading: true, state: check.state })
  try {
    const log = await request('ci/log', { threadId, checkId: check.id })
    setLog(key, { log, error: null, loading: false, state: check.state })
  } catch (e) {
    setLog(key, { log: null, error: errorMessage(e), loading: false, state: check.state })
  }
}

/** Runs a check command in the thread's worktree and opens its output. */
export async function runLocalCheck(threadId: string, command: string): Promise<boolean> {
  try {
    const run = await request('ci/runLocal', { threadId, command })
    useCiPanel.getState().patch(threadId, { selected: `local:${run.id}` })
    await loadChecks(threadId)
    return true
  } catch (e) {
    notifyError(`Could not run ${command}`, e)
    return false
  }
}

/** Cancels a local run and everything it started. */
export async function cancelLocalCheck(threadId: string, runId: string): Promise<void> {
  try {
    await request('ci/cancelLocal', { runId })
  } catch (e) {
    notifyError('Could not cancel the check', e)
  } finally {
    await loadChecks(threadId)
  }
}

/** Saves the repository's check commands (for every thread of it). */
export async function saveCheckCommands(threadId: string, repoId: string, checks: string[]): Promise<boolean> {
  try {
    await request('ci/configure', { repoId, checks })
    await loadChecks(threadId)
    return true
  } catch (e) {
    notifyError('Could not save the check commands', e)
    return false
  }
}

/** Saves the repository's CI service (null: decide from the remote); returns the core's refusal, or null. */
export async function saveProviderOverride(threadId: string, repoId: string, override: CiProviderOverride | null): Promise<string | null> {
  try {
    await request('ci/configure', { repoId, override })
    await loadChecks(threadId)
    return null
  } catch (e) {
    return errorMessage(e)
  }
}
