import type { NotificationOf } from '../../../shared/methods'
import { notifyDelivery } from '../../state/delivery-toast'
import { notifyError, notifyInfo } from '../../state/notify'
import { errorMessage, request } from '../../state/rpc'
import { useRemoteThreads } from './threads-store'

/** The thread's review threads placed on its files as they are now (`refresh`: read from the service first); quiet when it cannot. */
export async function loadRemoteThreads(threadId: string, refresh = false): Promise<void> {
  try {
    useRemoteThreads.getState().put(await request('pr/threads', { threadId, refresh }))
  } catch (e) {
    console.warn('Skein: could not load review threads', errorMessage(e))
  }
}

/** Applies a `pr/threadsUpdated` notification. */
export function routeThreadsUpdated(threads: NotificationOf<'pr/threadsUpdated'>): void {
  useRemoteThreads.getState().put(threads)
}

/** Replies on the service; resolves to the refusal, or null when posted. */
export async function replyToThread(threadId: string, remoteThreadId: string, body: string): Promise<string | null> {
  try {
    useRemoteThreads.getState().put(await request('pr/reply', { threadId, remoteThreadId, body }))
    return null
  } catch (e) {
    return errorMessage(e)
  }
}

/** Resolves or reopens a review thread on the service. */
export async function resolveThread(threadId: string, remoteThreadId: string, resolved: boolean): Promise<void> {
  try {
    useRemoteThreads.getState().put(await request('pr/resolve', { threadId, remoteThreadId, resolved }))
  } catch (e) {
    notifyError(resolved ? 'Could not resolve the thread' : 'Could not reopen the thread', e)
  }
}

/** Sends every unresolved review thread to the thread's agent as one message, and says what happened. */
export async function sendThreadsToAgent(threadId: string): Promise<void> {
  try {
    const { sent, delivery } = await request('pr/sendThreads', { threadId })
    notifyDelivery(threadId, sent === 1 ? 'the review thread' : `${sent || 'the'} review threads`, delivery)
  } catch (e) {
    const message = errorMessage(e)
    if (/no unresolved/i.test(message)) notifyInfo('No unresolved review threads', message)
    else notifyError('Could not send the review threads', e)
  }
}
