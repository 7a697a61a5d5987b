import type { Item, Thread } from '../../shared/models'
import { approvalText, attentionText, awaitsApproval } from './attention-text'
import { useNavigation } from './navigation-store'
import { useThreadView } from './thread-view-store'
import { useThreads } from './threads-store'
import { useSummaries } from './summaries-store'

let asked = false

/** True where the page can show OS notifications at all. */
export const supported = (): boolean => typeof Notification !== 'undefined'

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

/** The summary of the approval each thread waits on, as the last `approval/requested` told it. */
const approvalSummaries = new Map<string, string>()

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
    const last = useSummaries.getState().byThread[next.id]?.lastLine
    const finding = last?.source === 'agent' ? last.text : undefined
    const notification = new Notification(next.title, {
      body: attentionText(previous, next, approvalSummaries.get(next.id), finding),
      tag: next.id
    })
    notification.onclick = () => {
      window.focus()
      useNavigation.getState().selectThread(next.id)
      if (awaitsApproval(next)) useThreadView.getState().setTab(next.id, 'conversation')
      else if (next.agent) useThreadView.getState().setTab(next.id, 'terminal')
      notification.close()
    }
  } catch (e) {
    console.warn('Skein: could not show a notification', e)
  }
}

/** True when this window shows the thread right now. */
export function onScreen(threadId: string): boolean {
  const { view, selectedThreadId } = useNavigation.getState()
  return document.visibilityState === 'visible' && document.hasFocus() && view === 'thread' && selectedThreadId === threadId
}

/**
 * Shows "Needs approval: <summary>" when the built-in agent of a thread not on screen asks for
 * approval. Clicking it opens that thread's Conversation tab, where the card waits.
 */
export function notifyApproval(item: Item): void {
  if (item.kind !== 'approval' || !item.approval || item.approval.decision !== null) return
  approvalSummaries.set(item.threadId, item.approval.summary)
  if (onScreen(item.threadId) || !supported() || Notification.permission !== 'granted') return
  const title = useThreads.getState().byId[item.threadId]?.title ?? 'Skein'
  try {
    const notification = new Notification(title, { body: approvalText(item.approval.summary), tag: item.threadId })
    notification.onclick = () => {
      window.focus()
      useNavigation.getState().selectThread(item.threadId)
      useThreadView.getState().setTab(item.threadId, 'conversation')
      notification.close()
    }
  } catch (e) {
    console.warn('Skein: could not show a notification', e)
  }
}
