import { lazy, Suspense, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'

const TerminalPanel = lazy(() => import('./TerminalPanel').then((m) => ({ default: m.TerminalPanel })))

/** The Terminal tab, loaded on first use so xterm stays out of the startup bundle. */
export function LazyTerminalPanel({ thread }: { thread: Thread }): ReactElement {
  return (
    <Suspense
      fallback={
        <div className="empty-state" aria-busy="true">
          <div className="spinner" aria-hidden="true" />
        </div>
      }
    >
      <TerminalPanel thread={thread} />
    </Suspense>
  )
}
