import { useCallback, useEffect, useMemo, useRef, type ReactElement } from 'react'
import { useDialogs } from '../../state/dialogs-store'
import { Icon } from '../../ui/Icon'
import { shortcutLabel } from '../../ui/keyboard'
import { stateIcons } from '../../ui/StatusBadge'
import { isUrgent, liveStates, stateLabels, type ThreadState } from '../../../shared/thread-state'
import { useCiFailedIds } from '../ci'
import { useSortedRepos, useThreadGroups } from '../../state/derived'
import { useThreads } from '../../state/threads-store'
import type { Thread } from '../../../shared/models'
import { useDisk } from '../disk'
import { formatBytes } from '../../../shared/disk'
import { CardGrid } from './CardGrid'
import { forgetAsked } from '../../state/summaries-store'
import { effectiveLayout, useDashboard, type DashboardLayout } from '../../state/dashboard-store'
import { liveInState, liveStateCounts, type GroupedThreads } from '../../state/thread-groups'
import { coverOf, loadUntil, useThreadWindows, windowOfList, type ThreadFilter } from '../../state/thread-windows'
import { statesOf, tallyOf } from '../../state/thread-counts'

const MAX_REPO_CHIPS = 8
const NO_THREADS: Thread[] = []

/** Every live thread at a glance, filterable by repository and status. */
export function Dashboard(): ReactElement {
  const repos = useSortedRepos()
  const groups = useThreadGroups()
  const { repoId, status, layout, setRepo, setStatus, setLayout, clear } = useDashboard()
  const open = useDialogs((s) => s.open)
  const activeRepoId = repoId && repos.some((r) => r.id === repoId) ? repoId : null

  const windows = useThreadWindows()
  const ciFailed = useCiFailedIds()
  const filter = useMemo<ThreadFilter>(() => ({ repoId: activeRepoId, state: status }), [activeRepoId, status])
  // The loaded threads of the list, in order (kept so by the store with each change), and how much of it shows:
  // the rest are placeholders until their pages come.
  const loaded = useMemo(() => loadedIn(groups, filter, ciFailed), [groups, filter, ciFailed])
  const window = useMemo(() => ({ threads: loaded, ...windowOfList(windows, filter, loaded) }), [windows, filter, loaded])
  const listed = window.shown + window.pending
  // The core's counts once they came; the loaded threads' when they are all; until then (a moment after
  // connecting) no count is shown as if it were the whole.
  const exact = windows.counted || coverOf(windows.edges, { repoId: null, state: null }).complete
  const liveIn = (id: string | null) =>
    windows.counted ? tallyOf(windows.tallies, id, null) : id ? (groups.live.get(id)?.length ?? 0) : groups.liveCount
  const all = liveIn(null)
  const counts = useMemo(
    () =>
      windows.counted
        ? statesOf(windows.tallies, activeRepoId)
        : liveStateCounts(groups.stateCounts.get(activeRepoId ?? ''), ciFailed, (id) => useThreads.getState().byId[id], activeRepoId),
    [windows, groups, activeRepoId, ciFailed]
  )
  const oneRepo = activeRepoId !== null || repos.filter((r) => liveIn(r.id) > 0).length <= 1
  const latest = useRef({ groups, ciFailed })
  latest.current = { groups, ciFailed }
  const onWant = useCallback(
    (rows: number) => void loadUntil(filter, rows, () => loadedIn(latest.current.groups, filter, latest.current.ciFailed)),
    [filter]
  )
  const repoNames = useMemo(() => new Map(repos.map((r) => [r.id, r.name])), [repos])
  const shownLayout = effectiveLayout(layout, listed)
  useEffect(() => forgetAsked, [])
  const diskBytes = useDisk((s) =>
    Object.values(s.byRepo).reduce((n, r) => (!activeRepoId || r.repoId === activeRepoId ? n + r.totalBytes : n), 0)
  )

  return (
    <section className="dashboard" aria-labelledby="dashboard-title">
      <header className="page-header">
        <h1 id="dashboard-title" className="page-title">
          Dashboard
        </h1>
        <span className="page-subtitle">
          {exact
            ? `${all.toLocaleString('en-US')} live ${all === 1 ? 'thread' : 'threads'} in ${repos.length} ${repos.length === 1 ? 'repository' : 'repositories'}`
            : 'Counting live threads…'}
          {diskBytes > 0 && (
            <span className="nowrap" data-testid="dashboard-disk">
              {' '}
              · {formatBytes(diskBytes)} on disk
            </span>
          )}
        </span>
        <span className="spacer" />
        {repos.length > 0 && (
          <>
            <button
              type="button"
              className="btn"
              title="Disk use per repository, budgets, and Clean up"
              onClick={() => open({ kind: 'disk', repoId: activeRepoId ?? undefined })}
            >
              <Icon name="folder" />
              Disk…
            </button>
            <button
              type="button"
              className="btn"
              title="Import a Claude Code or Codex session that ran in a repository"
              onClick={() => open({ kind: 'import-sessions', repoId: activeRepoId ?? undefined })}
            >
              <Icon name="download" />
              Import sessions…
            </button>
            <button
              type="button"
              className="btn"
              title="Start several investigation threads from one prompt"
              onClick={() => open({ kind: 'fanout', repoId: activeRepoId ?? undefined })}
            >
              <Icon name="search" />
              Investigate…
            </button>
          </>
        )}
        {repos.length > 0 && (
          <button
            type="button"
            className="btn btn-primary"
            aria-label="New thread"
            onClick={() => open({ kind: 'new-thread', repoId: activeRepoId ?? undefined })}
          >
            <Icon name="plus" />
            New thread
            <kbd className="btn-kbd">{shortcutLabel('N')}</kbd>
          </button>
        )}
      </header>

      {repos.length > 0 && (
        <div className="filters">
          {repos.length > MAX_REPO_CHIPS ? (
            <select
              className="input input-compact"
              aria-label="Filter by repository"
              value={activeRepoId ?? ''}
              onChange={(e) => setRepo(e.target.value || null)}
            >
              <option value="">All repositories ({exact ? all : '…'})</option>
              {repos.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} ({exact ? liveIn(r.id) : '…'})
                </option>
              ))}
            </select>
          ) : (
            <div className="chips" role="group" aria-label="Filter by repository">
              <Chip label="All repositories" count={exact ? all : null} pressed={!activeRepoId} onClick={() => setRepo(null)} />
              {repos.map((r) => (
                <Chip
                  key={r.id}
                  label={r.name}
                  count={exact ? liveIn(r.id) : null}
                  pressed={activeRepoId === r.id}
                  onClick={() => setRepo(r.id)}
                />
              ))}
            </div>
          )}
          {all > 0 && <LayoutToggle shown={shownLayout} chosen={layout} onChange={setLayout} />}
          <div className="chips status-chips" role="group" aria-label="Filter by status">
            {liveStates.map((s) => (
              <Chip
                key={s}
                label={stateLabels[s]}
                count={exact ? counts[s] : null}
                pressed={status === s}
                state={s}
                onClick={() => setStatus(status === s ? null : s)}
              />
            ))}
          </div>
        </div>
      )}

      {listed > 0 ? (
        <CardGrid window={window} oneRepo={oneRepo} repoNames={repoNames} layout={shownLayout} onWant={onWant} />
      ) : (
        <EmptyDashboard hasRepos={repos.length > 0} filtered={all > 0} onClear={clear} />
      )}
    </section>
  )
}

