import { useEffect, type KeyboardEvent, type ReactElement, type RefObject } from 'react'
import { useNavigation } from '../../state/navigation-store'
import { formatAgo, formatDateTime, useNow } from '../../ui/clock'
import { Icon } from '../../ui/Icon'
import { formatSize } from './handoff-format'
import { sessionKey, type SessionSummary } from './handoff-store'
import { SourceMark } from './SourceMark'

/** The DOM id of a session's row (for aria-activedescendant). */
const optionId = (baseId: string, index: number) => `${baseId}-session-${index}`

/** The folder a session ran in, relative to the repository ("" when it is the repository itself). */
function subfolder(cwd: string, repoPath: string): string {
  if (cwd === repoPath) return ''
  const rest = cwd.startsWith(repoPath) ? cwd.slice(repoPath.length).replace(/^[\\/]+/, '') : cwd
  return rest
}

/** Props of the session list. */
export interface SessionListProps {
  baseId: string
  listRef: RefObject<HTMLDivElement | null>
  sessions: SessionSummary[]
  current: SessionSummary | null
  repoPath: string
  loading: boolean
  /** Shown inside the list instead of rows (empty, loading or failed). */
  placeholder: ReactElement | null
  onSelect: (session: SessionSummary) => void
  onImport: (session: SessionSummary) => void
  /** Closes the view (after "Open thread"). */
  onClose: () => void
}

/** The sessions found on disk as a listbox: ↑/↓ (Home/End) move, Enter imports, double-click imports. */
export function SessionList({
  baseId,
  listRef,
  sessions,
  current,
  repoPath,
  loading,
  placeholder,
  onSelect,
  onImport,
  onClose
}: SessionListProps): ReactElement {
  const now = useNow()
  const index = current ? sessions.findIndex((s) => sessionKey(s) === sessionKey(current)) : -1

  useEffect(() => {
    if (index >= 0) document.getElementById(optionId(baseId, index))?.scrollIntoView({ block: 'nearest' })
  }, [baseId, index])

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (sessions.length === 0) return
    const to = (i: number) => {
      e.preventDefault()
      onSelect(sessions[Math.max(0, Math.min(sessions.length - 1, i))])
    }
    if (e.key === 'ArrowDown') to(index + 1)
    else if (e.key === 'ArrowUp') to(index < 0 ? 0 : index - 1)
    else if (e.key === 'Home') to(0)
    else if (e.key === 'End') to(sessions.length - 1)
    else if (e.key === 'PageDown') to(index + 5)
    else if (e.key === 'PageUp') to(index - 5)
    else if (e.key === 'Enter' && current) {
      e.preventDefault()
      onImport(current)
    }
  }

  return (
    <div
      ref={listRef}
      className="session-list"
      role="listbox"
      aria-label="Sessions"
      aria-busy={loading || undefined}
      aria-activedescendant={index >= 0 ? optionId(baseId, index) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      {placeholder ??
        sessions.map((s, i) => {
          const where = subfolder(s.cwd, repoPath)
          const selected = i === index
          return (
            <div
              key={sessionKey(s)}
              id={optionId(baseId, i)}
              role="option"
              aria-selected={selected}
              data-session-id={s.sessionId}
              className={`session-row${selected ? ' is-selected' : ''}`}
              onClick={() => {
                onSelect(s)
                listRef.current?.focus()
              }}
              onDoubleClick={() => onImport(s)}
            >
              <div className="session-row-top">
                <SourceMark source={s.source} />
                <time
                  className="session-time"
                  dateTime={new Date(s.updatedAt).toISOString()}
                  title={`Started ${formatDateTime(s.startedAt)}\nLast active ${formatDateTime(s.updatedAt)}`}
                >
                  {formatAgo(s.updatedAt, now)}
                </time>
                <span className="session-size" title={`${s.sizeBytes.toLocaleString()} bytes`}>
                  {formatSize(s.sizeBytes)}
                </span>
                <span className="spacer" />
                {s.threadId && (
                  <button
                    type="button"
                    className="badge imported-badge"
                    tabIndex={-1}
                    title="Imported: open its thread"
                    onClick={(e) => {
                      e.stopPropagation()
                      if (s.threadId) useNavigation.getState().selectThread(s.threadId)
                      onClose()
                    }}
                  >
                    Imported
                    <Icon name="open" size={11} />
                  </button>
                )}
              </div>
              <div className={`session-prompt${s.firstPrompt ? '' : ' is-empty'}`}>
                {s.firstPrompt || 'No prompt in the first part of the file'}
              </div>
              {where && (
                <div className="session-where" title={s.cwd}>
                  in {where}
                </div>
              )}
            </div>
          )
        })}
    </div>
  )
}
