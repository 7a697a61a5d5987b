import type { Checkpoint, RewindScope } from '../../../shared/checkpoints'
import type { Thread } from '../../../shared/models'
import { useNavigation } from '../../state/navigation-store'
import { notifyError, notifySuccess } from '../../state/notify'
import { errorMessage, request } from '../../state/rpc'
import { useThreads } from '../../state/threads-store'
import { offerDraft, withdrawDraft } from '../conversation'
import { useCheckpoints } from './checkpoints-store'
import { files } from './checkpoint-format'

/** What a rewind goes back to: a checkpoint, or the end of a built-in turn. */
export type RewindTarget = { checkpoint: number } | { turnId: string }

/** Where a fork starts: a checkpoint, the end of a built-in turn, or the thread's state now. */
export type ForkOrigin = { checkpoint: number } | { turnId: string } | { now: true }

const quoted = (title: string) => `“${title}”`

/** Checkpoints a thread's worktree now (the button and the shortcut), with a toast saying which. */
export async function checkpointNow(threadId: string): Promise<Checkpoint | null> {
  try {
    const checkpoint = await request('checkpoint/create', { threadId })
    useCheckpoints.getState().add(checkpoint)
    const dirty = checkpoint.dirtyFiles ? `, ${files(checkpoint.dirtyFiles)} uncommitted` : ''
    const leftOut = checkpoint.leftOut.length ? `; left out ${checkpoint.leftOut.map((f) => f.path).join(', ')}` : ''
    notifySuccess(`Checkpoint ${checkpoint.n} taken`, `${checkpoint.label}${dirty}${leftOut}`)
    return checkpoint
  } catch (e) {
    notifyError('Could not take a checkpoint', e)
    return null
  }
}

/** What a rewind did, in a sentence for its toast. */
function rewindSummary(restore: RewindScope, files: number, prompt: string | null, placed: boolean, undoing: boolean): string {
  const code = files === 0 ? 'No file needed changing' : `${files} ${files === 1 ? 'file' : 'files'} put back`
  if (undoing) return restore === 'conversation' ? 'The turns are back in the conversation.' : `${code}, as before the rewind.`
  const parts = [
    restore === 'conversation' ? 'Files unchanged' : code,
    restore !== 'code' ? 'later turns kept, marked rewound' : null,
    prompt === null || restore === 'code' ? null : placed ? 'the prompt is back in the message box' : 'your unsent message was kept'
  ]
  return `${parts.filter(Boolean).join('; ')}.`
}

/**
 * Rewinds a thread (`thread/rewind`). A rewound prompt goes back into the composer; the toast offers Undo, which
 * rewinds to the checkpoint taken just before (and offers Redo in turn). Returns the core's refusal, or null.
 */
export async function rewindThread(threadId: string, target: RewindTarget, restore: RewindScope, undoing = false): Promise<string | null> {
  try {
    const r = await request('thread/rewind', { threadId, restore, ...target })
    useThreads.getState().upsert(r.thread)
    if (r.undo) useCheckpoints.getState().add(r.undo)
    const placed = r.prompt !== null && restore !== 'code' && offerDraft(threadId, r.prompt)
    const title = undoing
      ? 'Rewind undone'
      : `Rewound to ${'checkpoint' in target ? `checkpoint ${target.checkpoint}` : 'the end of that turn'}`
    const undo = r.undo
    const again = () =>
      void rewindThread(threadId, { checkpoint: undo!.n }, restore, !undoing).then((problem) => {
        if (problem) notifyError(undoing ? 'Could not redo the rewind' : 'Could not undo the rewind', new Error(problem))
        else if (placed) withdrawDraft(threadId, r.prompt!)
      })
    notifySuccess(
      title,
      rewindSummary(restore, r.files, r.prompt, placed, undoing),
      undo ? { label: undoing ? 'Redo' : 'Undo', run: again } : undefined
    )
    return null
  } catch (e) {
    return errorMessage(e)
  }
}

/**
 * Forks a thread (`thread/fork`): one new worktree thread per prompt (or one without), from a checkpoint, a turn's
 * end or now. Selects the first fork and names them all. Returns the core's refusal, or null.
 */
export async function forkThreadFrom(thread: Thread, origin: ForkOrigin, title: string, prompts: string[]): Promise<string | null> {
  try {
    const { threads } = await request('thread/fork', {
      threadId: thread.id,
      ...('checkpoint' in origin ? { fromCheckpoint: origin.checkpoint } : 'turnId' in origin ? { fromTurnId: origin.turnId } : {}),
      title: title.trim() || undefined,
      prompts
    })
    for (const t of threads) useThreads.getState().upsert(t)
    const first = threads[0]
    if (!first) return 'The core made no fork.'
    useNavigation.getState().selectThread(first.id)
    const failed = threads.filter((t) => t.status === 'error')
    const names = threads.map((t) => quoted(t.title)).join(', ')
    const what =
      threads.length === 1
        ? `Forked ${quoted(thread.title)} into ${names}`
        : `Forked ${quoted(thread.title)} into ${threads.length} threads`
    if (failed.length)
      notifyError(
        `${what}; ${failed.length === 1 ? 'one needs' : `${failed.length} need`} attention`,
        new Error(failed.map((t) => `${quoted(t.title)}: ${t.statusMessage ?? 'its worktree could not be created'}`).join(' '))
      )
    else notifySuccess(what, threads.length === 1 ? `In its own worktree${first.branch ? ` on ${first.branch}` : ''}.` : names)
    return null
  } catch (e) {
    return errorMessage(e)
  }
}
