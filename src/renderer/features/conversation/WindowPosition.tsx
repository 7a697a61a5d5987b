import type { ReactElement } from 'react'
import type { Transcript } from './conversation-store'
import { indexOfItem } from './conversation-store'
import { isGroup, type TranscriptRow } from './transcript-rows'

/** The position in the whole conversation of the item at row `index` (a fold counts as its first item). */
function positionOf(transcript: Transcript, rows: readonly TranscriptRow[], index: number): number {
  for (let i = index; i < rows.length; i++) {
    const row = rows[i]
    const id = isGroup(row) ? row.id.slice('rewound:'.length) : row.id
    const at = indexOfItem(transcript.items, id)
    if (at >= 0) return transcript.start + at
  }
  return transcript.start
}

/**
 * Where the view sits in the whole conversation, when this client holds only part of it: "Item 1,204 of
 * 250,000" and a slim track whose mark is the held window. The scrollbar spans the held window only.
 */
export function WindowPosition({
  transcript,
  rows,
  first
}: {
  transcript: Transcript
  rows: readonly TranscriptRow[]
  first: number
}): ReactElement | null {
  const { total, start, items } = transcript
  if (total <= items.length || total === 0) return null
  const at = positionOf(transcript, rows, first)
  const fmt = (n: number): string => n.toLocaleString('en-US')
  const top = (start / total) * 100
  const height = Math.max(1, (items.length / total) * 100)
  return (
    <div className="transcript-position" role="status" aria-label="Position in the conversation">
      <span className="transcript-position-text" data-position={at}>
        Item {fmt(at + 1)} of {fmt(total)}
      </span>
      <span className="transcript-position-track" aria-hidden="true">
        <span className="transcript-position-window" style={{ top: `${Math.min(top, 100 - height)}%`, height: `${height}%` }} />
      </span>
    </div>
  )
}
