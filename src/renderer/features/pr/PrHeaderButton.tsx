import type { ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { useCiProvider } from '../ci'
import { openCreateRequest } from './pr-actions'
import { prSummary, prTone, RequestNoun, requestRef, stateLabels } from './pr-format'
import { canOpenRequest } from './PrPanel'
import { usePrStatus } from './pr-store'

/** The thread header's link to its pull or merge request, or the button that creates one. */
export function PrHeaderButton({ thread }: { thread: Thread }): ReactElement | null {
  const status = usePrStatus(thread.id)
  const ciProvider = useCiProvider(thread.id)
  if (status)
    return (
      <a
        className={`pr-chip pr-tone-${prTone(status)}`}
        href={status.url}
        target="_blank"
        rel="noreferrer"
        title={prSummary(status)}
        data-pr-state={status.state}
      >
        <Icon name="pull-request" size={13} />
        <span className="pr-chip-number">{requestRef(status)}</span>
        <span className="pr-chip-state">{stateLabels[status.state]}</span>
      </a>
    )
  if (!canOpenRequest(thread)) return null
  return (
    <button type="button" className="btn btn-small pr-create" onClick={() => openCreateRequest(thread.id)}>
      <Icon name="pull-request" size={13} />
      Create {RequestNoun(ciProvider).toLowerCase()}
    </button>
  )
}
