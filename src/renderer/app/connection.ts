import { ErrorCode } from '../../shared/errors'
import { notifications } from '../../shared/methods'
import type { NotificationName, NotificationOf } from '../../shared/methods'
import type { RpcClient } from '../../shared/rpc-client'
import { connectToCore, onElectronCoreEvent } from '../lib/page-transports'
import { notifyApproval, notifyIfNewlyUnread } from '../state/os-notifications'
import { forgetChanges, rewatchChanges, routeChanges } from '../features/changes'
import { ciFailedNow, routeCiFailed, forgetCi, loadCiStatuses, routeCiUpdated, routeLocalOutput } from '../features/ci'
import { forgetTranscript, reloadTranscripts, routeDelta, routeItem } from '../features/conversation'
import { forgetCheckpoints, reloadCheckpoints, routeCheckpointCreated, routeCheckpointRemoved } from '../features/checkpoints'
import { useDashboard } from '../state/dashboard-store'
import { forgetSummary, reloadSummaries, routeSummary } from '../state/summaries-store'
import { loadSettings } from '../features/settings'
import { useRepos } from '../state/repos-store'
import {
  loadPtys,
  disposeThreadSessions,
  poolConnectionLost,
  poolReconnected,
  routePtyData,
  updateSession,
  disposeSession,
  useTerminals
} from '../features/terminal'
import { useThreads } from '../state/threads-store'
import { ensureThread, firstThreads } from '../state/thread-loader'
import { countChange, recount, resetWindows } from '../state/thread-windows'
import { notifyError, notifyInfo } from '../state/notify'
import { useConnection } from '../state/connection-store'
import { useNavigation } from '../state/navigation-store'
import { errorCode, setRpcClient } from '../state/rpc'
import { loadDisk, routeDiskUpdated } from '../features/disk'
import { forgetPr, loadPrStatuses, routePrUpdated, routeThreadsUpdated } from '../features/pr'
import { reloadRuns, routeRunPty, routeRunPtyRemoved, useRun } from '../features/run'
import { loadAutopilot, routeAutopilotGaveUp, routeAutopilotUpdated } from '../features/autopilot'
import { noteSearchIndex } from '../features/search'

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000]
const MAX_BACKOFF_MS = 10_000

let live: RpcClient | null = null
let connecting = false
let retryTimer: ReturnType<typeof setTimeout> | null = null

/** Starts the link to the core: connect, load the lists, follow notifications, reconnect when lost. */
export function startConnection(): void {
  window.addEventListener('online', () => reconnectNow())
  // Desktop app: the shell says when the core process died; the page drops its port at once and
  // takes the new one the shell hands over after the restart.
  onElectronCoreEvent((event) => {
    if (event === 'stopped') useConnection.setState({ coreRestarting: true })
    // A port that arrives while connected means the old one leads to a core that is gone.
    if (live) live.dispose()
    reconnectNow()
  })
  void attempt()
}

/** Skips the backoff wait and tries to reach the core right away. */
export function reconnectNow(): void {
  if (live || connecting) return
  if (retryTimer) clearTimeout(retryTimer)
  retryTimer = null
  void attempt()
}

async function attempt(): Promise<void> {
  if (connecting || live) return
  connecting = true
  useConnection.setState({ nextAttemptAt: null })
  let client: RpcClient | null = null
  try {
    client = await connectToCore()
    live = client
    await adopt(client)
    useConnection.setState({ status: 'connected', failures: 0, nextAttemptAt: null, coreRestarting: false })
  } catch (e) {
    // A refusal from the core itself (not a lost connection) is worth telling once, not on every retry.
    if (errorCode(e) !== null && errorCode(e) !== ErrorCode.Disconnected && useConnection.getState().failures === 0) {
      notifyError('Could not load your repositories and threads', e)
    }
    if (client && live === client) {
      live = null
      setRpcClient(null)
      client.dispose()
    }
    scheduleRetry()
  } finally {
    connecting = false
  }
}

