import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { Item } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { isPendingApproval, useConversation, useItemUi, type Transcript as TranscriptWindow } from './conversation-store'
import { loadMore, loadTranscript, noteViewing } from './conversation-sync'
import { cursorAfter, cursorBefore, reachesEnd } from './conversation-window'
import { WindowPosition } from './WindowPosition'
import { ItemView } from './ItemView'
import { isGroup, lastLiveMessage, transcriptRows, turnPlace, type TranscriptRow } from './transcript-rows'
import { RewoundFold, TurnActions } from './TurnActions'

/** How close to the end (px) still counts as "at the bottom". */
const STICK_SLACK = 48

/** How close to an end of the window (px) fetches the page beyond it: a few screens, so it arrives before it is needed. */
const EDGE_PX = 2500
/** Room above the first row for the "Loading earlier" line while the window does not start at the beginning. */
const EDGE_ROW = 32

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
 * The conversation transcript, virtualized (only rows in view are in the DOM) with measured row heights, over a
 * window of the conversation's items: scrolling near either end of the window fetches the next page there (the
 * view stays anchored on the row it shows), and a position marker shows where the window sits in the whole.
 * It follows new output while scrolled to the bottom and stays put once the person scrolls up, offering
 * "Jump to latest". Rewound turns fold into one row; messages and turn ends offer rewind and fork.
 */
