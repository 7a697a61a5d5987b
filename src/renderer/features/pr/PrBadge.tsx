import type { ReactElement } from 'react'
import { Icon } from '../../ui/Icon'
import { usePr, usePrStatus } from './pr-store'
import { prSummary, prTone, requestRef, stateLabels } from './pr-format'

/**
 * A thread's request at a glance, for sidebar rows and dashboard cards: its number, coloured by how it
 * stands (ready, needs attention, waiting, merged), with the whole story in the tooltip. Reads only its
 * own thread's key, so an update re-renders one badge.
 */
export function PrBadge({ threadId, withState = false }: { threadId: string; withState?: boolean }): ReactElement | null {
  const status = usePrStatus(threadId)
  if (!status) return null
  const summary = prSummary(status)
  return (
    <span className={`pr-badge pr-tone-${prTone(status)}`} title={summary} aria-label={summary} role="img" data-pr-state={status.state}>
      <Icon name="pull-request" size={11} />
      <span className="pr-badge-number" aria-hidden="true">
        {requestRef(status)}
      </span>
      {withState && (
        <span className="pr-badge-state" aria-hidden="true">
          {stateLabels[status.state]}
        </span>
      )}
    </span>
  )
}

/** ", pull request #12 open" for a row's accessible name; empty while the thread has none. */
export function usePrAriaSuffix(threadId: string): string {
  return usePr((s) => {
    const status = s.byThread[threadId]
    if (!status) return ''
    return `, ${status.provider === 'gitlab' ? 'merge' : 'pull'} request ${requestRef(status)} ${stateLabels[status.state].toLowerCase()}`
  })
}
