import { memo, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type ReactElement, type Ref } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { inlineStyle, spanClass } from './ansi'
import { rowIndexOfLine, type LogRow, type LogRows } from './log-rows'

const ROW_HEIGHT = 18

/** What the log view's owner can ask of it. */
export interface LogViewApi {
  /** Scrolls a line into the middle of the view and highlights it. */
  jumpTo: (line: number) => void
}

/** Props of the log view. */
export interface LogViewProps {
  rows: LogRows
  /** The accessible name, e.g. "Log of test (ubuntu)". */
  label: string
  /** The line the core found the first error on; marked in the gutter. */
  firstErrorLine: number | null
  /** Keep the end in view as rows arrive, while the person has not scrolled up (live output). */
  follow?: boolean
  apiRef?: Ref<LogViewApi>
}

const LogLine = memo(function LogLine({
  row,
  firstError,
  highlighted
}: {
  row: Extract<LogRow, { kind: 'line' }>
  firstError: boolean
  highlighted: boolean
}): ReactElement {
  return (
    <>
      <span className="log-ln" aria-hidden="true">
        {row.n}
      </span>
      <span className={`log-text${row.annotation ? ` log-annot-${row.annotation}` : ''}`}>
        {row.timestamp && <span className="log-ts">{row.timestamp} </span>}
        {row.annotation === 'error' && <span className="log-annot-label">Error: </span>}
        {row.annotation === 'warning' && <span className="log-annot-label">Warning: </span>}
        {row.spans.map((s, i) =>
          s.style ? (
            <span key={i} className={spanClass(s.style)} style={inlineStyle(s.style)}>
              {s.text}
            </span>
          ) : (
            s.text
          )
        )}
        {firstError && !highlighted && <span className="visually-hidden"> (first error)</span>}
      </span>
    </>
  )
})

/**
 * A monospace log with line numbers and ANSI colours, virtualized so only the rows in view are in
 * the DOM (10,000+ lines scroll smoothly). Lines never wrap; the view scrolls sideways instead.
 */
export function LogView({ rows, label, firstErrorLine, follow = false, apiRef }: LogViewProps): ReactElement {
  const scroller = useRef<HTMLDivElement>(null)
  const [highlight, setHighlight] = useState<number | null>(null)
  const atBottom = useRef(true)
  const list = rows.rows
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 24
  })

  useImperativeHandle(
    apiRef,
    () => ({
      jumpTo: (line) => {
        const index = rowIndexOfLine(list, line)
        if (index < 0) return
        setHighlight(line)
        virtualizer.scrollToIndex(index, { align: 'center' })
      }
    }),
    [list, virtualizer]
  )

  // Live output: stay at the end while the person has not scrolled away from it.
  useLayoutEffect(() => {
    if (follow && atBottom.current && list.length > 0) virtualizer.scrollToIndex(list.length - 1, { align: 'end' })
  }, [follow, list.length, virtualizer])

  useEffect(() => setHighlight(null), [rows])

  const gutter = String(Math.max(rows.lastLine, 1)).length + 1
  const items = virtualizer.getVirtualItems()
  return (
    <div
      ref={scroller}
      className="log-scroller"
      role="region"
      aria-label={label}
      tabIndex={0}
      style={{ ['--log-gutter' as string]: `${gutter}ch` }}
      onScroll={(e) => {
        const el = e.currentTarget
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2
      }}
    >
      <div className="log-inner" style={{ height: virtualizer.getTotalSize(), width: `calc(${gutter + rows.widest + 4}ch + 32px)` }}>
        {items.map((item) => {
          const row = list[item.index]
          const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }
          if (row.kind === 'gap') {
            return (
              <div key={item.key} className="log-row log-gap" style={style}>
                <span className="log-ln" aria-hidden="true" />
                <span className="log-text">{row.label}</span>
              </div>
            )
          }
          const firstError = row.n === firstErrorLine
          const highlighted = row.n === highlight
          return (
            <div
              key={item.key}
              className={`log-row${firstError ? ' is-first-error' : ''}${highlighted ? ' is-highlighted' : ''}`}
              style={style}
              data-line={row.n}
              aria-current={highlighted ? 'true' : undefined}
            >
              <LogLine row={row} firstError={firstError} highlighted={highlighted} />
            </div>
          )
        })}
      </div>
    </div>
  )
}
