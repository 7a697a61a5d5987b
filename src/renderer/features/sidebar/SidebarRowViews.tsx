import type { CSSProperties, MouseEvent, ReactElement } from 'react'
import type { Repo, Thread } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { useNavigation } from '../../state/navigation-store'
import { formatDateTime, formatRelative } from '../../ui/clock'
import { Icon } from '../../ui/Icon'
import { StatusBadge } from '../../ui/StatusBadge'
import { threadStateOf } from '../../../shared/thread-state'
import { CiDot, useCiAriaSuffix, useCiFailed } from '../ci'
import { PrBadge, usePrAriaSuffix } from '../pr'
import { SourceMark } from '../handoff'
import { SidebarForkMarks, useForkAriaSuffix } from '../checkpoints'
import { openRepoMenu } from '../repos'
import { openThreadMenu } from '../threads'
import { useSidebar } from '../../state/sidebar-store'
import { RepoDiskTotal } from '../disk'

/** What every sidebar row receives from the tree: placement and roving-focus state. */
export interface RowPlacement {
  rowKey: string
  style: CSSProperties
  /** The one row in the tab order. */
  tabbable: boolean
  posinset: number
  setsize: number
}

/** The tree row around a row button: focus goes back there when its menu closes (the button hides). */
const rowOf = (el: HTMLElement) => el.closest<HTMLElement>('[role="treeitem"]')

const rowProps = (p: RowPlacement) => ({
  'data-key': p.rowKey,
  style: p.style,
  tabIndex: p.tabbable ? 0 : -1,
  'aria-posinset': p.posinset,
  'aria-setsize': p.setsize
})

/** A repository header: folds its threads, and offers "New thread" and a menu. */
export function RepoRow({
  p,
  repo,
  liveCount,
  collapsed
}: {
  p: RowPlacement
  repo: Repo
  liveCount: number | null
  collapsed: boolean
}): ReactElement {
  const toggle = useSidebar((s) => s.toggleCollapsed)
  const onMenu = (e: MouseEvent<HTMLElement>) => {
    e.preventDefault()
    openRepoMenu(repo, { x: e.clientX, y: e.clientY }, e.currentTarget)
  }
  return (
    <div
      {...rowProps(p)}
      role="treeitem"
      aria-level={1}
      aria-expanded={!collapsed}
      aria-label={repo.name}
      data-repo-id={repo.id}
      className="tree-row repo-row"
      title={repo.path}
      onClick={() => toggle(repo.id)}
      onContextMenu={onMenu}
    >
      <Icon name="chevron" size={12} className={`chevron${collapsed ? '' : ' chevron-open'}`} />
      <span className="repo-name">{repo.name}</span>
      <RepoDiskTotal repoId={repo.id} />
      <span className="row-count" aria-hidden="true">
        {liveCount ? liveCount.toLocaleString('en-US') : ''}
      </span>
      <span className="row-actions">
        <button
          type="button"
          className="icon-btn"
          tabIndex={-1}
          aria-label={`New thread in ${repo.name}`}
          title="New thread here"
          onClick={(e) => {
            e.stopPropagation()
            useDialogs.getState().open({ kind: 'new-thread', repoId: repo.id })
          }}
        >
          <Icon name="plus" size={13} />
        </button>
        <button
          type="button"
          className="icon-btn"
          tabIndex={p.tabbable ? 0 : -1}
          aria-label={`Actions for ${repo.name}`}
          aria-haspopup="menu"
          onClick={(e) => {
            e.stopPropagation()
            openRepoMenu(repo, { anchor: e.currentTarget }, rowOf(e.currentTarget))
          }}
        >
          <Icon name="more" size={13} />
        </button>
      </span>
    </div>
  )
}

