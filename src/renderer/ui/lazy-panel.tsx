import { lazy, Suspense, type ComponentType, type ReactElement } from 'react'
import type { Thread } from '../../shared/models'

/** A thread panel whose code loads on first use, with a spinner meanwhile (keeps xterm, Monaco and friends out of the startup bundle). */
export function lazyPanel(load: () => Promise<ComponentType<{ thread: Thread }>>): (props: { thread: Thread }) => ReactElement {
  const Panel = lazy(() => load().then((component) => ({ default: component })))
  return function LazyPanel({ thread }) {
    return (
      <Suspense
        fallback={
          <div className="empty-state" aria-busy="true">
            <div className="spinner" aria-hidden="true" />
          </div>
        }
      >
        <Panel thread={thread} />
      </Suspense>
    )
  }
}
