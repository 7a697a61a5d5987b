import type { NotificationOf } from '../../../shared/methods'
import { errorMessage, request } from '../../state/rpc'
import { usePr } from './pr-store'

let loadGeneration = 0

/** Fills the store from `pr/statuses` (on every connect); updates that arrived before the answer are older, so they are dropped. */
export async function loadPrStatuses(): Promise<void> {
  const mine = ++loadGeneration
  try {
    const { statuses } = await request('pr/statuses')
    if (mine === loadGeneration) usePr.getState().replaceAll(statuses)
  } catch (e) {
    console.warn('Skein: could not load pull requests', errorMessage(e))
  }
}

/** Applies a `pr/updated` notification. */
export function routePrUpdated({ threadId, status }: NotificationOf<'pr/updated'>): void {
  usePr.getState().put(threadId, status)
}

/** Forgets the request of a thread that is gone. */
export function forgetPr(threadId: string): void {
  usePr.getState().put(threadId, null)
}