/** The loaded live threads of a list, in order: all, one repository's, or one state's (CI failures included). */
function loadedIn(groups: GroupedThreads, f: ThreadFilter, ciFailed: ReadonlySet<string>): Thread[] {
  if (f.state) return liveInState(groups, f.state, ciFailed, (id) => useThreads.getState().byId[id], f.repoId)
  return f.repoId ? (groups.live.get(f.repoId) ?? NO_THREADS) : groups.liveOrder
}

function Chip(props: { label: string; count: number | null; pressed: boolean; state?: ThreadState; onClick: () => void }): ReactElement {
  const urgent = !!props.state && isUrgent(props.state) && !!props.count
  const count = props.count === null ? '…' : props.count.toLocaleString('en-US')
  return (
    <button
      type="button"
      className={`chip${props.pressed ? ' is-pressed' : ''}${urgent ? ' is-urgent' : ''}`}
      aria-pressed={props.pressed}
      aria-label={`${props.label} ${count}`}
      data-state={props.state}
      onClick={props.onClick}
    >
      {props.state && (
        <span className={`chip-state badge-${props.state}`} aria-hidden="true">
          <Icon name={stateIcons[props.state]} size={10} />
        </span>
      )}
      <span>{props.label}</span>
      <span className="chip-count">{count}</span>
    </button>
  )
}

/** Cards or list; choosing the one the automatic layout already shows keeps it automatic. */
function LayoutToggle({
  shown,
  chosen,
  onChange
}: {
  shown: 'cards' | 'list'
  chosen: DashboardLayout
  onChange: (layout: DashboardLayout) => void
}): ReactElement {
  const options: Array<{ value: 'cards' | 'list'; label: string; icon: 'dashboard' | 'list' }> = [
    { value: 'cards', label: 'Cards', icon: 'dashboard' },
    { value: 'list', label: 'List', icon: 'list' }
  ]
  return (
    <div
      className="segmented layout-toggle"
      role="group"
      aria-label="Layout"
      title={chosen === 'auto' ? 'Chosen by how many threads there are: cards up to 12, a list beyond' : undefined}
    >
      {options.map((o) => (
        <button key={o.value} type="button" className="segment" aria-pressed={shown === o.value} onClick={() => onChange(o.value)}>
          <Icon name={o.icon} size={12} />
          {o.label}
        </button>
      ))}
    </div>
  )
}

function EmptyDashboard({ hasRepos, filtered, onClear }: { hasRepos: boolean; filtered: boolean; onClear: () => void }): ReactElement {
  const open = useDialogs((s) => s.open)
  if (!hasRepos) {
    return (
      <div className="empty-state">
        <Icon name="repo" size={28} />
        <h2>Add a repository to get started</h2>
        <p>Skein runs each thread in its own worktree of a git repository you add.</p>
        <button type="button" className="btn btn-primary" onClick={() => open({ kind: 'add-repo' })}>
          Add repository
        </button>
      </div>
    )
  }
  if (filtered) {
    return (
      <div className="empty-state">
        <h2>No threads match these filters</h2>
        <button type="button" className="btn" onClick={onClear}>
          Clear filters
        </button>
      </div>
    )
  }
  return (
    <div className="empty-state">
      <Icon name="terminal" size={28} />
      <h2>No live threads</h2>
      <p>Start a thread to give an agent its own branch and worktree.</p>
      <button type="button" className="btn btn-primary" onClick={() => open({ kind: 'new-thread' })}>
        New thread
        <kbd className="btn-kbd">{shortcutLabel('N')}</kbd>
      </button>
    </div>
  )
}
