import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { Item } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { isPendingApproval, useItemUi } from './conversation-store'
import { ItemView } from './ItemView'
import { isGroup, lastLiveMessage, transcriptRows, turnPlace, type TranscriptRow } from './transcript-rows'
import { RewoundFold, TurnActions } from './TurnActions'

/** How close to the end (px) still counts as "at the bottom". */
const STICK_SLACK = 48

/** A first guess at a row's height by kind, refined by measuring. */
function estimate(item: TranscriptRow | undefined): number {
  switch (item?.kind) {
    case 'rewound':
      return 34
    case 'tool':
      return 36
    case 'notice':
      return 30
    case 'approval':
      return !isGroup(item) && item.approval?.decision === null ? 200 : 32
    case 'user':
      return 56
    case 'error':
      return 64
    default:
      return 80
  }
}

/** The id of the error item that may offer Retry: the last one, when nothing but notices follows it. */
function retryCandidate(items: Item[]): string | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]
    if (it.kind === 'notice') continue
    return it.kind === 'error' ? it.id : null
  }
  return null
}

/** Tool items an unanswered approval card waits on (looked for in the latest turn only). */
function awaitingTools(items: Item[]): Set<string> {
  const ids = new Set<string>()
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]
    if (it.kind === 'user') break
    if (isPendingApproval(it) && it.approval) ids.add(it.approval.toolItemId)
  }
  return ids
}

/**
 * The conversation transcript, virtualized (only rows in view are in the DOM) with measured row heights.
 * It follows new output while scrolled to the bottom and stays put once the person scrolls up, offering
 * "Jump to latest". Rewound turns fold into one row; messages and turn ends offer rewind and fork.
 */
export function Transcript({
  threadId,
  items,
  busy,
  label
}: {
  threadId: string
  items: Item[]
  busy: boolean
  label: string
}): ReactElement {
  const scroller = useRef<HTMLDivElement>(null)
  const stick = useRef(true)
  const [atBottom, setAtBottom] = useState(true)
  const unfolded = useItemUi((s) => s.expanded)
  const rows = useMemo(() => transcriptRows(items, unfolded), [items, unfolded])
  const rowsRef = useRef(rows)
  rowsRef.current = rows
  // Stable callbacks: the virtualizer recomputes every row's offset whenever these change identity.
  const getScrollElement = useCallback(() => scroller.current, [])
  const estimateSize = useCallback((i: number) => estimate(rowsRef.current[i]), [])
  const getItemKey = useCallback((i: number) => rowsRef.current[i]?.id ?? i, [])

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement,
    estimateSize,
    getItemKey,
    overscan: 6,
    paddingStart: 16,
    paddingEnd: 24
  })

  const onScroll = useCallback(() => {
    const el = scroller.current
    if (!el) return
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_SLACK
    stick.current = bottom
    setAtBottom(bottom)
  }, [])

  const jumpToLatest = useCallback(() => {
    const el = scroller.current
    if (!el) return
    stick.current = true
    setAtBottom(true)
    virtualizer.scrollToIndex(rowsRef.current.length - 1, { align: 'end' })
    requestAnimationFrame(() => {
      el.scrollTop = el.scrollHeight
    })
  }, [virtualizer])

  // The person sent a message: show the end and follow it again.
  const followTick = useItemUi((s) => s.followTick[threadId] ?? 0)
  const seenTick = useRef(followTick)
  useEffect(() => {
    if (followTick === seenTick.current) return
    seenTick.current = followTick
    jumpToLatest()
  }, [followTick, jumpToLatest])

  // A search result opened here: scroll to its item (unfolding rewound turns) and mark it until the next click.
  const reveal = useItemUi((s) => s.reveal[threadId])
  const [hit, setHit] = useState<string | null>(null)
  useEffect(() => {
    if (!reveal) return
    const index = rows.findIndex((r) => !isGroup(r) && r.id === reveal.itemId)
    if (index < 0) {
      const at = items.findIndex((i) => i.id === reveal.itemId)
      if (at >= 0 && items[at].rewound) {
        let start = at
        while (start > 0 && items[start - 1].rewound) start--
        const fold = `rewound:${items[start].id}`
        if (!useItemUi.getState().expanded[fold]) useItemUi.getState().toggle(fold)
      }
      return // not loaded yet (or folded): tried again when the rows change
    }
    stick.current = false
    setAtBottom(false)
    virtualizer.scrollToIndex(index, { align: 'center' })
    setHit(reveal.itemId)
    useItemUi.getState().revealed(threadId)
  }, [reveal, rows, items, threadId, virtualizer])

  const total = virtualizer.getTotalSize()
  const lastItem = items[items.length - 1]
  // Follow the end while stuck to it: new items, streamed text growing the last row, rows re-measured.
  useLayoutEffect(() => {
    const el = scroller.current
    if (el && stick.current) el.scrollTop = el.scrollHeight
  }, [total, rows.length, lastItem])

  const retryId = useMemo(() => retryCandidate(items), [items])
  const awaiting = useMemo(() => awaitingTools(items), [items])
  const lastLive = useMemo(() => lastLiveMessage(rows), [rows])
  const virtualItems = virtualizer.getVirtualItems()

  return (
    <div className="transcript-wrap">
      <div ref={scroller} className="transcript-scroller" onScroll={onScroll} onPointerDown={() => hit && setHit(null)}>
        <div role="log" aria-label={label} aria-live="off" className="transcript" style={{ height: total }}>
          <div className="transcript-window" style={{ transform: `translateY(${virtualItems[0]?.start ?? 0}px)` }}>
            {virtualItems.map((row) => {
              const item = rows[row.index]
              if (isGroup(item))
                return (
                  <div
                    key={row.key}
                    ref={virtualizer.measureElement}
                    data-index={row.index}
                    data-kind="rewound"
                    className="transcript-row row-rewound-fold"
                  >
                    <RewoundFold group={item} />
                  </div>
                )
              const place = turnPlace(rows, row.index, busy, lastLive)
              return (
                <div
                  key={row.key}
                  ref={virtualizer.measureElement}
                  data-index={row.index}
                  data-item-id={item.id}
                  data-kind={item.kind}
                  data-rewound={item.rewound || undefined}
                  data-search-hit={item.id === hit || undefined}
                  className={`transcript-row row-${item.kind}${item.rewound ? ' is-rewound' : ''}${place?.at === 'turn-end' ? ' is-turn-end' : ''}${item.id === hit ? ' is-search-hit' : ''}`}
                >
                  {item.rewound && item.kind === 'user' && <span className="rewound-tag">Rewound</span>}
                  <ItemView item={item} latest={item.id === retryId} busy={busy} awaiting={awaiting.has(item.id)} />
                  <TurnActions item={item} place={place} />
                </div>
              )
            })}
          </div>
        </div>
      </div>
      {!atBottom && rows.length > 0 && (
        <button type="button" className="jump-latest" onClick={jumpToLatest}>
          <Icon name="arrowDown" size={12} />
          Jump to latest
        </button>
      )}
    </div>
  )
}
