import { appError, ErrorCode } from '../../../shared/errors'
import type { Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { Transcript } from '../agent/transcript'
import type { ThreadService } from './thread-service'

/**
 * Forks a thread into a new worktree thread that starts with a copy of its conversation: from the
 * thread's own branch (a worktree thread) or the checkout's branch (a local or imported thread).
 */
export async function forkThread(
  d: { threads: ThreadService; transcript: Transcript },
  o: { threadId: string; title?: string; baseRef?: string }
): Promise<Result<Thread>> {
  const from = await d.threads.get(o.threadId)
  if (!from.ok) return from
  const t = from.value
  const baseRef = o.baseRef ?? t.branch ?? undefined
  if (!baseRef)
    return err(appError(ErrorCode.InvalidThreadState, `"${t.title}" is on a detached HEAD; say which ref the fork should start from.`))
  const made = await d.threads.create({
    repoId: t.repoId,
    title: o.title ?? `${t.title} (fork)`,
    mode: 'worktree',
    baseRef,
    permissionMode: t.conversation.permissionMode
  })
  if (!made.ok) return made
  if (made.value.status === 'error') return ok(made.value)
  for (const item of await d.transcript.items(t.id)) {
    // Only finished items carry over; a turn still running stays with the original.
    if (item.status === 'streaming' || item.status === 'running' || item.status === 'pending') continue
    const copy = { ...item, threadId: made.value.id }
    await d.transcript.save(copy)
  }
  return ok(made.value)
}
