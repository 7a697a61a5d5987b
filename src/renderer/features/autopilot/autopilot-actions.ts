import type { AutopilotPatch } from '../../../shared/autopilot'
import type { NotificationOf } from '../../../shared/methods'
import { useNavigation } from '../../state/navigation-store'
import { notifyError, notifyWarning } from '../../state/notify'
import { onScreen, supported } from '../../state/os-notifications'
import { errorMessage, request } from '../../state/rpc'
import { useThreadView } from '../../state/thread-view-store'
import { ensureThread } from '../../state/thread-loader'
import { useAutopilot } from './autopilot-store'

/** Loads every thread's autopilot that is on or has attempts (on every connect). */
export async function loadAutopilot(): Promise<void> {
  try {
    const { states } = await request('autopilot/list')
    useAutopilot.getState().replaceAll(states)
  } catch (e) {
    console.warn('Skein: could not load the autopilot states', errorMessage(e))
  }
}

/** Loads one thread's autopilot (its defaults when it never had one), for its CI tab. */
export async function loadThreadAutopilot(threadId: string): Promise<void> {
  try {
    useAutopilot.getState().put(await request('autopilot/get', { threadId }))
  } catch (e) {
    console.warn('Skein: could not load the autopilot', errorMessage(e))
  }
}

/** Changes a thread's autopilot; a refusal is shown as a toast with the core's reason. Resolves true when saved. */
export async function configureAutopilot(threadId: string, patch: AutopilotPatch): Promise<boolean> {
  try {
    useAutopilot.getState().put(await request('autopilot/configure', { threadId, ...patch }))
    return true
  } catch (e) {
    notifyError(patch.enabled === true ? 'Could not turn the autopilot on' : 'Could not change the autopilot', e)
    return false
  }
}

/** Applies an `autopilot/updated` notification. */
export function routeAutopilotUpdated({ state }: NotificationOf<'autopilot/updated'>): void {
  useAutopilot.getState().put(state)
}

const showCi = (threadId: string) => {
  useNavigation.getState().selectThread(threadId)
  useThreadView.getState().setTab(threadId, 'ci')
}

/**
 * The autopilot gave up: a toast says why (with a way to the thread's CI tab), and an OS
 * notification too when the thread is not on screen.
 */
export function routeAutopilotGaveUp({ threadId, reason, message }: NotificationOf<'autopilot/gaveUp'>): void {
  // Turning it off or archiving the thread is the person's own doing, not news.
  if (reason === 'turned-off' || reason === 'thread-gone') return
  // The thread may not be loaded (the window holds the threads its lists show): its title is asked for then.
  void ensureThread(threadId)
    .catch(() => null)
    .then((thread) => tellGaveUp(threadId, thread?.title ?? 'a thread', message))
}

function tellGaveUp(threadId: string, title: string, message: string): void {
  notifyWarning(`Autopilot gave up on “${title}”`, message, { label: 'Show CI', run: () => showCi(threadId) })
  if (onScreen(threadId) || !supported() || Notification.permission !== 'granted') return
  try {
    const notification = new Notification(title, { body: `Autopilot gave up: ${message}`, tag: `autopilot:${threadId}` })
    notification.onclick = () => {
      window.focus()
      showCi(threadId)
      notification.close()
    }
  } catch (e) {
    console.warn('Skein: could not show a notification', e)
  }
}
