import { useEffect, useId, useMemo, useRef, useState, type ReactElement } from 'react'
import { Dialog, FormError } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { useSortedRepos } from '../../state/derived'
import { importSession, loadPreview, loadSessions } from './handoff-actions'
import { sourceLabel } from './handoff-format'
import { filterSessions, sessionKey, useHandoff, type SessionSummary, type SourceFilter } from './handoff-store'
import { SessionList } from './SessionList'
import { SessionPreview } from './SessionPreview'
import { NeedsRepoDialog } from '../repos'

const NO_SESSIONS: SessionSummary[] = []
const filters: SourceFilter[] = ['all', 'claude', 'codex']

/** Where the core looks for sessions, for the empty state. */
function WhereWeLook({ repoPath, filter }: { repoPath: string; filter: SourceFilter }): ReactElement {
  const what = filter === 'all' ? 'Claude Code or Codex sessions' : `${sourceLabel(filter)} sessions`
  return (
    <div className="session-list-state">
      <Icon name="download" size={22} />
      <strong>No {what} ran in this repository</strong>
      <p>
        Skein looks for sessions that ran in <code>{repoPath}</code> or a folder inside it:
      </p>
      <ul>
        {filter !== 'codex' && (
          <li>
            Claude Code: <code>~/.claude/projects</code> (or <code>$CLAUDE_CONFIG_DIR/projects</code>)
          </li>
        )}
        {filter !== 'claude' && (
          <li>
            Codex: <code>~/.codex/sessions</code> (or <code>$CODEX_HOME/sessions</code>)
          </li>
        )}
      </ul>
      <p>
        From a terminal in the repository, <code>skein handoff</code> imports the latest one.
      </p>
    </div>
  )
}

/**
 * The "Import sessions" view: the Claude Code and Codex sessions that ran in a repository, a
 * preview of the one picked, and Import (or Update, when it was imported before).
 */
export function ImportSessionsDialog({ initialRepoId, onClose }: { initialRepoId?: string; onClose: () => void }): ReactElement {
  const repos = useSortedRepos()
  const [repoId, setRepoId] = useState(() =>
    initialRepoId && repos.some((r) => r.id === initialRepoId) ? initialRepoId : (repos[0]?.id ?? '')
  )
  const repo = repos.find((r) => r.id === repoId)
  const listing = useHandoff((s) => s.byRepo[repoId])
  const filter = useHandoff((s) => s.filter)
  const selected = useHandoff((s) => s.selected)
  const importing = useHandoff((s) => s.importing)
  const [error, setError] = useState<string | null>(null)
  const listRef = useRef<HTMLDivElement>(null)
  const baseId = useId()

  useEffect(() => {
    if (repo) void loadSessions(repo)
    // a repository is listed again whenever it is picked (sessions come and go on disk)
  }, [repo?.id, repo?.path])

  const all = listing?.sessions ?? NO_SESSIONS
  const shown = useMemo(() => filterSessions(all, filter), [all, filter])
  const current = shown.find((s) => sessionKey(s) === selected) ?? shown[0] ?? null

  useEffect(() => {
    if (current) void loadPreview(current)
  }, [current])

  if (!repo) {
    return <NeedsRepoDialog title="Import sessions" why="sessions are imported into the repository they ran in." onClose={onClose} />
  }

  const doImport = async (session: SessionSummary) => {
    if (useHandoff.getState().importing) return
    setError(null)
    const problem = await importSession(repo.id, session)
    if (problem) setError(problem)
    else onClose()
  }
  const select = (s: SessionSummary) => {
    setError(null)
    useHandoff.getState().select(sessionKey(s))
  }
  const count = (f: SourceFilter) => filterSessions(all, f).length
  const loading = !listing || (listing.loading && all.length === 0)

  const placeholder = loading ? (
    <div className="session-list-state">
      <div className="spinner" aria-hidden="true" />
      <span>Looking for sessions…</span>
    </div>
  ) : listing.error ? (
    <div className="session-list-state">
      <div className="banner banner-error" role="alert">
        <Icon name="alert" size={14} />
        <span>{listing.error}</span>
      </div>
      <button type="button" className="btn btn-small" onClick={() => void loadSessions(repo)}>
        Try again
      </button>
    </div>
  ) : shown.length === 0 ? (
    <WhereWeLook repoPath={repo.path} filter={filter} />
  ) : null

  const busy = importing !== null
  const update = !!current?.threadId
  return (
    <Dialog
      title="Import sessions"
      description={
        <>
          Claude Code and Codex sessions that ran in this repository. Import one to read it here, then continue it in its CLI or with
          Skein&apos;s agent.
        </>
      }
      onClose={onClose}
      initialFocus={listRef}
      width={940}
    >
      <div className="dialog-body handoff-body">
        <div className="handoff-toolbar">
          <select
            className="input input-compact handoff-repo"
            aria-label="Repository"
            value={repoId}
            onChange={(e) => setRepoId(e.target.value)}
          >
            {repos.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <div className="chips" role="group" aria-label="Filter by source">
            {filters.map((f) => (
              <button
                key={f}
                type="button"
                className={`chip${filter === f ? ' is-pressed' : ''}`}
                aria-pressed={filter === f}
                onClick={() => useHandoff.getState().setFilter(f)}
              >
                <span>{f === 'all' ? 'All' : sourceLabel(f)}</span>
                <span className="chip-count">{count(f)}</span>
              </button>
            ))}
          </div>
          <span className="spacer" />
          <button type="button" className="btn btn-small" disabled={listing?.loading} onClick={() => void loadSessions(repo)}>
            <Icon name="restore" size={12} />
            {listing?.loading ? 'Looking…' : 'Refresh'}
          </button>
        </div>
        <div className="handoff-panes">
          <SessionList
            baseId={baseId}
            listRef={listRef}
            sessions={shown}
            current={current}
            repoPath={repo.path}
            loading={loading}
            placeholder={placeholder}
            onSelect={select}
            onImport={(s) => void doImport(s)}
            onClose={onClose}
          />
          <SessionPreview session={placeholder ? null : current} onClose={onClose} />
        </div>
        <FormError message={error} />
        <footer className="dialog-footer">
          <span className="footer-hint">
            <kbd>↑</kbd> <kbd>↓</kbd> to pick · <kbd>Enter</kbd> to {update ? 'update' : 'import'} · <kbd>Esc</kbd> to close
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!current || busy || !!placeholder}
            onClick={() => current && void doImport(current)}
          >
            <Icon name="download" size={13} />
            {busy ? (update ? 'Updating…' : 'Importing…') : update ? 'Update' : 'Import'}
          </button>
        </footer>
      </div>
    </Dialog>
  )
}
