import type { ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { lazyPanel } from '../../ui/lazy-panel'
import { useChanges } from './changes-store'

/** The Changes tab, loaded once the page is idle after start (Monaco itself loads later still, with the first diff). */
export const LazyChangesTab = lazyPanel(() => import('./ChangesTab').then((m) => m.ChangesTab), { whenIdle: true })

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
