import { useEffect, useRef, type ReactElement } from 'react'
import { useConnection } from '../../state/connection-store'
import { Icon } from '../../ui/Icon'
import { isMac, shortcutLabel } from '../../ui/keyboard'
import {
  closeSearch,
  focusSearch,
  moveActive,
  openLinkedItem,
  openResult,
  registerSearchInput,
  setSearchQuery,
  syncSearchIndex
} from './search-actions'
import { useSearch } from './search-store'

/** The search field at the top of the sidebar (Ctrl/⌘+K): arrows pick a result, Enter opens it, Escape closes. */
export function SearchBox(): ReactElement {
  const query = useSearch((s) => s.query)
  const open = useSearch((s) => s.open)
  const ref = useRef<HTMLInputElement>(null)
  const connected = useConnection((s) => s.status === 'connected')

  useEffect(() => {
    registerSearchInput(ref.current)
    openLinkedItem()
    return () => registerSearchInput(null)
  }, [])
  useEffect(() => {
    if (connected) void syncSearchIndex()
  }, [connected])

  return (
    <div className={`sidebar-search${open ? ' is-open' : ''}`} role="search">
      <Icon name="search" size={13} />
      <input
        ref={ref}
        type="text"
        className="sidebar-search-input"
        aria-label="Search threads"
        aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}
        aria-controls="search-results"
        placeholder="Search threads"
        spellCheck={false}
        autoComplete="off"
        value={query}
        onFocus={() => useSearch.setState({ open: true })}
        onChange={(e) => setSearchQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault()
            closeSearch()
          } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault()
            moveActive(e.key === 'ArrowDown' ? 1 : -1)
          } else if (e.key === 'Enter') {
            const { results, active } = useSearch.getState()
            const r = results[active]
            if (r) {
              e.preventDefault()
              openResult(r)
            }
          }
        }}
      />
      {open ? (
        <button type="button" className="icon-btn" aria-label="Close search" title="Close search (Escape)" onClick={closeSearch}>
          <Icon name="close" size={12} />
        </button>
      ) : (
        <kbd className="nav-kbd" onClick={focusSearch}>
          {shortcutLabel('K')}
        </kbd>
      )}
    </div>
  )
}
