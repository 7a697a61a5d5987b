import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react'
import type { ISearchOptions } from '@xterm/addon-search'
import { Icon } from '../../ui/Icon'
import { getSession } from './terminal-pool'
import { readSearchColours } from './xterm-theme'

function searchOptions(caseSensitive: boolean): ISearchOptions {
  const { match, active } = readSearchColours()
  return {
    caseSensitive,
    decorations: { matchBackground: match, matchOverviewRuler: match, activeMatchBackground: active, activeMatchColorOverviewRuler: active }
  }
}

/** A small find bar over the terminal: Enter / Shift+Enter for next / previous, Escape to close. */
export function TerminalFindBar({ ptyId, onClose }: { ptyId: string; onClose: () => void }): ReactElement {
  const [query, setQuery] = useState('')
  const [caseSensitive, setCaseSensitive] = useState(false)
  const [results, setResults] = useState<{ index: number; count: number } | null>(null)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    input.current?.focus()
    input.current?.select()
    const session = getSession(ptyId)
    if (!session) return
    const sub = session.search.onDidChangeResults(({ resultIndex, resultCount }) => setResults({ index: resultIndex, count: resultCount }))
    // Ctrl/⌘+F again while the bar is open: back to the input.
    const off = session.onFindRequested(() => {
      input.current?.focus()
      input.current?.select()
    })
    return () => {
      sub.dispose()
      off()
      session.search.clearDecorations()
    }
  }, [ptyId])

  const find = (direction: 'next' | 'previous', term = query, incremental = false) => {
    const search = getSession(ptyId)?.search
    if (!search) return
    if (!term) {
      search.clearDecorations()
      setResults(null)
      return
    }
    const options = { ...searchOptions(caseSensitive), incremental }
    if (direction === 'next') search.findNext(term, options)
    else search.findPrevious(term, options)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      find(e.shiftKey ? 'previous' : 'next')
    } else if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      onClose()
    }
  }

  const status = !query
    ? ''
    : results === null
      ? ''
      : results.count === 0
        ? 'No results'
        : results.index < 0
          ? `${results.count}+ matches`
          : `${results.index + 1} of ${results.count}`

  return (
    <div className="terminal-find" role="search" aria-label="Find in terminal">
      <Icon name="search" size={13} />
      <input
        ref={input}
        className="terminal-find-input"
        aria-label="Find in terminal"
        placeholder="Find"
        value={query}
        spellCheck={false}
        onChange={(e) => {
          setQuery(e.target.value)
          find('next', e.target.value, true)
        }}
        onKeyDown={onKeyDown}
      />
      <span className="terminal-find-count" aria-live="polite">
        {status}
      </span>
      <button
        type="button"
        className={`icon-btn find-case${caseSensitive ? ' is-on' : ''}`}
        aria-label="Match case"
        aria-pressed={caseSensitive}
        title="Match case"
        onClick={() => setCaseSensitive(!caseSensitive)}
      >
        Aa
      </button>
      <button
        type="button"
        className="icon-btn"
        aria-label="Previous match"
        title="Previous match (Shift+Enter)"
        onClick={() => find('previous')}
      >
        <Icon name="arrowUp" size={13} />
      </button>
      <button type="button" className="icon-btn" aria-label="Next match" title="Next match (Enter)" onClick={() => find('next')}>
        <Icon name="arrowDown" size={13} />
      </button>
      <button type="button" className="icon-btn" aria-label="Close find" title="Close (Escape)" onClick={onClose}>
        <Icon name="close" size={12} />
      </button>
    </div>
  )
}