/** A thread: title, status, age; click to open, right-click or "…" for actions. */
export function ThreadRow({
  p,
  thread,
  archived,
  selected,
  now
}: {
  p: RowPlacement
  thread: Thread
  archived: boolean
  selected: boolean
  now: number
}): ReactElement {
  const select = useNavigation((s) => s.selectThread)
  const at = archived ? (thread.archivedAt ?? thread.lastActivityAt) : thread.lastActivityAt
  const unread = thread.unread && !archived
  const ciSuffix = useCiAriaSuffix(thread.id)
  const prSuffix = usePrAriaSuffix(thread.id)
  const ciFailed = useCiFailed(thread.id) && !archived
  const forks = useForkAriaSuffix(thread)
  const { state, label } = threadStateOf({
    status: thread.status,
    agent: thread.agent,
    conversation: thread.conversation,
    ciFailed,
    setup: thread.setup
  })
  // The badge already says "CI failed"; the suffix adds only "while you were away".
  const ci = state === 'ci-failed' ? ciSuffix.replace(/^, CI failed/, '') : ciSuffix
  return (
    <div
      {...rowProps(p)}
      role="treeitem"
      aria-level={2}
      aria-selected={selected}
      aria-label={`${thread.title} (${thread.imported ? `imported from ${thread.imported.source === 'claude' ? 'Claude Code' : 'Codex'}, ` : ''}${label}${unread ? ', unread' : ''}${forks}${archived ? '' : ci + prSuffix})`}
      data-thread-id={thread.id}
      data-unread={unread || undefined}
      className={`tree-row thread-row${selected ? ' is-selected' : ''}${archived ? ' is-archived' : ''}${unread ? ' is-unread' : ''}`}
      onClick={() => select(thread.id)}
      onContextMenu={(e) => {
        e.preventDefault()
        openThreadMenu(thread, { x: e.clientX, y: e.clientY }, e.currentTarget)
      }}
    >
      {unread && <span className="unread-dot" title="Unread: something happened while you were away" aria-hidden="true" />}
      {thread.imported && <SourceMark source={thread.imported.source} compact />}
      <span className="thread-title" title={thread.title}>
        {thread.title}
      </span>
      <SidebarForkMarks thread={thread} />
      {!archived && <PrBadge threadId={thread.id} />}
      {!archived && <CiDot threadId={thread.id} />}
      {!archived && (
        <StatusBadge
          status={thread.status}
          agent={thread.agent}
          conversation={thread.conversation}
          ciFailed={ciFailed}
          message={thread.statusMessage}
          setup={thread.setup}
          compact
          iconOnly
        />
      )}
      <time
        className="row-time"
        dateTime={new Date(at).toISOString()}
        title={`${archived ? 'Archived' : 'Last activity'} ${formatDateTime(at)}`}
      >
        {formatRelative(at, now)}
      </time>
      <span className="row-actions">
        <button
          type="button"
          className="icon-btn"
          tabIndex={p.tabbable ? 0 : -1}
          aria-label={`Actions for ${thread.title}`}
          aria-haspopup="menu"
          onClick={(e) => {
            e.stopPropagation()
            openThreadMenu(thread, { anchor: e.currentTarget }, rowOf(e.currentTarget))
          }}
        >
          <Icon name="more" size={13} />
        </button>
      </span>
    </div>
  )
}

/** Shown under a repository that has no live threads. */
export function EmptyRepoRow({ style, repo }: { style: CSSProperties; repo: Repo }): ReactElement {
  return (
    <div role="none" className="tree-row empty-row" style={style}>
      <span>No threads yet —</span>
      <button
        type="button"
        className="btn-link"
        tabIndex={-1}
        aria-label={`New thread in ${repo.name}`}
        onClick={() => useDialogs.getState().open({ kind: 'new-thread', repoId: repo.id })}
      >
        New thread
      </button>
    </div>
  )
}

/** A thread the core counts whose row is still loading (its page is asked for while it is on screen). */
export function PlaceholderRow({ style }: { style: CSSProperties }): ReactElement {
  return (
    <div role="none" className="tree-row placeholder-row" style={style} data-testid="thread-placeholder" aria-hidden="true">
      <span className="placeholder-bar" style={{ width: '62%' }} />
    </div>
  )
}

/** The header that shows or hides archived threads. */
export function ArchivedHeaderRow({ p, count, open }: { p: RowPlacement; count: number; open: boolean }): ReactElement {
  const setShow = useSidebar((s) => s.setShowArchived)
  return (
    <div
      {...rowProps(p)}
      role="treeitem"
      aria-level={1}
      aria-expanded={open}
      aria-label={`Archived (${count})`}
      className="tree-row archived-header"
      onClick={() => setShow(!open)}
    >
      <Icon name="chevron" size={12} className={`chevron${open ? ' chevron-open' : ''}`} />
      <Icon name="archive" size={13} />
      <span className="repo-name">Archived</span>
      <span className="row-count">{count}</span>
    </div>
  )
}

/** A repository name heading a group of archived threads. */
export function GroupLabelRow({ style, name }: { style: CSSProperties; name: string }): ReactElement {
  return (
    <div role="none" className="tree-row group-label" style={style}>
      {name}
    </div>
  )
}
