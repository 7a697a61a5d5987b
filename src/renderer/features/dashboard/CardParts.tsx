import { useState, type ReactElement } from 'react'
import type { Thread, ThreadSummary } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { respondToApproval } from '../conversation'

/** "+12 −3" with the file count, as the Changes tab counts against the base; nothing until measured or when nothing changed. */
export function DiffStat({ stat }: { stat: ThreadSummary['diffStat'] | undefined }): ReactElement | null {
  if (!stat || stat.files === 0) return null
  const files = `${stat.files} ${stat.files === 1 ? 'file' : 'files'}`
  return (
    <span
      className="card-diff"
      title={`${files} changed against the base: ${stat.added} lines added, ${stat.removed} removed`}
      aria-label={`${files} changed, ${stat.added} added, ${stat.removed} removed`}
    >
      <span className="diff-stat-add">+{stat.added}</span>
      <span className="diff-stat-del">−{stat.removed}</span>
      <span className="card-diff-files">{files}</span>
    </span>
  )
}

/** The built-in agent's estimated cost so far ("$0.04"); nothing before it spent anything. */
export function Cost({ thread }: { thread: Thread }): ReactElement | null {
  const usd = thread.conversation.usage.costUsd
  if (usd === null || usd <= 0) return null
  const text = usd < 0.01 ? '<$0.01' : `$${usd.toFixed(2)}`
  return (
    <span className="card-cost" title={`Estimated cost of the built-in agent: $${usd.toFixed(4)}`}>
      {text}
    </span>
  )
}

/** True when the thread's built-in agent has ended its work on an investigation: its last reply is the finding. */
export const isFinding = (thread: Thread, summary: ThreadSummary | undefined): boolean =>
  !!thread.focus && !thread.conversation.busy && (thread.conversation.turns ?? 0) > 0 && summary?.lastLine?.source === 'agent'

/** What a card (or, `short`, a list row) says when its agent has said nothing yet. */
export function quietText(thread: Thread, short = false): string {
  if (thread.conversation.busy) return 'The agent is starting…'
  if (thread.agent?.activity === 'running') return 'Running…'
  if (thread.agent) return 'No output yet.'
  return short ? 'No agent yet' : 'No agent has run here yet. Open the thread to start one.'
}

/** What the agent said last: its reply, the command it runs, or its terminal's last lines. */
export function LastLine({ thread, summary }: { thread: Thread; summary: ThreadSummary | undefined }): ReactElement | null {
  const line = summary?.lastLine
  if (!line) {
    // Until the summary arrives, say nothing rather than something that may be wrong.
    if (!summary) return null
    return (
      <span className="card-last is-quiet" data-testid="card-last-line">
        <span className="card-last-text">{quietText(thread)}</span>
      </span>
    )
  }
  const finding = isFinding(thread, summary)
  const label = finding ? 'Finding' : line.source === 'terminal' ? 'Terminal' : line.source === 'tool' ? 'Running' : 'Agent'
  return (
    <span className={`card-last is-${line.source}${finding ? ' is-finding' : ''}`} data-testid="card-last-line">
      <span className="card-last-label">{label}</span>
      <span className="card-last-text">{line.text}</span>
    </span>
  )
}

/** The pending approval of a thread's built-in agent, answered right here. */
export function ApprovalBar({
  thread,
  approval,
  compact = false
}: {
  thread: Thread
  approval: NonNullable<ThreadSummary['pendingApproval']>
  compact?: boolean
}): ReactElement {
  const [sending, setSending] = useState<'once' | 'deny' | null>(null)
  const answer = async (decision: 'once' | 'deny') => {
    if (sending) return
    setSending(decision)
    // The summary clears itself when the core says the approval was answered; only a refusal resets the buttons.
    if (!(await respondToApproval(thread.id, approval.itemId, decision))) setSending(null)
  }
  const detail = approval.command ? `$ ${approval.command}` : approval.path
  return (
    <span className={`card-approval${compact ? ' is-compact' : ''}`} role="group" aria-label={`Needs approval: ${approval.summary}`}>
      {!compact && (
        <span className="card-approval-text">
          <Icon name="alert" size={12} className="card-approval-icon" />
          <span className="card-approval-summary" title={detail ?? approval.summary}>
            {approval.summary}
          </span>
        </span>
      )}
      {!compact && detail && approval.command && <code className="card-approval-command">{detail}</code>}
      <span className="card-approval-actions">
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={!!sending}
          onClick={() => void answer('once')}
          aria-label={`Approve: ${approval.summary}`}
        >
          {sending === 'once' ? 'Approving…' : 'Approve'}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!!sending}
          onClick={() => void answer('deny')}
          aria-label={`Deny: ${approval.summary}`}
        >
          {sending === 'deny' ? 'Denying…' : 'Deny'}
        </button>
      </span>
    </span>
  )
}
