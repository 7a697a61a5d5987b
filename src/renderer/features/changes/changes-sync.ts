import type { NotificationOf } from '../../../shared/methods'
import type { ChangeScope, ReviewComment } from '../../../shared/review'
import { errorCode, errorMessage, request } from '../../state/rpc'
import { useChanges } from './changes-store'

/** The one change set this client keeps live: the open Changes tab's thread and scope. */
let watching: { threadId: string; scope: ChangeScope; generation: number } | null = null
let generation = 0
const commentReloads = new Map<string, ReturnType<typeof setTimeout>>()

const patch = useChanges.getState().patch

/** Starts keeping a thread's change set live (review/watch answers the current one); replaces any earlier watch. */
export async function watchChanges(threadId: string, scope: ChangeScope): Promise<void> {
  const mine = ++generation
  const previous = useChanges.getState().byThread[threadId]
  watching = { threadId, scope, generation: mine }
  // A different scope's files would mislead while the new ones load.
  if (previous && previous.scope !== scope) patch(threadId, { scope, set: null, error: null })
  else patch(threadId, { scope })
  void loadComments(threadId)
  try {
    const set = await request('review/watch', { threadId, scope })
    if (watching?.generation !== mine) return
    patch(threadId, { set, error: null })
  } catch (e) {
    if (watching?.generation !== mine) return
    patch(threadId, { error: { code: errorCode(e), message: errorMessage(e) } })
  }
}

/** Stops the live updates of a thread's change set (the tab closed or another thread opened). */
export function unwatchChanges(threadId: string): void {
  if (watching?.threadId === threadId) watching = null
  request('review/unwatch', { threadId }).catch(() => undefined) // the core forgets watches of a closed connection anyway
}

/** Applies a review/changed notification to the watched thread; its comments are fetched again to show re-anchoring. */
export function routeChanges({ threadId, scope, changes }: NotificationOf<'review/changed'>): void {
  if (watching?.threadId !== threadId || watching.scope !== scope) return
  patch(threadId, { set: changes, error: null })
  scheduleCommentReload(threadId)
}

/** After a reconnect: the watch died with the old connection, so it starts again. */
export function rewatchChanges(): void {
  if (watching) void watchChanges(watching.threadId, watching.scope)
}

/** Forgets everything about a thread that is gone. */
export function forgetChanges(threadId: string): void {
  if (watching?.threadId === threadId) watching = null
  clearTimeout(commentReloads.get(threadId))
  commentReloads.delete(threadId)
  useChanges.getState().forgetThread(threadId)
}

/** Fetches a thread's review comments, re-anchored by the core to the files as they are now. */
export async function loadComments(threadId: string): Promise<void> {
  try {
    const { comments } = await request('review/comments', { threadId })
    patch(threadId, { comments })
  } catch (e) {
    console.warn('Skein: could not load review comments', e)
  }
}

function scheduleCommentReload(threadId: string): void {
  clearTimeout(commentReloads.get(threadId))
  commentReloads.set(
    threadId,
    setTimeout(() => {
      commentReloads.delete(threadId)
      void loadComments(threadId)
    }, 150)
  )
}

/** Puts one comment (new or edited) into the thread's list. */
export function upsertComment(threadId: string, comment: ReviewComment): void {
  const list = useChanges.getState().byThread[threadId]?.comments ?? []
  const i = list.findIndex((c) => c.id === comment.id)
  patch(threadId, { comments: i >= 0 ? list.map((c) => (c.id === comment.id ? comment : c)) : [...list, comment] })
}

/** Removes a deleted comment from the thread's list. */
export function dropComment(threadId: string, commentId: string): void {
  const list = useChanges.getState().byThread[threadId]?.comments ?? []
  patch(threadId, { comments: list.filter((c) => c.id !== commentId) })
}
