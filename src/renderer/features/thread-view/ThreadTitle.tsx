import { useState, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { renameThread } from '../../state/thread-actions'

/** The thread's title as a heading; double-click (or Enter on it) edits it in place. */
export function ThreadTitle({ thread }: { thread: Thread }): ReactElement {
  const [draft, setDraft] = useState<string | null>(null)

  const commit = async () => {
    if (draft === null) return
    const value = draft
    setDraft(null)
    if (value.trim() && value.trim() !== thread.title) await renameThread(thread, value)
  }

  if (draft !== null) {
    return (
      <input
        className="title-input"
        aria-label="Thread title"
        value={draft}
        maxLength={200}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => void commit()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            void commit()
          } else if (e.key === 'Escape') {
            e.preventDefault()
            e.stopPropagation()
            setDraft(null)
          }
        }}
      />
    )
  }
  return (
    <h1
      className="thread-heading"
      title="Double-click to rename"
      tabIndex={0}
      onDoubleClick={() => setDraft(thread.title)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === 'F2') {
          e.preventDefault()
          setDraft(thread.title)
        }
      }}
    >
      {thread.title}
    </h1>
  )
}
