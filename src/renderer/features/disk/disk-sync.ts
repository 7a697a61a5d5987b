import type { NotificationOf } from '../../../shared/methods'
import { errorMessage, request } from '../../state/rpc'
import { useDisk } from './disk-store'

/** Fills the store from `disk/usage` (on every connect); the core measures what it has not yet, and sends `disk/updated`. */
export async function loadDisk(): Promise<void> {
  try {
    const { repos } = await request('disk/usage')
    useDisk.getState().replaceAll(repos)
  } catch (e) {
    console.warn('Skein: could not load disk use', errorMessage(e))
  }
}

/** Applies a `disk/updated` notification. */
export function routeDiskUpdated({ repo }: NotificationOf<'disk/updated'>): void {
  useDisk.getState().put(repo)
}
