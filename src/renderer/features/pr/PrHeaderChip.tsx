import type { ReactElement } from 'react'
import { Icon } from '../../ui/Icon'
import { prSummary, prTone, requestRef, stateLabels } from './pr-format'
import { usePrStatus } from './pr-store'

/** The thread header's link to its pull or merge request (number and state); nothing while it has none. */
export function PrHeaderChip({ threadId }: { threadId: string }): ReactElement | null {
  const status = usePrStatus(threadId)
  if (!status) return null
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
}
