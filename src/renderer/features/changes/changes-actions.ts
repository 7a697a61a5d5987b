import { notifyDelivery } from '../../state/delivery-toast'
import type { ChangeScope, LineSpan } from '../../../shared/review'
import { errorMessage, request } from '../../state/rpc'
import { notifyError, notifyInfo, notifySuccess } from '../../state/notify'
import { dropComment, loadComments, upsertComment } from './changes-sync'

/** Adds a pending comment on lines of the file on disk; returns the core's refusal, or null. */
export async function addComment(
  threadId: string,
  o: { path: string; startLine: number; endLine: number; body: string }
): Promise<string | null> {
  try {
    upsertComment(threadId, await request('review/comment', { threadId, ...o }))
    return null
  } catch (e) {
    return errorMessage(e)
  }
}

/** Changes a comment's text; returns the core's refusal, or null. */
export async function editComment(threadId: string, commentId: string, body: string): Promise<string | null> {
  try {
    upsertComment(threadId, await request('review/editComment', { threadId, commentId, body }))
    return null
  } catch (e) {
    return errorMessage(e)
  }
}

/** Deletes a comment. */
export async function deleteComment(threadId: string, commentId: string): Promise<void> {
  try {
    await request('review/deleteComment', { threadId, commentId })
    dropComment(threadId, commentId)
  } catch (e) {
    notifyError('Could not delete the comment', e)
  }
}

const sending = new Set<string>()

/** Sends every pending comment to the thread's agent as one message (a second press while sending does nothing). */
export async function submitReview(threadId: string): Promise<boolean> {
  if (sending.has(threadId)) return false
  sending.add(threadId)
  try {
    const { sent, delivery } = await request('review/submit', { threadId })
    notifyDelivery(threadId, sent === 1 ? 'the review comment' : `${sent || 'the'} review comments`, delivery)
    return delivery.delivered
  } catch (e) {
    notifyError('Could not send the review', e)
    return false
  } finally {
    await loadComments(threadId)
    sending.delete(threadId)
  }
}

/** Explains why Ctrl/⌘+Enter sent nothing. */
export function explainNoPendingComments(): void {
  notifyInfo('No pending comments to send', 'Click the + beside a line in the diff, or select lines and press C.')
}

/** Puts a file back as the scope's base has it (after the person confirmed); a renamed file gets its old path back too. */
export async function revertFile(
  threadId: string,
  path: string,
  oldPath: string | null = null,
  scope: ChangeScope = 'uncommitted'
): Promise<boolean> {
  try {
    const { outcome } = await request('review/revertFile', { threadId, path, oldPath, scope })
    notifySuccess(outcome === 'removed' && !oldPath ? `Removed ${path}` : `Reverted ${oldPath ? `${oldPath} → ${path}` : path}`)
    return true
  } catch (e) {
    notifyError(`Could not revert ${path}`, e)
    return false
  }
}

/** One hunk to put back: both sides' lines and what the file has there now. */
export interface HunkToRevert {
  path: string
  oldPath: string | null
  scope: ChangeScope
  original: LineSpan
  modified: LineSpan
  expected: string
}

/** Puts one hunk back as it is on the base side; the core refuses if the lines changed meanwhile. */
export async function revertHunk(threadId: string, hunk: HunkToRevert): Promise<boolean> {
  try {
    await request('review/revertHunk', { threadId, ...hunk })
    notifySuccess('Reverted the change', hunk.path)
    return true
  } catch (e) {
    notifyError('Could not revert the change', e)
    return false
  }
}

/** Commits every change in the worktree; returns the core's refusal (shown in the dialog), or null. */
export async function commitAll(threadId: string, message: string): Promise<string | null> {
  try {
    const { commit } = await request('review/commit', { threadId, message })
    notifySuccess('Committed', `${commit.slice(0, 8)} ${message.split('\n')[0]}`)
    return null
  } catch (e) {
    return errorMessage(e)
  }
}

/** Pushes the thread's branch. */
export async function pushBranch(threadId: string): Promise<void> {
  try {
    const { remote } = await request('review/push', { threadId })
    notifySuccess(`Pushed to ${remote}`)
  } catch (e) {
    notifyError('Could not push', e)
  }
}

/** Rebases the thread's branch onto its base in its worktree. */
export async function rebaseOntoBase(threadId: string, baseRef: string): Promise<void> {
  try {
    const { outcome } = await request('review/rebase', { threadId })
    notifySuccess(outcome === 'up-to-date' ? `Already up to date with ${baseRef}` : `Rebased onto ${baseRef}`)
  } catch (e) {
    notifyError(`Could not rebase onto ${baseRef}`, e)
  }
}
