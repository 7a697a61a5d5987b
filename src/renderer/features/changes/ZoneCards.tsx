import type { ReactElement } from 'react'
import { createPortal } from 'react-dom'
import type { RemoteThread } from '../../../shared/pr-threads'
import type { ReviewComment } from '../../../shared/review'
import { addComment } from './changes-actions'
import { CommentCard, CommentForm } from './CommentCards'
import type { LineRange } from './diff-types'
import { linesLabel } from './hunks'
import { RemoteThreadCard } from './RemoteThreadCards'

/** Props of the cards in the diff's zones. */
export interface ZoneCardsProps {
  threadId: string
  path: string
  /** Each zone's node by key, from useCommentZones. */
  nodes: Map<string, HTMLElement>
  comments: readonly ReviewComment[]
  remote: readonly RemoteThread[]
  draft: LineRange | null
  /** Closes the comment box. */
  closeDraft: () => void
  /** Gives the keys back to the diff after a box closes, so the next Ctrl/⌘+Enter sends the review. */
  refocus: () => void
}

/** The cards between the diff's lines, each portalled into its zone: the comment box being written, the service's review threads, the review's comments. */
export function ZoneCards({ threadId, path, nodes, comments, remote, draft, closeDraft, refocus }: ZoneCardsProps): ReactElement {
  const byId = new Map(comments.map((c) => [c.id, c]))
  const remoteById = new Map(remote.map((t) => [`remote:${t.id}`, t]))
  const closed = () => {
    closeDraft()
    refocus()
  }
  return (
    <>
      {[...nodes].map(([key, node]) => {
        if (key === 'draft' && draft) {
          const label = `Comment on ${linesLabel(draft.start, draft.end)}`
          return createPortal(
            <div className="comment-thread">
              <CommentForm
                key={`${draft.start}-${draft.end}`}
                label={label}
                submitLabel="Comment"
                onCancel={closed}
                onSubmit={async (body) => {
                  const refusal = await addComment(threadId, { path, startLine: draft.start, endLine: draft.end, body })
                  if (!refusal) closed()
                  return refusal
                }}
              />
            </div>,
            node,
            key
          )
        }
        const thread = remoteById.get(key)
        if (thread)
          return createPortal(
            <div className="comment-thread">
              <RemoteThreadCard threadId={threadId} thread={thread} />
            </div>,
            node,
            key
          )
        const comment = byId.get(key)
        return comment
          ? createPortal(
              <div className="comment-thread">
                <CommentCard threadId={threadId} comment={comment} onEditDone={refocus} />
              </div>,
              node,
              key
            )
          : null
      })}
    </>
  )
}
