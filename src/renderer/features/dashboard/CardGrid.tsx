import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { Thread } from '../../../shared/models'
import { useNow } from '../../ui/clock'
import { ThreadCard } from './ThreadCard'
import { ThreadRow } from './ThreadRow'

const MIN_CARD_WIDTH = 300
const GAP = 12
const CARD_HEIGHT = 200
const ROW_HEIGHT = 40
/** Up to this many rows of cards, each card is as tall as what it shows (a whole finding), not virtualized. */
const NATURAL_ROWS = 2

/** What the grid shows: the first `shown` of `threads` (loaded, in order), then `pending` placeholders for the rest. */
export interface GridWindow {
  threads: readonly Thread[]
  shown: number
  pending: number
}

/**
 * The dashboard's threads: a wall of live cards (columns by width) or a dense list of one row per
 * thread, virtualized so 1,000+ stay smooth. A few cards (two rows or fewer, as for a handful of
 * investigations) take the height their content needs instead, so a finding shows whole. Placeholders on screen
 * ask for their rows (`onWant`: how many rows the list should show).
 */
export function CardGrid({
  window: { threads, shown, pending },
  oneRepo,
  repoNames,
  layout,
  onWant
}: {
  window: GridWindow
  /** Every thread is from one repository (or the filter is on one): its name on each would say nothing. */
  oneRepo: boolean
  repoNames: Map<string, string>
  layout: 'cards' | 'list'
  onWant: (rows: number) => void
}): ReactElement {
  const count = shown + pending
  const repoOf = (t: Thread): string | null => (oneRepo ? null : (repoNames.get(t.repoId) ?? 'Unknown repository'))
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
  const rowCount = Math.ceil(count / columns)
  const natural = !list && rowCount <= NATURAL_ROWS
  const height = list ? ROW_HEIGHT : CARD_HEIGHT
  const gap = list ? 0 : GAP
  const virtualizer = useVirtualizer({
    count: natural ? 0 : rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => height + gap,
    overscan: 4,
    paddingStart: gap,
    paddingEnd: GAP
  })
  // The estimate is the exact size; a change of layout or height must re-measure every row.
  useLayoutEffect(() => virtualizer.measure(), [virtualizer, height, gap])
  const items = virtualizer.getVirtualItems()
  const lastOnScreen = natural ? count : Math.min(count, ((items[items.length - 1]?.index ?? -1) + 1) * columns)
  useEffect(() => {
    if (lastOnScreen > shown) onWant(lastOnScreen)
  }, [lastOnScreen, shown, onWant])
  const cell = (i: number) => {
    if (i >= shown)
      return (
        <div
          key={`p${i}`}
          className={`card-cell placeholder-cell${list ? ' dash-row' : ' thread-card'}`}
          aria-hidden="true"
          data-testid="card-placeholder"
        />
      )
    const t = threads[i]!
    return list ? (
      <ThreadRow key={t.id} thread={t} repoName={repoOf(t)} now={now} />
    ) : (
      <ThreadCard key={t.id} thread={t} repoName={repoOf(t)} now={now} />
    )
  }
  const range = (from: number, to: number) => Array.from({ length: Math.max(0, Math.min(to, count) - from) }, (_, k) => cell(from + k))

  if (natural) {
    return (
      <div ref={scroller} className="card-scroller">
        <div
          role="list"
          aria-label="Threads"
          className="card-grid is-natural"
          style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap: GAP, padding: GAP }}
          data-layout={layout}
        >
          {range(0, count)}
        </div>
      </div>
    )
  }

  return (
    <div ref={scroller} className={`card-scroller${list ? ' is-list' : ''}`}>
      <div
        role="list"
        aria-label="Threads"
        className={list ? `thread-list${oneRepo ? ' one-repo' : ''}` : 'card-grid'}
        style={{ height: virtualizer.getTotalSize() }}
        data-layout={layout}
      >
        {items.map((row) => (
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
            {range(row.index * columns, row.index * columns + columns)}
          </div>
        ))}
      </div>
    </div>
  )
}
