import { useEffect, useState, type FormEvent, type ReactElement } from 'react'
import type { CheckpointDiff, RewindScope } from '../../../shared/checkpoints'
import type { Thread } from '../../../shared/models'
import type { HistoryPoint } from '../../state/dialogs-store'
import { useThread } from '../../state/derived'
import { errorMessage, request } from '../../state/rpc'
import { isArchived } from '../../state/threads-store'
import { formatDateTime } from '../../ui/clock'
import { Dialog, FormError } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { profileLabel } from '../agents'
import { rewindThread } from './checkpoint-actions'
import { checkpointAt, triggerLabels } from './checkpoint-format'
import { useCheckpoints } from './checkpoints-store'
import { ensureCheckpoints } from './checkpoints-sync'
import { RewindPreview } from './RewindPreview'

const scopes: Array<{ value: RewindScope; label: string; hint: string }> = [
  { value: 'both', label: 'Code and conversation', hint: 'Files and the conversation go back together.' },
  { value: 'code', label: 'Code only', hint: 'Files go back; the conversation stays as it is.' },
  { value: 'conversation', label: 'Conversation only', hint: 'The conversation goes back; files stay as they are.' }
]

/** Why the conversation cannot be rewound in this thread, or null when it can. */
export function conversationBlocked(thread: Thread): string | null {
  if ((thread.conversation.turns ?? 0) > 0 || thread.conversation.busy) return null
  if (thread.agent && thread.agent.profileId !== 'shell')
    return `${profileLabel(thread.agent.profileId)} keeps its own conversation: only the files rewind here. Fork from this point to resume its session as it was then.`
  return 'The built-in agent has no turns in this thread to rewind.'
}

/** Why the rewind cannot run now, or null. */
function rewindBlocked(thread: Thread, scope: RewindScope, diff: CheckpointDiff | null): string | null {
  if (isArchived(thread)) return 'Restore the thread first: its worktree is put away while archived.'
  if (thread.conversation.busy) return 'The agent is working: stop it before rewinding.'
  if (scope !== 'conversation' && diff && diff.blocked.length > 0)
    return `${diff.blocked.length === 1 ? 'A file blocks' : `${diff.blocked.length} files block`} the code rewind (listed above). Choose "Conversation only", or move them out of the way.`
  return null
}

const titles = (point: HistoryPoint, n: number | null): string =>
  'beforeTurn' in point
    ? 'Rewind to before this message'
    : 'afterTurn' in point
      ? 'Rewind to the end of this turn'
      : `Rewind to checkpoint ${n ?? ''}`.trimEnd()

/**
 * Rewinds a thread to a checkpoint or turn: code and conversation, code only, or conversation only, with a
 * preview of what the files would become. The state now is checkpointed first, so the rewind can be undone.
 */
export function RewindDialog({ threadId, point, onClose }: { threadId: string; point: HistoryPoint; onClose: () => void }): ReactElement {
  const thread = useThread(threadId)
  const known = useCheckpoints((s) => s.byThread[threadId])
  const checkpoint = known ? checkpointAt(known.list, point) : null
  const conversationReason = thread ? conversationBlocked(thread) : null
  const [scope, setScope] = useState<RewindScope>(conversationReason ? 'code' : 'both')
  const [diff, setDiff] = useState<CheckpointDiff | null>(null)
  const [diffError, setDiffError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const n = checkpoint?.n ?? null

  useEffect(() => ensureCheckpoints(threadId), [threadId])
  useEffect(() => {
    if (n === null) return
    let live = true
    request('checkpoint/diff', { threadId, checkpoint: n }).then(
      (d) => live && setDiff(d),
      (e: unknown) => live && setDiffError(errorMessage(e))
    )
    return () => {
      live = false
    }
  }, [threadId, n])

  if (!thread)
    return (
      <Dialog title="Rewind" onClose={onClose}>
        {<p className="dialog-body">This thread no longer exists.</p>}
      </Dialog>
    )

  const missing = known?.loaded && !checkpoint
  const blocked = rewindBlocked(thread, scope, diff)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!checkpoint || busy || blocked) return
    setBusy(true)
    setError(null)
    const problem = await rewindThread(threadId, 'afterTurn' in point ? { turnId: point.afterTurn } : { checkpoint: checkpoint.n }, scope)
    if (problem) {
      setBusy(false)
      setError(problem)
    } else onClose()
  }

  return (
    <Dialog
      title={titles(point, n)}
      description={
        checkpoint ? (
          <>
            Checkpoint {checkpoint.n} · {checkpoint.label || triggerLabels[checkpoint.trigger]} · {formatDateTime(checkpoint.createdAt)}
          </>
        ) : undefined
      }
      onClose={onClose}
      width={920}
    >
      <form className="dialog-body rewind-form" onSubmit={submit} noValidate>
        {missing ? (
          <div className="banner banner-note" role="note">
            <Icon name="info" size={14} />
            <span>
              No checkpoint holds this point: it is from before checkpoints were taken, or it was pruned. The Timeline tab lists the
              checkpoints this thread has.
            </span>
          </div>
        ) : !checkpoint ? (
          <div className="rewind-preview is-loading" aria-busy="true">
            <div className="spinner" aria-hidden="true" />
          </div>
        ) : (
          <>
            <fieldset className="rewind-scope">
              <legend className="field-label">What to rewind</legend>
              <div className="segmented" role="radiogroup" aria-label="What to rewind">
                {scopes.map((s) => {
                  const disabled = s.value !== 'code' && !!conversationReason
                  return (
                    <button
                      key={s.value}
                      type="button"
                      role="radio"
                      className="segment"
                      aria-checked={scope === s.value}
                      disabled={disabled}
                      title={disabled ? (conversationReason ?? undefined) : s.hint}
                      onClick={() => setScope(s.value)}
                    >
                      {s.label}
                    </button>
                  )
                })}
              </div>
              <p className="field-hint">{conversationReason ?? scopes.find((s) => s.value === scope)?.hint}</p>
            </fieldset>
            {scope === 'conversation' ? (
              <div className="banner banner-note" role="note">
                <Icon name="info" size={14} />
                <span>Files stay as they are. Later turns stay in the log, marked rewound, and leave the agent&apos;s context.</span>
              </div>
            ) : (
              <RewindPreview threadId={threadId} checkpoint={checkpoint} diff={diff} error={diffError} />
            )}
          </>
        )}
        <FormError message={error} />
        <footer className="dialog-footer">
          <span className="footer-hint">{blocked ?? 'The state now is checkpointed first, so you can undo this.'}</span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!checkpoint || busy || !!blocked || (scope !== 'conversation' && !diff)}
          >
            <Icon name="restore" size={13} />
            {busy ? 'Rewinding…' : 'Rewind'}
          </button>
        </footer>
      </form>
    </Dialog>
  )
}
