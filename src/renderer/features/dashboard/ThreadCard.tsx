import type { MouseEvent, ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { useNavigation } from '../../state/navigation-store'
import { formatDateTime, formatRelative } from '../../ui/clock'
import { Icon } from '../../ui/Icon'
import { StatusBadge } from '../../ui/StatusBadge'
import { threadStateOf } from '../../../shared/thread-state'
import { CiDot, useCiFailed } from '../ci'
import { PrBadge } from '../pr'
import { openThreadMenu } from '../threads'
import { ApprovalBar, Cost, DiffStat, LastLine } from './CardParts'
import { useThreadSummary } from '../../state/summaries-store'
import { ThreadDiskChip } from '../disk'
import { ForkLinks } from '../checkpoints'

/** Opens the thread's actions menu where the person right-clicked. */
export function onThreadContextMenu(thread: Thread) {
  return (e: MouseEvent<HTMLElement>) => {
    e.preventDefault()
    openThreadMenu(thread, { x: e.clientX, y: e.clientY }, e.currentTarget)
  }
}

/**
 * One live thread on the dashboard: its state, title and focus, what its agent said last (or a live
 * tail of its terminal), a pending approval with Approve and Deny, +/- counts, CI and cost. The title
 * is the button that opens the thread; its hit area covers the card, under the approval buttons.
 */
export function ThreadCard({ thread, repoName, now }: { thread: Thread; repoName: string | null; now: number }): ReactElement {
  const select = useNavigation((s) => s.selectThread)
  const ciFailed = useCiFailed(thread.id)
  const summary = useThreadSummary(thread.id)
  const { state } = threadStateOf({
    status: thread.status,
    agent: thread.agent,
    conversation: thread.conversation,
    ciFailed,
    setup: thread.setup
  })
  const approval = summary?.pendingApproval ?? null
  return (
    <div
      role="listitem"
      aria-label={thread.unread ? `${thread.title} (unread)` : thread.title}
      className={`card-cell thread-card status-${thread.status} state-${state}${thread.unread ? ' is-unread' : ''}`}
      data-thread-id={thread.id}
      onContextMenu={onThreadContextMenu(thread)}
    >
      <span className="card-top">
        <StatusBadge
          status={thread.status}
          agent={thread.agent}
          conversation={thread.conversation}
          ciFailed={ciFailed}
          message={thread.statusMessage}
          setup={thread.setup}
        />
        <PrBadge threadId={thread.id} withState />
        <time
          className="card-time"
          dateTime={new Date(thread.lastActivityAt).toISOString()}
          title={`Last activity ${formatDateTime(thread.lastActivityAt)}`}
        >
          {formatRelative(thread.lastActivityAt, now)}
        </time>
      </span>
      <button type="button" className="card-title card-open" onClick={() => select(thread.id)}>
        {thread.unread && <span className="unread-dot" title="Unread: something happened while you were away" aria-hidden="true" />}
        {thread.title}
      </button>
      {thread.focus && (
        <span className="card-focus" title={thread.focus}>
          <Icon name="search" size={11} />
          {thread.focus}
        </span>
      )}
      {thread.statusMessage && (
        <span className={`card-message${thread.status === 'error' ? ' is-error' : ''}`}>{thread.statusMessage}</span>
      )}
      {approval && summary?.lastLine?.source === 'agent' ? <span className="card-said">{summary.lastLine.text}</span> : null}
      {approval ? <ApprovalBar thread={thread} approval={approval} /> : <LastLine thread={thread} summary={summary} />}
      <ForkLinks thread={thread} />
      <span className="card-meta">
        {repoName && <span className="card-repo">{repoName}</span>}
        {thread.branch && (
          <span className="card-branch">
            <Icon name="branch" size={12} />
            {thread.branch}
          </span>
        )}
        <span className="spacer" />
        <DiffStat stat={summary?.diffStat} />
        <CiDot threadId={thread.id} withLabel />
        <ThreadDiskChip thread={thread} />
        <Cost thread={thread} />
      </span>
    </div>
  )
}
