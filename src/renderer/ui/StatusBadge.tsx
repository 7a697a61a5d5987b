import type { ReactElement } from 'react'
import type { ThreadStatus } from '../../shared/models'

/** The words shown for each status. */
export const statusLabels: Record<ThreadStatus, string> = {
  idle: 'Idle',
  running: 'Running',
  'needs-attention': 'Needs attention',
  error: 'Error',
  archived: 'Archived'
}

/** A coloured status pill; for errors the core's message is the tooltip. */
export function StatusBadge({
  status,
  message,
  compact = false
}: {
  status: ThreadStatus
  message?: string | null
  compact?: boolean
}): ReactElement {
  const label = statusLabels[status]
  return (
    <span
      className={`badge badge-${status}${compact ? ' badge-compact' : ''}`}
      title={message ? `${label}: ${message}` : label}
      data-status={status}
    >
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  )
}
