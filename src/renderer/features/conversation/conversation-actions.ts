import type { PermissionMode, Thread } from '../../../shared/models'
import { errorMessage, request } from '../../state/rpc'
import { askNotificationPermission } from '../../state/os-notifications'
import { useThreads } from '../../state/threads-store'
import { notifyError } from '../../state/notify'

/** Sends a message that starts a turn; returns the core's refusal (shown by the composer) or null. */
export async function startTurn(threadId: string, text: string, attachments: string[]): Promise<string | null> {
  askNotificationPermission() // a user gesture: the agent may later ask for approval while the window is away
  try {
    await request('turn/start', { threadId, text, attachments })
    return null
  } catch (e) {
    return errorMessage(e)
  }
}

/** Queues a message the running turn sees at its next step; returns the refusal or null. */
export async function steerTurn(threadId: string, text: string): Promise<string | null> {
  try {
    await request('turn/steer', { threadId, text })
    return null
  } catch (e) {
    return errorMessage(e)
  }
}

/** Stops the running turn: its stream and any command it runs. */
export async function interruptTurn(threadId: string): Promise<void> {
  try {
    await request('turn/interrupt', { threadId })
  } catch (e) {
    notifyError('Could not stop the agent', e)
  }
}

/** Runs the last failed turn again. */
export async function retryTurn(threadId: string): Promise<void> {
  try {
    await request('turn/retry', { threadId })
  } catch (e) {
    notifyError('Could not retry', e)
  }
}

/** Answers an approval card. */
export async function respondToApproval(
  threadId: string,
  itemId: string,
  decision: 'once' | 'session' | 'deny',
  message?: string
): Promise<boolean> {
  try {
    await request('approval/respond', { threadId, itemId, decision, message: message?.trim() ? message.trim() : undefined })
    return true
  } catch (e) {
    notifyError('Could not answer the approval', e)
    return false
  }
}

/** Changes the thread's model, permission mode, sandbox or network access. */
export async function configureConversation(
  thread: Thread,
  change: { model?: string; permissionMode?: PermissionMode; sandbox?: boolean; network?: boolean }
): Promise<void> {
  try {
    useThreads.getState().upsert(await request('thread/configure', { threadId: thread.id, ...change }))
  } catch (e) {
    const what = change.model
      ? 'the model'
      : change.permissionMode
        ? 'the permission mode'
        : change.sandbox !== undefined
          ? 'the sandbox'
          : 'network access'
    notifyError(`Could not change ${what}`, e)
  }
}