/** Subscribes first, then loads the lists; notifications that arrive meanwhile are replayed after. */
async function adopt(client: RpcClient): Promise<void> {
  let ready = false
  const queued: Array<() => void> = []
  const apply = (fn: () => void) => (ready ? fn() : queued.push(fn))
  const follow = <N extends NotificationName>(name: N, handle: (params: NotificationOf<N>) => void) =>
    client.on(name, (raw) => {
      const parsed = notifications[name].safeParse(raw)
      if (parsed.success) apply(() => handle(parsed.data as NotificationOf<N>))
      else console.warn(`Skein: ignored a malformed ${name} notification`, parsed.error)
    })
  const subscriptions = [
    follow('repo/updated', ({ repo }) => useRepos.getState().upsert(repo)),
    follow('repo/removed', ({ repoId }) => {
      useRepos.getState().remove(repoId)
      useThreads.getState().removeByRepo(repoId)
      recount()
    }),
    follow('thread/updated', ({ thread }) => {
      const previous = useThreads.getState().byId[thread.id]
      useThreads.getState().upsert(thread)
      countChange(previous, thread, ciFailedNow(thread.id))
      notifyIfNewlyUnread(previous, thread)
    }),
    follow('thread/removed', ({ threadId }) => {
      countChange(useThreads.getState().byId[threadId], null, ciFailedNow(threadId))
      useThreads.getState().remove(threadId)
      useNavigation.getState().forgetThread(threadId)
      disposeThreadSessions(threadId)
      useTerminals.getState().forgetThread(threadId)
      forgetTranscript(threadId)
      forgetChanges(threadId)
      forgetCi(threadId)
      forgetPr(threadId)
      useRun.getState().forget(threadId)
      forgetSummary(threadId)
      forgetCheckpoints(threadId)
    }),
    follow('thread/summary', ({ summary }) => routeSummary(summary)),
    follow('search/rebuilding', (state) => noteSearchIndex(state)),
    follow('search/ready', (state) => noteSearchIndex(state)),
    // A started item is always new to the conversation: it joins the end, whatever its id and time say.
    follow('item/started', ({ item }) => routeItem(item, true)),
    follow('item/delta', ({ threadId, itemId, delta }) => routeDelta(threadId, itemId, delta)),
    follow('item/completed', ({ item, added }) => routeItem(item, added)),
    follow('approval/requested', ({ item }) => {
      routeItem(item)
      notifyApproval(item)
    }),
    // Terminal output goes straight to its xterm, never through the startup queue or React.
    client.on('pty/data', (raw) => {
      const p = raw as { ptyId?: unknown; data?: unknown } | null
      if (p && typeof p.ptyId === 'string' && typeof p.data === 'string') routePtyData(p.ptyId, p.data)
    }),
    follow('checkpoint/created', ({ checkpoint }) => routeCheckpointCreated(checkpoint)),
    follow('checkpoint/removed', ({ threadId, ns }) => routeCheckpointRemoved(threadId, ns)),
    follow('review/changed', (changed) => routeChanges(changed)),
    follow('ci/updated', (updated) => routeCiUpdated(updated)),
    follow('ci/failed', (failed) => routeCiFailed(failed)),
    follow('ci/localOutput', (output) => routeLocalOutput(output)),
    follow('pr/updated', (updated) => routePrUpdated(updated)),
    follow('pr/threadsUpdated', (threads) => routeThreadsUpdated(threads)),
    follow('disk/updated', (updated) => routeDiskUpdated(updated)),
    follow('autopilot/updated', (updated) => routeAutopilotUpdated(updated)),
    follow('autopilot/gaveUp', (gaveUp) => routeAutopilotGaveUp(gaveUp)),
    // `skein open`, `skein new` and `skein handoff` ask every window to show a thread or repository.
    follow('app/focus', ({ threadId, repoId }) => {
      if (threadId) useNavigation.getState().selectThread(threadId)
      else if (repoId) {
        useDashboard.getState().setRepo(repoId)
        useNavigation.getState().showDashboard()
      }
      window.focus()
    }),
    follow('pty/updated', ({ pty }) => {
      useTerminals.getState().upsert(pty)
      routeRunPty(pty)
      updateSession(pty)
    }),
    follow('pty/removed', ({ ptyId, threadId }) => {
      disposeSession(ptyId)
      useTerminals.getState().remove({ id: ptyId, threadId })
      routeRunPtyRemoved(ptyId, threadId)
    }),
    follow('pty/exit', ({ ptyId, threadId, exitCode, signal }) => {
      const known = useTerminals.getState().ptysByThread[threadId]?.find((p) => p.id === ptyId)
      if (known && known.state === 'running') {
        const ended = { ...known, state: 'exited' as const, exitCode, signal, endedAt: Date.now() }
        useTerminals.getState().upsert(ended)
        updateSession(ended)
        routeRunPty(ended)
      }
    })
  ]
  client.onClose(() => {
    for (const s of subscriptions) s.dispose()
    if (live !== client) return
    live = null
    setRpcClient(null)
    poolConnectionLost()
    useConnection.setState({ status: 'reconnecting' })
    scheduleRetry()
  })
  setRpcClient(client)
  const [hello, repos, threads] = await Promise.all([
    client.request('core/hello', { client: 'ui' }),
    client.request('repo/list', {}),
    firstThreads(client)
  ])
  useConnection.setState({ hello })
  showStartupNotices(hello)
  useRepos.getState().replaceAll(repos.repos)
  // The first page shows at once; the counts follow, and further pages as the lists scroll to them.
  useThreads.getState().replaceAll(threads.threads)
  resetWindows(threads)
  ready = true
  for (const fn of queued) fn()
  void loadSettings()
  reloadTranscripts()
  reloadCheckpoints()
  rewatchChanges()
  void loadCiStatuses()
  void loadPrStatuses()
  reloadSummaries()
  void loadDisk()
  void loadAutopilot()
  // Threads not loaded yet (a later page, or archived) are asked for one by one: they may still exist.
  const exists = (threadId: string): Promise<boolean> => ensureThread(threadId).then(Boolean, () => true)
  void (async () => {
    const runs = Object.keys(useRun.getState().byThread)
    const known = new Set((await Promise.all(runs.map(async (id) => ((await exists(id)) ? id : null)))).filter(Boolean))
    reloadRuns((id) => known.has(id))
  })()
  // After a reconnect: terminal tab lists refresh, then terminals re-attach (replaying their scrollback).
  // The lists come first: a restarted core finds ended sessions only for threads it has listed.
  const reloads = Object.keys(useTerminals.getState().ptysByThread).map(async (threadId) => {
    if (await exists(threadId)) return loadPtys(threadId)
    disposeThreadSessions(threadId)
    useTerminals.getState().forgetThread(threadId)
  })
  void Promise.all(reloads).then(() => {
    if (live === client) poolReconnected()
  })
}

const NOTICES_SEEN = 'skein.notices-seen-pid'

/** What the core cleaned up after an unexpected stop, shown once per core process (not again on a reconnect or reload). */
function showStartupNotices(hello: { pid: number; notices: string[] }): void {
  const key = `${hello.pid}`
  let seen: string | null = null
  try {
    seen = sessionStorage.getItem(NOTICES_SEEN)
    sessionStorage.setItem(NOTICES_SEEN, key)
  } catch {
    // storage blocked: show them anyway
  }
  if (seen === key) return
  for (const n of hello.notices) notifyInfo('Cleaned up after an unexpected stop', n)
}

function scheduleRetry(): void {
  if (retryTimer) return
  const failures = useConnection.getState().failures
  const base = BACKOFF_MS[failures] ?? MAX_BACKOFF_MS
  const delay = Math.round(base * (1 + Math.random() * 0.2))
  useConnection.setState({ status: 'reconnecting', failures: failures + 1, nextAttemptAt: Date.now() + delay })
  retryTimer = setTimeout(() => {
    retryTimer = null
    void attempt()
  }, delay)
}