export function Transcript({
  threadId,
  transcript,
  busy,
  label
}: {
  threadId: string
  transcript: TranscriptWindow
  busy: boolean
  label: string
}): ReactElement {
  const items = transcript.items
  const atEnd = reachesEnd(transcript)
  const windowRef = useRef(transcript)
  windowRef.current = transcript
  const scroller = useRef<HTMLDivElement>(null)
  const stick = useRef(true)
  const [atBottom, setAtBottom] = useState(true)
  // Whether the view follows the end: the store lets new items push old ones out only then.
  const follow = useCallback(
    (on: boolean) => {
      stick.current = on
      setAtBottom(on)
      useConversation.getState().setFollowing(threadId, on)
    },
    [threadId]
  )
  // Off screen, nobody reads the window: it follows the end and stays bounded.
  useEffect(() => () => useConversation.getState().setFollowing(threadId, true), [threadId])
  const unfolded = useItemUi((s) => s.expanded)
  const rows = useMemo(() => transcriptRows(items, unfolded), [items, unfolded])
  const rowsRef = useRef(rows)
  rowsRef.current = rows
  // Stable callbacks: the virtualizer recomputes every row's offset whenever these change identity.
  const getScrollElement = useCallback(() => scroller.current, [])
  const estimateSize = useCallback((i: number) => estimate(rowsRef.current[i]), [])
  // A page added at one end and one dropped at the other keep the count: a new first row tells the virtualizer
  // its keys moved (streamed text, which changes neither, must not make it recompute every offset).
  const firstKey = rows[0]?.id ?? null
  const getItemKey = useCallback((i: number) => rowsRef.current[i]?.id ?? i, [firstKey])

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement,
    estimateSize,
    getItemKey,
    overscan: 6,
    paddingStart: transcript.pages[0]?.before ? 16 + EDGE_ROW : 16,
    paddingEnd: transcript.pages[transcript.pages.length - 1]?.after ? 24 + EDGE_ROW : 24
  })

  // The row at the top of the view and how far above it the view starts: kept there when rows are added or dropped above.
  const anchor = useRef<{ key: unknown; offset: number } | null>(null)
  const captureAnchor = useCallback(() => {
    const el = scroller.current
    if (!el) return
    const top = el.scrollTop
    // From the measurements, not the rendered range: that may still be the one before this scroll.
    const row = virtualizer.measurementsCache.find((v) => v.end > top)
    anchor.current = row ? { key: row.key, offset: row.start - top } : null
    if (row && typeof row.key === 'string' && !row.key.startsWith('rewound:')) noteViewing(threadId, row.key)
  }, [threadId, virtualizer])

  // Near an end of the window that is not the conversation's end: fetch the page there.
  const fetchNearEdges = useCallback(() => {
    const el = scroller.current
    const t = windowRef.current
    if (!el || t.fetching) return
    if (el.scrollTop < EDGE_PX && cursorBefore(t) !== null) void loadMore(threadId, 'before')
    else if (el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX && cursorAfter(t) !== null) void loadMore(threadId, 'after')
  }, [threadId])

  const onScroll = useCallback(() => {
    const el = scroller.current
    if (!el) return
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_SLACK && reachesEnd(windowRef.current)
    if (bottom !== stick.current) follow(bottom)
    captureAnchor()
    fetchNearEdges()
  }, [captureAnchor, fetchNearEdges, follow])

  const jumpToLatest = useCallback(() => {
    const el = scroller.current
    if (!el) return
    follow(true)
    // The window ends earlier: fetch the end; the rows it brings are followed like new output.
    if (!reachesEnd(windowRef.current)) return void loadTranscript(threadId, 'end')
    virtualizer.scrollToIndex(rowsRef.current.length - 1, { align: 'end' })
    requestAnimationFrame(() => {
      el.scrollTop = el.scrollHeight
    })
  }, [threadId, virtualizer, follow])

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
      return // not loaded yet (the window is fetched around it) or folded: tried again when the rows change
    }
    follow(false)
    virtualizer.scrollToIndex(index, { align: 'center' })
    setHit(reveal.itemId)
    useItemUi.getState().revealed(threadId)
  }, [reveal, rows, items, threadId, virtualizer, follow])

  const total = virtualizer.getTotalSize()
  const lastItem = items[items.length - 1]
  // Follow the end while stuck to it: new items, streamed text growing the last row, rows re-measured.
  useLayoutEffect(() => {
    const el = scroller.current
    if (el && stick.current) el.scrollTop = el.scrollHeight
  }, [total, rows.length, lastItem])

  // Rows were added or dropped above the view: put the row it showed back where it was.
  const shownFirst = useRef(firstKey)
  useLayoutEffect(() => {
    if (shownFirst.current === firstKey) return
    shownFirst.current = firstKey
    const el = scroller.current
    const a = anchor.current
    if (!el || !a || stick.current) return
    const index = rows.findIndex((r) => r.id === a.key)
    const m = index >= 0 ? virtualizer.measurementsCache[index] : undefined
    if (m) el.scrollTop = m.start - a.offset
    captureAnchor()
  }, [firstKey, rows, virtualizer, captureAnchor])
  // A page arrived and the view is still near an edge (a short page, a fast fling): fetch on.
  useEffect(() => {
    if (!transcript.fetching) fetchNearEdges()
  }, [transcript.fetching, items, fetchNearEdges])

  // Retry and awaiting approvals concern the latest turn, which only a window reaching the end holds.
  const retryId = useMemo(() => (atEnd ? retryCandidate(items) : null), [items, atEnd])
  const awaiting = useMemo(() => (atEnd ? awaitingTools(items) : new Set<string>()), [items, atEnd])
  const lastLive = useMemo(() => lastLiveMessage(rows), [rows])
  const virtualItems = virtualizer.getVirtualItems()
  const scrollTop = virtualizer.scrollOffset ?? 0
  const firstShown = virtualItems.find((v) => v.end > scrollTop)?.index ?? 0

  return (
    <div className="transcript-wrap">
      <WindowPosition transcript={transcript} rows={rows} first={firstShown} />
      <div ref={scroller} className="transcript-scroller" onScroll={onScroll} onPointerDown={() => hit && setHit(null)}>
        <div role="log" aria-label={label} aria-live="off" className="transcript" style={{ height: total }}>
          {cursorBefore(transcript) !== null && (
            <div className="transcript-edge" aria-busy={transcript.fetching === 'before'}>
              Loading earlier messages…
            </div>
          )}
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
              // The window's last row is not known to end its turn unless the window ends the conversation.
              const place = turnPlace(rows, row.index, busy || !atEnd, lastLive)
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
          {cursorAfter(transcript) !== null && (
            <div className="transcript-edge is-after" aria-busy={transcript.fetching === 'after'}>
              Loading later messages…
            </div>
          )}
        </div>
      </div>
      {(!atBottom || !atEnd) && rows.length > 0 && (
        <button type="button" className="jump-latest" onClick={jumpToLatest}>
          <Icon name="arrowDown" size={12} />
          Jump to latest
        </button>
      )}
    </div>
  )
}
