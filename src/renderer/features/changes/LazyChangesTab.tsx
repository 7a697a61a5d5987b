import { lazy, Suspense, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { useChanges } from './changes-store'

const ChangesTab = lazy(() => import('./ChangesTab').then((m) => ({ default: m.ChangesTab })))

/** The Changes tab, loaded on first use (Monaco itself loads later still, with the first diff). */
export function LazyChangesTab({ thread }: { thread: Thread }): ReactElement {
  return (
    <Suspense
      fallback={
        <div className="empty-state" aria-busy="true">
          <div className="spinner" aria-hidden="true" />
        </div>
      }
    >
      <ChangesTab thread={thread} />
    </Suspense>
  )
}

/** The number of changed files last seen for a thread, for the tab label; nothing before the tab was opened. */
export function ChangesBadge({ thread }: { thread: Thread }): ReactElement | null {
  const count = useChanges((s) => s.byThread[thread.id]?.set?.files.length)
  if (!count) return null
  return (
    <span className="tab-count" aria-label={`${count} changed files`}>
      {count > 999 ? '999+' : count}
    </span>
  )
}
