import type { ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { useNavigation } from '../../app/navigation-store'
import { formatDateTime, formatRelative } from '../../ui/clock'
import { Icon } from '../../ui/Icon'
import { StatusBadge } from '../../ui/StatusBadge'
import { threadStateOf } from '../../ui/thread-state'
import { CiDot, useCiFailed } from '../ci/CiDot'
import { ThreadDiskChip } from '../disk/DiskFigures'
import { openThreadMenu } from '../threads/thread-menu'

/** One live thread on the dashboard; clicking opens it, right-click shows its actions. */
export function ThreadCard({ thread, repoName, now }: { thread: Thread; repoName: string; now: number }): ReactElement {
  const select = useNavigation((s) => s.selectThread)
  const ciFailed = useCiFailed(thread.id)
  const { state } = threadStateOf({ status: thread.status, agent: thread.agent, conversation: thread.conversation, ciFailed })
  return (
    <div role="listitem" aria-label={thread.unread ? `${thread.title} (unread)` : thread.title} className="card-cell" data-thread-id={thread.id}>
      <button
        type="button"
        className={`thread-card status-${thread.status} state-${state}${thread.unread ? ' is-unread' : ''}`}
        onClick={() => select(thread.id)}
        onContextMenu={(e) => {
          e.preventDefault()
          openThreadMenu(thread, { x: e.clientX, y: e.clientY }, e.currentTarget)
        }}
      >
        <span className="card-top">
          <StatusBadge status={thread.status} agent={thread.agent} conversation={thread.conversation} ciFailed={ciFailed} message={thread.statusMessage} />
          <time className="card-time" dateTime={new Date(thread.lastActivityAt).toISOString()} title={`Last activity ${formatDateTime(thread.lastActivityAt)}`}>
            {formatRelative(thread.lastActivityAt, now)}
          </time>
        </span>
        <span className="card-title">
          {thread.unread && <span className="unread-dot" title="Unread: something happened while you were away" aria-hidden="true" />}
          {thread.title}
        </span>
        <span className="card-meta">
          <span className="card-repo">{repoName}</span>
          {thread.branch && (
            <span className="card-branch">
              <Icon name="branch" size={12} />
              {thread.branch}
            </span>
          )}
          <CiDot threadId={thread.id} withLabel />
          <ThreadDiskChip thread={thread} />
        </span>
        {thread.statusMessage && <span className={`card-message${thread.status === 'error' ? ' is-error' : ''}`}>{thread.statusMessage}</span>}
      </button>
    </div>
  )
}
