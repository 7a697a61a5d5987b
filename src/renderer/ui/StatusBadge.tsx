import type { ReactElement } from 'react'
import type { AgentState, Thread, ThreadStatus } from '../../shared/models'
import { Icon, type IconName } from './Icon'
import { threadStateOf, type ConversationState, type ThreadState } from '../../shared/thread-state'

export { stateLabels, threadStateOf, type ConversationState, type ThreadState } from '../../shared/thread-state'

/** The icon of each state, so states differ in shape as well as colour. */
export const stateIcons: Record<ThreadState, IconName> = {
  'needs-attention': 'alert',
  error: 'close',
  'ci-failed': 'cancelled',
  waiting: 'pencil',
  'setting-up': 'refresh',
  running: 'play',
  finished: 'check',
  exited: 'stop',
  idle: 'minus',
  archived: 'archive'
}

/** The words and tone of a thread's badge (kept for callers that only need the label). */
export function activityOf(
  status: ThreadStatus,
  agent?: AgentState | null,
  conversation?: ConversationState | null,
  ciFailed = false
): { tone: ThreadState; label: string } {
  const { state, label } = threadStateOf({ status, agent, conversation, ciFailed })
  return { tone: state, label }
}

/** A status pill with an icon per state; for errors the core's message is the tooltip. */
export function StatusBadge({
  status,
  agent,
  message,
  conversation,
  ciFailed = false,
  compact = false,
  iconOnly = false,
  setup
}: {
  status: ThreadStatus
  agent?: AgentState | null
  message?: string | null
  conversation?: ConversationState | null
  ciFailed?: boolean
  compact?: boolean
  /** Only the state's icon shows (the sidebar, so whole titles fit); the label stays for screen readers and the tooltip. */
  iconOnly?: boolean
  /** The environment setup of a new worktree ("Setting up" while it runs). */
  setup?: Thread['setup']
}): ReactElement {
  const { state, label } = threadStateOf({ status, agent, conversation, ciFailed, setup })
  const approval = state === 'needs-attention'
  return (
    <span
      className={`badge badge-${state}${state === 'exited' && agent?.exitCode ? ' badge-exited-failed' : ''}${compact ? ' badge-compact' : ''}${iconOnly ? ' badge-icon-only' : ''}`}
      title={message ? `${label}: ${message}` : label}
      data-status={status}
      data-state={state}
      data-activity={approval ? 'approval' : conversation?.busy ? 'conversation' : agent?.activity}
    >
      <Icon name={stateIcons[state]} size={compact ? 9 : 10} className="badge-icon" />
      <span className="badge-label">{label}</span>
    </span>
  )
}
