import type { Thread } from '../../../shared/models'
import type { MenuEntry } from '../../ui/menu-store'
import { openCreateRequest, openOnSite, requestNounOf } from './pr-actions'
import { canOpenRequest } from './PrPanel'
import { requestRef } from './pr-format'
import { usePr } from './pr-store'

/** The thread menu's entry for its request: open the one it has, or create one; none for a thread without its own branch. */
export function requestMenuEntry(thread: Thread): MenuEntry | null {
  const status = usePr.getState().byThread[thread.id]
  if (status)
    return { label: `Open ${requestNounOf(thread.id)} ${requestRef(status)}`, icon: 'pull-request', onSelect: () => openOnSite(status.url) }
  if (!canOpenRequest(thread)) return null
  return { label: `Create ${requestNounOf(thread.id)}…`, icon: 'pull-request', onSelect: () => openCreateRequest(thread.id) }
}
