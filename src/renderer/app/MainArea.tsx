import { useEffect, type ReactElement } from 'react'
import { Dashboard } from '../features/dashboard'
import { useThread } from '../state/derived'
import { useThreads } from '../state/threads-store'
import { ThreadView } from '../features/thread-view'
import { useConnection } from '../state/connection-store'
import { useNavigation } from '../state/navigation-store'
import { ensureThread } from '../state/thread-loader'

/** The right-hand side: the selected thread, or the dashboard. */
export function MainArea(): ReactElement {
  const view = useNavigation((s) => s.view)
  const selectedId = useNavigation((s) => s.selectedThreadId)
  const thread = useThread(view === 'thread' ? selectedId : null)
  const loaded = useThreads((s) => s.loaded)
  const status = useConnection((s) => s.status)
  const title = thread?.title
  const missingId = view === 'thread' && loaded && !thread ? selectedId : null

  // A thread not loaded yet (archived, a search result, a link, or in a later page) is fetched; one the core
  // does not know is forgotten.
  useEffect(() => {
    if (!missingId || status !== 'connected') return
    ensureThread(missingId).then(
      (found) => found || useNavigation.getState().forgetThread(missingId),
      () => undefined // disconnected: asked again once connected
    )
  }, [missingId, status])

  useEffect(() => {
    document.title = title ? `${title} — Skein` : view === 'dashboard' ? 'Dashboard — Skein' : 'Skein'
  }, [title, view])

  if (!loaded) {
    return (
      <div className="empty-state" aria-busy="true">
        <div className="spinner" aria-hidden="true" />
        <p>{status === 'reconnecting' ? 'Waiting for the Skein core…' : 'Connecting to the Skein core…'}</p>
      </div>
    )
  }
  if (missingId) {
    return (
      <div className="empty-state" aria-busy="true">
        <div className="spinner" aria-hidden="true" />
        <p>Loading the thread…</p>
      </div>
    )
  }
  return thread ? <ThreadView key={thread.id} thread={thread} /> : <Dashboard />
}
