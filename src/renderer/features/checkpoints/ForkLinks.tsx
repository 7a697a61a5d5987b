import type { MouseEvent, ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { useNavigation } from '../../state/navigation-store'
import { Icon } from '../../ui/Icon'
import { openMenu } from '../../ui/menu-store'
import { forksOf, useForkCount, useForkParentTitle, useForks, useForkTitles } from './fork-index'

/** Where a fork started, in words: "Forked from “Login fix” at checkpoint 3". */
function forkedFromText(thread: Thread, parentTitle: string | null | undefined): string {
  const from = parentTitle ? `“${parentTitle}”` : 'a thread that was deleted'
  const at = thread.forkedFrom?.checkpoint ? ` at checkpoint ${thread.forkedFrom.checkpoint}` : ''
  return `Forked from ${from}${at}`
}

const forksText = (n: number): string => `${n} ${n === 1 ? 'fork' : 'forks'}`

/** Opens a menu of a thread's forks; picking one selects it. */
function openForksMenu(thread: Thread, anchor: HTMLElement): void {
  openMenu(
    `Forks of ${thread.title}`,
    forksOf(thread.id).map((f) => ({ label: f.title, icon: 'fork' as const, onSelect: () => useNavigation.getState().selectThread(f.id) })),
    { anchor }
  )
}

/** Selects the thread a fork came from, if it still exists. */
function selectParent(thread: Thread, e: MouseEvent): void {
  e.stopPropagation()
  if (thread.forkedFrom) useNavigation.getState().selectThread(thread.forkedFrom.threadId)
}

/**
 * The fork marks of a sidebar row: a fork glyph on a fork ("Forked from …"; a click opens the parent) and a
 * glyph with a count on a parent (a click lists its forks). Compact: they sit in a 30 px row.
 */
export function SidebarForkMarks({ thread }: { thread: Thread }): ReactElement | null {
  const parentTitle = useForkParentTitle(thread)
  const forks = useForkCount(thread.id)
  const titles = useForkTitles(thread.id)
  if (!thread.forkedFrom && forks === 0) return null
  return (
    <>
      {thread.forkedFrom && (
        <button
          type="button"
          className="fork-mark"
          tabIndex={-1}
          title={`${forkedFromText(thread, parentTitle)}${parentTitle ? ': click to open it' : ''}`}
          aria-label={forkedFromText(thread, parentTitle)}
          data-testid="forked-from-mark"
          onClick={(e) => selectParent(thread, e)}
        >
          <Icon name="fork" size={11} />
        </button>
      )}
      {forks > 0 && (
        <button
          type="button"
          className="fork-count"
          tabIndex={-1}
          title={`${forksText(forks)}: ${titles}`}
          aria-label={forksText(forks)}
          aria-haspopup="menu"
          data-testid="forks-count"
          onClick={(e) => {
            e.stopPropagation()
            openForksMenu(thread, e.currentTarget)
          }}
        >
          <Icon name="fork" size={10} />
          {forks}
        </button>
      )}
    </>
  )
}

/** What a screen reader hears of a row's fork links: ", forked from “X”, 2 forks". */
export function useForkAriaSuffix(thread: Thread): string {
  const parentTitle = useForkParentTitle(thread)
  const forks = useForkCount(thread.id)
  const from = thread.forkedFrom ? `, ${forkedFromText(thread, parentTitle).replace(/^F/, 'f')}` : ''
  return `${from}${forks ? `, ${forksText(forks)}` : ''}`
}

/** The Overview's fork links: where this thread was forked from, and each of its forks, every one a link. */
export function ForkDetails({ thread }: { thread: Thread }): ReactElement | null {
  const parentTitle = useForkParentTitle(thread)
  const forks = useForks(thread.id)
  if (!thread.forkedFrom && forks.length === 0) return null
  const select = (id: string) => () => useNavigation.getState().selectThread(id)
  return (
    <span className="fork-details">
      {thread.forkedFrom && (
        <span>
          Forked from{' '}
          {parentTitle ? (
            <button type="button" className="btn-link" onClick={select(thread.forkedFrom.threadId)}>
              {parentTitle}
            </button>
          ) : (
            'a thread that was deleted'
          )}
          {thread.forkedFrom.checkpoint ? <span className="muted"> at checkpoint {thread.forkedFrom.checkpoint}</span> : null}
        </span>
      )}
      {forks.length > 0 && (
        <span>
          {forksText(forks.length)}:{' '}
          {forks.map((f, i) => (
            <span key={f.id}>
              {i > 0 && ', '}
              <button type="button" className="btn-link" onClick={select(f.id)}>
                {f.title}
              </button>
            </span>
          ))}
        </span>
      )}
    </span>
  )
}

/**
 * The fork links of a dashboard card or list row: "Forked from X" (opens X) and "N forks" (lists them).
 * `compact` shows a glyph for the parent link and a short count.
 */
export function ForkLinks({ thread, compact = false }: { thread: Thread; compact?: boolean }): ReactElement | null {
  const parentTitle = useForkParentTitle(thread)
  const forks = useForkCount(thread.id)
  const titles = useForkTitles(thread.id)
  if (!thread.forkedFrom && forks === 0) return null
  return (
    <span className={`fork-links${compact ? ' is-compact' : ''}`}>
      {thread.forkedFrom && (
        <button
          type="button"
          className="fork-link"
          disabled={!parentTitle}
          title={forkedFromText(thread, parentTitle)}
          aria-label={forkedFromText(thread, parentTitle)}
          onClick={(e) => selectParent(thread, e)}
        >
          <Icon name="fork" size={11} />
          {!compact && <span className="fork-link-text">Forked from {parentTitle ?? 'a deleted thread'}</span>}
        </button>
      )}
      {forks > 0 && (
        <button
          type="button"
          className="fork-link"
          title={`${forksText(forks)}: ${titles}`}
          aria-haspopup="menu"
          onClick={(e) => {
            e.stopPropagation()
            openForksMenu(thread, e.currentTarget)
          }}
        >
          {(compact || !thread.forkedFrom) && <Icon name="fork" size={11} />}
          {forksText(forks)}
        </button>
      )}
    </span>
  )
}
