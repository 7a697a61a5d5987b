import type { NotificationOf } from '../../../shared/methods'
import { useNavigation } from '../../state/navigation-store'
import { onScreen, supported } from '../../state/os-notifications'
import { useThreadView } from '../../state/thread-view-store'
import { ensureThread } from '../../state/thread-loader'
import { useCi } from './ci-store'

/** What the notification says about the failed checks. */
export function failureBody(checks: readonly string[]): string {
  if (checks.length === 0) return 'CI failed'
  const names = checks.slice(0, 3).join(', ')
  return `CI failed: ${names}${checks.length > 3 ? ` and ${checks.length - 3} more` : ''}`
}

/**
 * A thread's CI just failed (`ci/failed`, news only). When the thread is not on screen it is marked
 * in the sidebar and dashboard, and an OS notification says which checks failed; clicking it opens
 * the thread's CI tab.
 */
export function routeCiFailed({ threadId, checks }: NotificationOf<'ci/failed'>): void {
  if (onScreen(threadId)) return
  useCi.getState().markNews(threadId)
  if (!supported() || Notification.permission !== 'granted') return
  // The thread may not be loaded (the window holds the threads its lists show): its title is asked for then.
  void ensureThread(threadId)
    .catch(() => null)
    .then((thread) => showFailure(threadId, thread?.title ?? 'Skein', checks))
}

function showFailure(threadId: string, title: string, checks: readonly string[]): void {
  try {
    const notification = new Notification(title, { body: failureBody(checks), tag: `ci:${threadId}` })
    notification.onclick = () => {
      window.focus()
      useNavigation.getState().selectThread(threadId)
      useThreadView.getState().setTab(threadId, 'ci')
      notification.close()
    }
  } catch (e) {
    console.warn('Skein: could not show a notification', e)
  }
}

/** Clears a thread's "CI failed while away" mark once the person has it on screen. Returns the stop. */
export function startCiNewsSync(): () => void {
  const clearShown = () => {
    const { view, selectedThreadId } = useNavigation.getState()
    if (view !== 'thread' || !selectedThreadId || document.visibilityState !== 'visible' || !document.hasFocus()) return
    if (useCi.getState().news[selectedThreadId]) useCi.getState().clearNews(selectedThreadId)
  }
  const unsubscribers = [useNavigation.subscribe(clearShown), useCi.subscribe((s, prev) => s.news !== prev.news && clearShown())]
  document.addEventListener('visibilitychange', clearShown)
  window.addEventListener('focus', clearShown)
  clearShown()
  return () => {
    for (const u of unsubscribers) u()
    document.removeEventListener('visibilitychange', clearShown)
    window.removeEventListener('focus', clearShown)
  }
}
