import { lazy, Suspense, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'

const CiTab = lazy(() => import('./CiTab').then((m) => ({ default: m.CiTab })))

/** The CI tab, loaded on first use. */
export function LazyCiTab({ thread }: { thread: Thread }): ReactElement {
  return (
    <Suspense
      fallback={
        <div className="empty-state" aria-busy="true">
          <div className="spinner" aria-hidden="true" />
        </div>
      }
    >
      <CiTab thread={thread} />
    </Suspense>
  )
}
