import type { MouseEvent, ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { useNavigation } from '../../state/navigation-store'
import { Icon } from '../../ui/Icon'
import { openMenu } from '../../ui/menu-store'
import { notifyError } from '../../state/notify'
import { forkCountOf, loadForks, prefetchForks, useForkParent, useForks, useForkTitles, type ForkParent } from './fork-index'

/** The parent's title when known (null while it is asked for, or when it is gone). */
const titleOf = (parent: ForkParent | null): string | null => (parent && typeof parent === 'object' ? parent.title : null)

/** Where a fork started, in words: "Forked from “Login fix” at checkpoint 3". */
function forkedFromText(thread: Thread, parent: ForkParent | null): string {
  const title = titleOf(parent)
  const from = title ? `“${title}”` : parent === 'gone' ? 'a thread that was deleted' : 'another thread'
  const at = thread.forkedFrom?.checkpoint ? ` at checkpoint ${thread.forkedFrom.checkpoint}` : ''
  return `Forked from ${from}${at}`
}

const forksText = (n: number): string => `${n} ${n === 1 ? 'fork' : 'forks'}`

/** "2 forks: “A”, “B”" once the forks were fetched, "2 forks" before. */
const forksTitle = (n: number, titles: string): string => (titles ? `${forksText(n)}: ${titles}` : forksText(n))

/** Opens a menu of a thread's forks (asking the core for them first when needed); picking one selects it. */
async function openForksMenu(thread: Thread, anchor: HTMLElement): Promise<void> {
  let forks: Thread[]
  try {
    forks = await loadForks(thread)
  } catch (e) {
    notifyError(`Could not list the forks of ${thread.title}`, e)
    return
  }
  openMenu(
    `Forks of ${thread.title}`,
    forks.map((f) => ({ label: f.title, icon: 'fork' as const, onSelect: () => useNavigation.getState().selectThread(f.id) })),
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
  const parent = useForkParent(thread)
  const forks = forkCountOf(thread)
  const titles = useForkTitles(thread)
  if (!thread.forkedFrom && forks === 0) return null
  return (
    <>
      {thread.forkedFrom && (
        <button
          type="button"
          className="fork-mark"
          tabIndex={-1}
          title={`${forkedFromText(thread, parent)}${titleOf(parent) ? ': click to open it' : ''}`}
          aria-label={forkedFromText(thread, parent)}
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
          title={forksTitle(forks, titles)}
          aria-label={forksText(forks)}
          aria-haspopup="menu"
          data-testid="forks-count"
          onPointerEnter={() => prefetchForks(thread)}
          onClick={(e) => {
            e.stopPropagation()
            void openForksMenu(thread, e.currentTarget)
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
  const parent = useForkParent(thread)
  const forks = forkCountOf(thread)
  const from = thread.forkedFrom ? `, ${forkedFromText(thread, parent).replace(/^F/, 'f')}` : ''
  return `${from}${forks ? `, ${forksText(forks)}` : ''}`
}

/** The Overview's fork links: where this thread was forked from, and each of its forks, every one a link. */
export function ForkDetails({ thread }: { thread: Thread }): ReactElement | null {
  const parent = useForkParent(thread)
  const parentTitle = titleOf(parent)
  const count = forkCountOf(thread)
  const forks = useForks(thread)
  if (!thread.forkedFrom && count === 0) return null
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
          ) : parent === 'gone' ? (
            'a thread that was deleted'
          ) : (
            <span className="muted">another thread</span>
          )}
          {thread.forkedFrom.checkpoint ? <span className="muted"> at checkpoint {thread.forkedFrom.checkpoint}</span> : null}
        </span>
      )}
      {count > 0 && (
        <span>
          {forksText(count)}:{' '}
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
  const parent = useForkParent(thread)
  const parentTitle = titleOf(parent)
  const forks = forkCountOf(thread)
  const titles = useForkTitles(thread)
  if (!thread.forkedFrom && forks === 0) return null
  return (
    <span className={`fork-links${compact ? ' is-compact' : ''}`}>
      {thread.forkedFrom && (
        <button
          type="button"
          className="fork-link"
          disabled={!parentTitle}
          title={forkedFromText(thread, parent)}
          aria-label={forkedFromText(thread, parent)}
          onClick={(e) => selectParent(thread, e)}
        >
          <Icon name="fork" size={11} />
          {!compact && (
            <span className="fork-link-text">Forked from {parentTitle ?? (parent === 'gone' ? 'a deleted thread' : 'another thread')}</span>
          )}
        </button>
      )}
      {forks > 0 && (
        <button
          type="button"
          className="fork-link"
          title={forksTitle(forks, titles)}
          aria-haspopup="menu"
          onPointerEnter={() => prefetchForks(thread)}
          onClick={(e) => {
            e.stopPropagation()
            void openForksMenu(thread, e.currentTarget)
          }}
        >
          {(compact || !thread.forkedFrom) && <Icon name="fork" size={11} />}
          {forksText(forks)}
        </button>
      )}
    </span>
  )
}
