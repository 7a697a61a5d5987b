import { useLayoutEffect, useRef, useState, type ReactElement } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { Thread } from '../../../shared/models'
import { useNow } from '../../ui/clock'
import { ThreadCard } from './ThreadCard'
import { ThreadRow } from './ThreadRow'

const MIN_CARD_WIDTH = 300
const GAP = 12
const CARD_HEIGHT = 200
/** A few cards (two rows or fewer) grow to fill the view, up to this, so findings show whole. */
const TALL_CARD_MAX = 420
const ROW_HEIGHT = 40

/**
 * The dashboard's threads, virtualized so 1,000+ stay smooth: a wall of live cards (columns by width;
 * with two rows or fewer the cards grow to use the height) or a dense list of one row per thread.
 */
export function CardGrid({ threads, repoNames, layout }: { threads: Thread[]; repoNames: Map<string, string>; layout: 'cards' | 'list' }): ReactElement {
  const scroller = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState({ width: 0, height: 0 })
  const now = useNow()

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const observer = new ResizeObserver(([entry]) => setSize({ width: entry.contentRect.width, height: entry.contentRect.height }))
    observer.observe(el)
    setSize({ width: el.clientWidth, height: el.clientHeight })
    return () => observer.disconnect()
  }, [])

  const list = layout === 'list'
  const columns = list ? 1 : Math.max(1, Math.floor((size.width - 2 * GAP + GAP) / (MIN_CARD_WIDTH + GAP)))
  const rowCount = Math.ceil(threads.length / columns)
  const fill = rowCount > 0 && rowCount <= 2 ? Math.floor((size.height - GAP * (rowCount + 1)) / rowCount) : 0
  const height = list ? ROW_HEIGHT : Math.max(CARD_HEIGHT, Math.min(TALL_CARD_MAX, fill))
  const gap = list ? 0 : GAP
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => height + gap,
    overscan: 4,
    paddingStart: gap,
    paddingEnd: GAP
  })
  // The estimate is the exact size; a change of layout or height must re-measure every row.
  useLayoutEffect(() => virtualizer.measure(), [virtualizer, height, gap])

  return (
    <div ref={scroller} className={`card-scroller${list ? ' is-list' : ''}`}>
      <div role="list" aria-label="Threads" className={list ? 'thread-list' : 'card-grid'} style={{ height: virtualizer.getTotalSize() }} data-layout={layout}>
        {virtualizer.getVirtualItems().map((row) => (
          <div
            key={row.key}
            role="none"
            className="card-row"
            style={{
              transform: `translateY(${row.start}px)`,
              height,
              gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              gap,
              padding: list ? 0 : `0 ${GAP}px`
            }}
          >
            {threads.slice(row.index * columns, row.index * columns + columns).map((t) =>
              list ? (
                <ThreadRow key={t.id} thread={t} repoName={repoNames.get(t.repoId) ?? 'Unknown repository'} now={now} />
              ) : (
                <ThreadCard key={t.id} thread={t} repoName={repoNames.get(t.repoId) ?? 'Unknown repository'} now={now} />
              )
            )}
          </div>
        ))}
      </div>
    </div>
  )
}
