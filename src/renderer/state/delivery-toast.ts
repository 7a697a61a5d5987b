import type { DeliveryOutcome } from '../../shared/models'
import { request } from './rpc'
import { notifyError, notifySuccess } from './notify'
import { useToasts, type ToastAction } from './toasts-store'

/** Says truthfully what happened to text meant for a thread's agent; when it was held back, offers Copy and the built-in agent. */
export function notifyDelivery(
  threadId: string,
  what: string,
  outcome: DeliveryOutcome,
  open?: (to: 'cli-agent' | 'built-in-agent') => ToastAction
): void {
  if (outcome.delivered) {
    const title = outcome.queued ? `Queued ${what} for ${outcome.agent} (busy)` : `Sent ${what} to ${outcome.agent}`
    const message =
      outcome.to === 'built-in-agent'
        ? 'The built-in agent has it in the Conversation tab.'
        : outcome.queued
          ? 'It is submitted when the agent finishes what it is doing.'
          : 'Submitted in the agent’s terminal.'
    notifySuccess(title, message, open?.(outcome.to))
    return
  }
  useToasts.getState().push({
    kind: 'warning',
    title: `Not sent to ${outcome.agent}`,
    message: outcome.message,
    action: { label: 'Copy', run: () => void navigator.clipboard.writeText(outcome.text) },
    secondAction: {
      label: 'Send to the built-in agent',
      run: () =>
        void request('turn/start', { threadId, text: outcome.text }).catch((e) => notifyError('Could not start the built-in agent', e))
    }
  })
}
