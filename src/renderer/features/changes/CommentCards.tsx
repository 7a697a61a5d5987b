import { useEffect, useRef, useState, type ReactElement } from 'react'
import type { ReviewComment } from '../../../shared/review'
import { hasPrimaryModifier, shortcutLabel } from '../../ui/keyboard'
import { FormError } from '../../ui/Dialog'
import { deleteComment, editComment } from './changes-actions'
import { linesLabel } from './hunks'

/** Props of the comment box. */
export interface CommentFormProps {
  /** Names the box for screen readers, e.g. "Comment on lines 4–6". */
  label: string
  initial?: string
  submitLabel: string
  /** Saves the text; resolves to the core's refusal, or null when saved. */
  onSubmit: (body: string) => Promise<string | null>
  onCancel: () => void
}

/** A comment box: Ctrl/⌘+Enter saves, Escape cancels. */
export function CommentForm({ label, initial = '', submitLabel, onSubmit, onCancel }: CommentFormProps): ReactElement {
  const [body, setBody] = useState(initial)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const area = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    // After the zone has been placed, or the editor scrolls the new zone into view under the caret.
    const frame = requestAnimationFrame(() => area.current?.focus({ preventScroll: true }))
    return () => cancelAnimationFrame(frame)
  }, [])

  const submit = async () => {
    if (!body.trim() || busy) return
    setBusy(true)
    const refusal = await onSubmit(body)
    setBusy(false)
    setError(refusal)
  }

  return (
    <form
      className="comment-form"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <textarea
        ref={area}
        className="comment-input"
        aria-label={label}
        placeholder="Leave a comment for the agent"
        value={body}
        rows={3}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && hasPrimaryModifier(e)) {
            e.preventDefault()
            e.stopPropagation()
            void submit()
          } else if (e.key === 'Escape') {
            e.preventDefault()
            e.stopPropagation()
            onCancel()
          }
        }}
      />
      <FormError message={error} />
      <div className="comment-form-actions">
        <span className="comment-hint">
          <kbd>{shortcutLabel('Enter')}</kbd> to save · <kbd>Esc</kbd> to cancel
        </span>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy || !body.trim()}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  )
}

const statusLabel: Record<ReviewComment['status'], string> = { pending: 'Pending', sent: 'Sent', outdated: 'Outdated' }

/** A comment's status pill: Pending, Sent or Outdated. */
export function CommentStatus({ status }: { status: ReviewComment['status'] }): ReactElement {
  return <span className={`comment-status is-${status}`}>{statusLabel[status]}</span>
}

/** One comment: which lines, its text and status, and Edit / Delete; `onEditDone` runs when an edit is saved or cancelled. */
export function CommentCard({
  threadId,
  comment,
  showCode = false,
  onEditDone
}: {
  threadId: string
  comment: ReviewComment
  showCode?: boolean
  onEditDone?: () => void
}): ReactElement {
  const [editing, setEditing] = useState(false)
  const lines = linesLabel(comment.startLine, comment.endLine)
  return (
    <article className={`comment-card is-${comment.status}`} aria-label={`Comment on ${showCode ? `${comment.path} ` : ''}${lines}`}>
      <header className="comment-head">
        <span className="comment-lines">{showCode ? `${comment.path}, ${lines}` : lines.replace(/^l/, 'L')}</span>
        <CommentStatus status={comment.status} />
        <span className="spacer" />
        {!editing && (
          <>
            <button type="button" className="btn-link comment-action" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" className="btn-link comment-action is-danger" onClick={() => void deleteComment(threadId, comment.id)}>
              Delete
            </button>
          </>
        )}
      </header>
      {showCode && comment.code && <pre className="comment-code">{comment.code}</pre>}
      {editing ? (
        <CommentForm
          label={`Edit comment on ${lines}`}
          initial={comment.body}
          submitLabel="Save"
          onCancel={() => {
            setEditing(false)
            onEditDone?.()
          }}
          onSubmit={async (body) => {
            const refusal = await editComment(threadId, comment.id, body)
            if (!refusal) {
              setEditing(false)
              onEditDone?.()
            }
            return refusal
          }}
        />
      ) : (
        <p className="comment-body">{comment.body}</p>
      )}
    </article>
  )
}
