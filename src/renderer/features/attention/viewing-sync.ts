import { request } from '../../state/rpc'
import { useConnection } from '../../state/connection-store'
import { useNavigation } from '../../state/navigation-store'
import { useThreads } from '../../state/threads-store'

/** The thread this window shows right now: the selected one while the page is visible, else none. */
function viewedThread(): string | null {
  if (document.visibilityState !== 'visible') return null
  const { view, selectedThreadId } = useNavigation.getState()
  return view === 'thread' ? selectedThreadId : null
}

/**
 * Keeps the core told which thread this client views (`thread/setViewing`), so it never marks that
 * one unread, and marks a thread read (`thread/markRead`) when the person opens it. Returns the stop.
 */
export function startViewingSync(): () => void {
  let sent: string | null | undefined
  let readPending: string | null = null

  const sync = (force = false) => {
    if (useConnection.getState().status !== 'connected') {
      sent = undefined // say it again after the reconnect
      return
    }
    const threadId = viewedThread()
    if (force || threadId !== sent) {
      sent = threadId
      request('thread/setViewing', { threadId }).catch(() => {
        sent = undefined
      })
    }
    const thread = threadId ? useThreads.getState().byId[threadId] : undefined
    if (thread?.unread && readPending !== thread.id) {
      readPending = thread.id
      request('thread/markRead', { threadId: thread.id })
        .then((updated) => useThreads.getState().upsert(updated))
        .catch(() => {})
        .finally(() => {
          readPending = null
        })
    }
  }

  const onVisibility = () => sync()
  document.addEventListener('visibilitychange', onVisibility)
  const unsubscribers = [
    useNavigation.subscribe((s, prev) => {
      if (s.view !== prev.view || s.selectedThreadId !== prev.selectedThreadId) sync()
    }),
    useConnection.subscribe((s, prev) => {
      if (s.status === 'connected' && prev.status !== 'connected') sync(true)
    }),
    useThreads.subscribe((s, prev) => {
      const threadId = viewedThread()
      if (threadId && s.byId[threadId] !== prev.byId[threadId]) sync()
    })
  ]
  sync()
  return () => {
    document.removeEventListener('visibilitychange', onVisibility)
    for (const u of unsubscribers) u()
  }
}
