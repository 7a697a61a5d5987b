import type { ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { useNavigation } from '../../state/navigation-store'
import { formatDateTime, formatRelative } from '../../ui/clock'
import { StatusBadge } from '../../ui/StatusBadge'
import { threadStateOf } from '../../../shared/thread-state'
import { CiDot, useCiFailed } from '../ci'
import { PrBadge } from '../pr'
import { ApprovalBar, Cost, DiffStat, isFinding, quietText } from './CardParts'
import { useThreadSummary } from '../../state/summaries-store'
import { onThreadContextMenu } from './ThreadCard'
import { ForkLinks } from '../checkpoints'

/** One thread as a dense dashboard row: state, title, the agent's last line (or Approve/Deny), counts, CI, cost, repository, time. */
export function ThreadRow({ thread, repoName, now }: { thread: Thread; repoName: string | null; now: number }): ReactElement {
  const select = useNavigation((s) => s.selectThread)
  const ciFailed = useCiFailed(thread.id)
  const summary = useThreadSummary(thread.id)
  const { state } = threadStateOf({ status: thread.status, agent: thread.agent, conversation: thread.conversation, ciFailed })
  const approval = summary?.pendingApproval ?? null
  const line = summary?.lastLine
  const lineText = line
    ? line.text.replace(/\s*\n\s*/g, ' · ')
    : (thread.statusMessage ?? thread.focus ?? (summary ? quietText(thread, true) : ''))
  return (
    <div
      role="listitem"
      aria-label={thread.unread ? `${thread.title} (unread)` : thread.title}
      className={`card-cell dash-row status-${thread.status} state-${state}${thread.unread ? ' is-unread' : ''}`}
      data-thread-id={thread.id}
      onContextMenu={onThreadContextMenu(thread)}
    >
      <StatusBadge
        status={thread.status}
        agent={thread.agent}
        conversation={thread.conversation}
        ciFailed={ciFailed}
        message={thread.statusMessage}
        iconOnly
      />
      <span className="dash-title-cell">
        <button type="button" className="dash-title card-open" onClick={() => select(thread.id)} title={thread.title}>
          {thread.unread && <span className="unread-dot" title="Unread: something happened while you were away" aria-hidden="true" />}
          <span className="dash-title-text">{thread.title}</span>
        </button>
        <ForkLinks thread={thread} compact />
        <PrBadge threadId={thread.id} />
      </span>
      {approval ? (
        <span className="dash-line is-approval" title={approval.command ? `$ ${approval.command}` : approval.summary}>
          <span className="dash-approval-summary">Needs approval: {approval.summary}</span>
          <ApprovalBar thread={thread} approval={approval} compact />
        </span>
      ) : (
        <span
          className={`dash-line${line ? ` is-${line.source}` : ' is-quiet'}${isFinding(thread, summary) ? ' is-finding' : ''}`}
          title={line?.text ?? lineText}
          data-testid="row-last-line"
        >
          {lineText}
        </span>
      )}
      <span className="dash-stats">
        <DiffStat stat={summary?.diffStat} />
      </span>
      <span className="dash-ci">
        <CiDot threadId={thread.id} />
      </span>
      <span className="dash-cost">
        <Cost thread={thread} />
      </span>
      {repoName && (
        <span className="dash-repo" title={thread.branch ? `${repoName} · ${thread.branch}` : repoName}>
          {repoName}
        </span>
      )}
      <time
        className="card-time"
        dateTime={new Date(thread.lastActivityAt).toISOString()}
        title={`Last activity ${formatDateTime(thread.lastActivityAt)}`}
      >
        {formatRelative(thread.lastActivityAt, now)}
      </time>
    </div>
  )
}
