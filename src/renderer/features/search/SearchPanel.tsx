import { useEffect, useRef, type ReactElement } from 'react'
import { ThreadStatus } from '../../../shared/models'
import { snippetParts, type SearchResult } from '../../../shared/search'
import { sortRepos, useRepos } from '../../state/repos-store'
import { formatRelative, useNow } from '../../ui/clock'
import { loadMoreResults, openResult, setSearchFilter } from './search-actions'
import { useSearch, type SearchSince } from './search-store'

const KIND_LABEL: Record<SearchResult['kind'], string> = {
  user: 'Prompt',
  assistant: 'Reply',
  tool: 'Tool',
  approval: 'Approval',
  notice: 'Notice',
  error: 'Error',
  title: 'Title'
}
const AGENTS = [
  ['builtin', 'Built-in agent'],
  ['claude', 'Claude Code'],
  ['codex', 'Codex'],
  ['custom', 'Custom'],
  ['shell', 'Shell']
] as const
const SINCE: [SearchSince, string][] = [
  ['any', 'Any time'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days']
]

/** The search's filters and results, shown in the sidebar in place of the thread tree while searching. */
export function SearchPanel(): ReactElement {
  const s = useSearch()
  const repos = sortRepos(useRepos((r) => r.byId))
  const now = useNow()
  const list = useRef<HTMLUListElement>(null)
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [s.active])
  const blank = !s.query.trim()

  return (
    <div className="search-panel">
      <div className="search-filters">
        <select
          className="input"
          aria-label="Repository"
          value={s.filters.repoId ?? ''}
          onChange={(e) => setSearchFilter('repoId', e.target.value || null)}
        >
          <option value="">All repositories</option>
          {repos.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
        <select
          className="input"
          aria-label="Status"
          value={s.filters.status ?? ''}
          onChange={(e) => setSearchFilter('status', (e.target.value || null) as ThreadStatus | null)}
        >
          <option value="">Any status</option>
          {ThreadStatus.options.map((st) => (
            <option key={st} value={st}>
              {st.replace('-', ' ')}
            </option>
          ))}
        </select>
        <select
          className="input"
          aria-label="Agent"
          value={s.filters.agent ?? ''}
          onChange={(e) => setSearchFilter('agent', (e.target.value || null) as (typeof AGENTS)[number][0] | null)}
        >
          <option value="">Any agent</option>
          {AGENTS.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
        <select
          className="input"
          aria-label="Time"
          value={s.filters.since}
          onChange={(e) => setSearchFilter('since', e.target.value as SearchSince)}
        >
          {SINCE.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {s.index?.state === 'rebuilding' && (
        <p className="search-note" role="status">
          Rebuilding the search index from the threads' logs: results may be incomplete.
        </p>
      )}
      {s.index?.state === 'unavailable' && <p className="search-error">{s.index.message}</p>}
      {blank && (
        <p className="search-hint">
          Search every thread's titles, prompts, replies, commands and outputs. All words must match; "an exact phrase" in quotes; build*
          for a prefix.
        </p>
      )}
      {!blank && s.phase === 'error' && (
        <p className="search-error" role="alert">
          {s.error}
        </p>
      )}
      {!blank && s.phase === 'loading' && s.results.length === 0 && <p className="search-hint">Searching…</p>}
      {!blank && s.phase === 'done' && s.results.length === 0 && <p className="search-hint">No matches for “{s.query.trim()}”.</p>}
      {s.results.length > 0 && !blank && (
        <ul ref={list} id="search-results" className="search-results" role="listbox" aria-label="Search results">
          {s.results.map((r, i) => (
            <li
              key={`${r.threadId}/${r.itemId ?? ''}`}
              role="option"
              aria-selected={i === s.active}
              className={`search-result${i === s.active ? ' is-active' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => openResult(r)}
            >
              <div className="search-result-head">
                <span className="search-result-title">{r.threadTitle}</span>
                <span className="search-result-meta">
                  {KIND_LABEL[r.kind]} · {formatRelative(r.createdAt, now)}
                </span>
              </div>
              <div className="search-result-snippet">
                {snippetParts(r.snippet).map((p, k) => (p.match ? <mark key={k}>{p.text}</mark> : <span key={k}>{p.text}</span>))}
              </div>
            </li>
          ))}
        </ul>
      )}
      {s.nextCursor && !blank && (
        <button type="button" className="btn search-more" onClick={() => void loadMoreResults()}>
          More results
        </button>
      )}
    </div>
  )
}
