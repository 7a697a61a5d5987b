import { useEffect, useState, type ComponentType, type ReactElement } from 'react'
import type { Thread } from '../../shared/models'

/** A thread panel whose code loads on first use; `preload` fetches it ahead of time. */
export type LazyPanel = ((props: { thread: Thread }) => ReactElement) & { preload(): Promise<unknown> }

/**
 * A thread panel whose code loads on first use, with a spinner meanwhile (keeps xterm, Monaco and friends
 * out of the startup bundle). Not React.lazy: its Suspense holds back revealed content for 300 ms, which
 * would delay every first open of a tab by that much. `whenIdle` loads the code once the page is idle.
 */
export function lazyPanel(load: () => Promise<ComponentType<{ thread: Thread }>>, o: { whenIdle?: boolean } = {}): LazyPanel {
  let Panel: ComponentType<{ thread: Thread }> | null = null
  let loading: Promise<ComponentType<{ thread: Thread }>> | null = null
  const preload = () => {
    loading ??= load().then(
      (component) => (Panel = component),
      (e: unknown) => {
        loading = null // a failed chunk load (e.g. the core restarted mid-build) can be retried
        throw e
      }
    )
    return loading
  }
  function LazyPanel({ thread }: { thread: Thread }): ReactElement {
    const [, loaded] = useState(0)
    const [failed, setFailed] = useState<unknown>(null)
    useEffect(() => {
      if (!Panel) preload().then(() => loaded((n) => n + 1), setFailed)
    }, [])
    // As React.lazy would: the nearest error boundary shows a chunk that could not load.
    if (failed) throw failed
    if (Panel) return <Panel thread={thread} />
    return (
      <div className="empty-state" aria-busy="true">
        <div className="spinner" aria-hidden="true" />
      </div>
    )
  }
  if (o.whenIdle && typeof window !== 'undefined') {
    const idle = window.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 2000))
    idle(() => void preload().catch(() => undefined), { timeout: 10_000 })
  }
  return Object.assign(LazyPanel, { preload })
}
