import type { ReactElement } from 'react'
import type { AgentState, Thread, ThreadStatus } from '../../shared/models'

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

/** The part of a thread's built-in conversation a badge needs. */
export type ConversationState = Pick<Thread['conversation'], 'busy'>

/**
 * What a thread's badge says. A turn of the built-in agent comes first (Running, or Needs attention
 * while an approval waits); then the CLI agent session's activity ("Waiting for input"); else the status.
 */
export function activityOf(status: ThreadStatus, agent?: AgentState | null, conversation?: ConversationState | null): { tone: BadgeTone; label: string } {
  if (status === 'error' || status === 'archived') return { tone: status, label: statusLabels[status] }
  if (conversation?.busy) return status === 'needs-attention' ? { tone: 'needs-attention', label: 'Needs attention' } : { tone: 'running', label: 'Running' }
  if (!agent) return { tone: status, label: statusLabels[status] }
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
  conversation,
  compact = false
}: {
  status: ThreadStatus
  agent?: AgentState | null
  message?: string | null
  conversation?: ConversationState | null
  compact?: boolean
}): ReactElement {
  const { tone, label } = activityOf(status, agent, conversation)
  const approval = !!conversation?.busy && status === 'needs-attention'
  return (
    <span
      className={`badge badge-${tone}${compact ? ' badge-compact' : ''}`}
      title={message ? `${label}: ${message}` : label}
      data-status={status}
      data-activity={approval ? 'approval' : conversation?.busy ? 'conversation' : agent?.activity}
    >
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  )
}
