import type { Thread } from '../../../shared/models'
import { useNavigation } from '../../app/navigation-store'
import { useThreadView } from '../thread-view/thread-view-store'

let asked = false

const supported = (): boolean => typeof Notification !== 'undefined'

/**
 * Asks once for permission to show OS notifications. Call it only from a user gesture (starting a
 * session, creating a thread with an agent), never on page load.
 */
export function askNotificationPermission(): void {
  if (asked || !supported() || Notification.permission !== 'default') return
  asked = true
  Notification.requestPermission().catch(() => {
    // the page may not ask (e.g. an insecure origin); the unread dots still work
  })
}

/** What the notification says about a thread that needs a look. */
export function attentionBody(thread: Thread): string {
  const agent = thread.agent
  if (agent?.activity === 'exited') return agent.exitCode === null ? 'The session ended' : `Exited with code ${agent.exitCode}`
  if (agent?.activity === 'waiting') return 'Waiting for input'
  return 'Needs your attention'
}

/**
 * Shows an OS notification when a thread just became unread (the core only marks threads no client
 * is viewing), and updates it in place (same tag) when the agent of a still-unread thread exits.
 * Clicking it brings the window forward on that thread's terminal.
 */
export function notifyIfNewlyUnread(previous: Thread | undefined, next: Thread): void {
  if (!next.unread || !previous) return
  const becameUnread = !previous.unread
  const exitedWhileUnread = previous.unread && previous.agent?.activity !== 'exited' && next.agent?.activity === 'exited'
  if (!becameUnread && !exitedWhileUnread) return
  if (!supported() || Notification.permission !== 'granted') return
  try {
    const notification = new Notification(next.title, { body: attentionBody(next), tag: next.id })
    notification.onclick = () => {
      window.focus()
      useNavigation.getState().selectThread(next.id)
      if (next.agent) useThreadView.getState().setTab(next.id, 'terminal')
      notification.close()
    }
  } catch (e) {
    console.warn('Skein: could not show a notification', e)
  }
}
