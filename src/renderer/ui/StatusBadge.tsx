import type { ReactElement } from 'react'
import type { AgentState, ThreadStatus } from '../../shared/models'

/** The words shown for each status. */
export const statusLabels: Record<ThreadStatus, string> = {
  idle: 'Idle',
  running: 'Running',
  'needs-attention': 'Needs attention',
  error: 'Error',
  archived: 'Archived'
}

/** The colour family of a badge: a thread status, or an ended agent session (cleanly or not). */
export type BadgeTone = ThreadStatus | 'exited' | 'exited-failed'

/** What a thread's badge says: its agent session's activity when it has one, else its status. */
export function activityOf(status: ThreadStatus, agent?: AgentState | null): { tone: BadgeTone; label: string } {
  if (status === 'error' || status === 'archived' || !agent) return { tone: status, label: statusLabels[status] }
  switch (agent.activity) {
    case 'running':
      return { tone: 'running', label: 'Running' }
    case 'waiting':
      return { tone: 'needs-attention', label: 'Waiting for input' }
    case 'exited':
      return agent.exitCode === null
        ? { tone: 'exited', label: 'Exited' }
        : { tone: agent.exitCode === 0 ? 'exited' : 'exited-failed', label: `Exited ${agent.exitCode}` }
  }
}

/** A coloured status pill (agent activity first, when there is a session); for errors the core's message is the tooltip. */
export function StatusBadge({
  status,
  agent,
  message,
  compact = false
}: {
  status: ThreadStatus
  agent?: AgentState | null
  message?: string | null
  compact?: boolean
}): ReactElement {
  const { tone, label } = activityOf(status, agent)
  return (
    <span
      className={`badge badge-${tone}${compact ? ' badge-compact' : ''}`}
      title={message ? `${label}: ${message}` : label}
      data-status={status}
      data-activity={agent?.activity}
    >
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  )
}
