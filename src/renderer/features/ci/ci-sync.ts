import type { CiStatus } from '../../../shared/ci'
import type { NotificationOf } from '../../../shared/methods'
import { errorMessage, request } from '../../state/rpc'
import { useCiPanel } from './ci-panel-store'
import { ensureThread } from '../../state/thread-loader'
import { recount } from '../../state/thread-windows'
import { useCi } from './ci-store'

const FLUSH_MS = 16
let pending = new Map<string, CiStatus>()
let flushTimer: ReturnType<typeof setTimeout> | null = null
/** Threads whose CI tab is open: their local checks list is fetched again when their CI changes. */
const openPanels = new Map<string, number>()
const checksReloads = new Map<string, ReturnType<typeof setTimeout>>()
let loadGeneration = 0

function flush(): void {
  flushTimer = null
  const batch = [...pending.values()]
  pending = new Map()
  useCi.getState().putMany(batch)
}

/** Queues a status for the store; a burst (e.g. every thread polled at start-up) lands as one update. */
export function putStatus(status: CiStatus): void {
  pending.set(status.threadId, status)
  flushTimer ??= setTimeout(flush, FLUSH_MS)
}

/** Fills the store from `ci/statuses` (on every connect). Updates that arrived before the answer are older, so they are dropped. */
export async function loadCiStatuses(): Promise<void> {
  const mine = ++loadGeneration
  try {
    const { statuses } = await request('ci/statuses')
    if (mine !== loadGeneration) return
    pending = new Map()
    const failedBefore = failedIds(Object.values(useCi.getState().byThread))
    useCi.getState().replaceAll(statuses)
    // The thread counts' CI failed state follows the core's CI: ask again when the view of it moved.
    const failedNow = failedIds(statuses)
    if (failedNow.size !== failedBefore.size || [...failedNow].some((id) => !failedBefore.has(id))) recount()
  } catch (e) {
    console.warn('Skein: could not load CI statuses', errorMessage(e))
  }
  for (const threadId of openPanels.keys()) scheduleChecksReload(threadId)
}

const failedIds = (statuses: readonly CiStatus[]): Set<string> =>
  new Set(statuses.filter((s) => s.overall === 'failed').map((s) => s.threadId))

/** Applies a `ci/updated` notification. */
export function routeCiUpdated({ status }: NotificationOf<'ci/updated'>): void {
  const before = pending.get(status.threadId) ?? useCi.getState().byThread[status.threadId]
  if ((before?.overall === 'failed') !== (status.overall === 'failed')) {
    recount()
    // Its state moved without a change of the thread: a list loaded to its end must still get it.
    void ensureThread(status.threadId).catch(() => undefined)
  }
  putStatus(status)
  if (openPanels.has(status.threadId)) scheduleChecksReload(status.threadId)
}

/** Keeps a local run's output as it prints. */
export function routeLocalOutput({ runId, chunk }: NotificationOf<'ci/localOutput'>): void {
  useCiPanel.getState().appendOutput(runId, chunk)
}

/** Forgets everything about a thread that is gone. */
export function forgetCi(threadId: string): void {
  pending.delete(threadId)
  clearTimeout(checksReloads.get(threadId))
  checksReloads.delete(threadId)
  useCi.getState().forgetThread(threadId)
  useCiPanel.getState().forgetThread(threadId)
}

/** Fetches the thread's local checks: configured commands, suggestions, runs and the provider override. */
export async function loadChecks(threadId: string): Promise<void> {
  try {
    const checks = await request('ci/checks', { threadId })
    useCiPanel.getState().patch(threadId, { checks, checksError: null })
  } catch (e) {
    useCiPanel.getState().patch(threadId, { checksError: errorMessage(e) })
  }
}

function scheduleChecksReload(threadId: string): void {
  clearTimeout(checksReloads.get(threadId))
  checksReloads.set(
    threadId,
    setTimeout(() => {
      checksReloads.delete(threadId)
      void loadChecks(threadId)
    }, 120)
  )
}

/** The CI tab of a thread opened: load its local checks now and keep them current. Returns the close. */
export function openCiPanel(threadId: string): () => void {
  openPanels.set(threadId, (openPanels.get(threadId) ?? 0) + 1)
  void loadChecks(threadId)
  return () => {
    const n = (openPanels.get(threadId) ?? 1) - 1
    if (n > 0) openPanels.set(threadId, n)
    else openPanels.delete(threadId)
  }
}
