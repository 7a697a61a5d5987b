import { useLayoutEffect, useRef, useState, type ReactElement } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { Thread } from '../../../shared/models'
import { useNow } from '../../ui/clock'
import { ThreadCard } from './ThreadCard'

const MIN_CARD_WIDTH = 260
const GAP = 12
const ROW_HEIGHT = 118

/** A responsive card grid that only renders the rows in view, so 1,000+ threads stay smooth. */
export function CardGrid({ threads, repoNames }: { threads: Thread[]; repoNames: Map<string, string> }): ReactElement {
  const scroller = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(0)
  const now = useNow()

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const observer = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width))
    observer.observe(el)
    setWidth(el.clientWidth)
    return () => observer.disconnect()
  }, [])

  const columns = Math.max(1, Math.floor((width - 2 * GAP + GAP) / (MIN_CARD_WIDTH + GAP)))
  const rowCount = Math.ceil(threads.length / columns)
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT + GAP,
    overscan: 4,
    paddingStart: GAP,
    paddingEnd: GAP
  })

  return (
    <div ref={scroller} className="card-scroller">
      <div role="list" aria-label="Threads" className="card-grid" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => (
          <div
            key={row.key}
            role="none"
            className="card-row"
            style={{
              transform: `translateY(${row.start}px)`,
              height: ROW_HEIGHT,
              gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              gap: GAP,
              padding: `0 ${GAP}px`
            }}
          >
            {threads.slice(row.index * columns, row.index * columns + columns).map((t) => (
              <ThreadCard key={t.id} thread={t} repoName={repoNames.get(t.repoId) ?? 'Unknown repository'} now={now} />
            ))}
          </div>
        ))}
      </div>
    </div>
  )
}
