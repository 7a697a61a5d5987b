import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react'
import type { HistoryPoint } from '../../state/dialogs-store'
import { useThread } from '../../state/derived'
import { askNotificationPermission } from '../../state/os-notifications'
import { isArchived } from '../../state/threads-store'
import { Dialog, FormError } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { shortcutLabel } from '../../ui/keyboard'
import { PromptList, usePromptRows } from '../../ui/PromptList'
import { profileLabel } from '../agents'
import { forkThreadFrom, type ForkOrigin } from './checkpoint-actions'
import { checkpointAt, describePoint } from './checkpoint-format'
import { useCheckpoints } from './checkpoints-store'
import { ensureCheckpoints } from './checkpoints-sync'

/** The most forks one action makes (`thread/fork` takes up to 8 prompts). */
const MAX_FORKS = 8

const forkLabel = (n: number): string => (n <= 1 ? 'Fork' : `Fork ${n} threads`)

/**
 * Forks a thread from a checkpoint, a turn or now into new worktree threads: one per prompt (up to 8, e.g. to try
 * three approaches at once), or a single fork with no prompt.
 */
export function ForkDialog({ threadId, point, onClose }: { threadId: string; point: HistoryPoint; onClose: () => void }): ReactElement {
  const thread = useThread(threadId)
  const known = useCheckpoints((s) => s.byThread[threadId])
  const checkpoint = known ? checkpointAt(known.list, point) : null
  const [title, setTitle] = useState('')
  const prompts = usePromptRows(1, () => ({ text: '' }))
  const { rows } = prompts
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const firstRef = useRef<HTMLTextAreaElement>(null)

  useEffect(() => ensureCheckpoints(threadId), [threadId])

  if (!thread)
    return (
      <Dialog title="Fork" onClose={onClose}>
        {<p className="dialog-body">This thread no longer exists.</p>}
      </Dialog>
    )

  // "Before this message" needs the checkpoint taken before that turn; the end of a turn and "now" the core resolves itself.
  const origin: ForkOrigin | null =
    'afterTurn' in point ? { turnId: point.afterTurn } : 'now' in point ? { now: true } : checkpoint ? { checkpoint: checkpoint.n } : null
  const missing = !origin && known?.loaded
  const cli = thread.agent && thread.agent.profileId !== 'shell' ? profileLabel(thread.agent.profileId) : null
  const filled = rows.filter((r) => r.text.trim())

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy || !origin) return
    if (rows.length > 1 && filled.length < rows.length) {
      setError('Write a prompt for each approach, or remove the empty ones. Only a single fork can start without one.')
      return
    }
    setBusy(true)
    setError(null)
    askNotificationPermission()
    const problem = await forkThreadFrom(
      thread,
      origin,
      title,
      filled.map((r) => r.text.trim())
    )
    if (problem) {
      setBusy(false)
      setError(problem)
    } else onClose()
  }

  return (
    <Dialog
      title={`Fork “${thread.title}”`}
      description={
        <>
          New threads, each in its own worktree and branch, starting from {describePoint(point, checkpoint)}: the files exactly as they were
          {cli ? `, and ${cli}'s session forked at that point` : ', and the conversation up to there'}.
        </>
      }
      onClose={onClose}
      initialFocus={firstRef}
      width={600}
    >
      <form className="dialog-body fork-form" onSubmit={submit} noValidate>
        {missing && (
          <div className="banner banner-note" role="note">
            <Icon name="info" size={14} />
            <span>
              No checkpoint holds this point (it is from before checkpoints, or was pruned). Fork from a checkpoint on the Timeline tab.
            </span>
          </div>
        )}
        {isArchived(thread) && (
          <div className="banner banner-note" role="note">
            <Icon name="info" size={14} />
            <span>This thread is archived; its forks start from the saved checkpoint all the same.</span>
          </div>
        )}
        <label className="field-label" htmlFor="fork-title">
          Title
        </label>
        <input
          id="fork-title"
          className="input"
          maxLength={200}
          value={title}
          placeholder={`${thread.title} (fork)`}
          onChange={(e) => setTitle(e.target.value)}
        />
        {rows.length > 1 && <p className="field-hint">Each fork adds the first words of its prompt to the title.</p>}
        <PromptList
          list={prompts}
          legend={rows.length > 1 ? 'Approaches' : 'Prompt'}
          max={MAX_FORKS}
          addLabel="Add another approach"
          removeLabel={(n) => `Remove approach ${n}`}
          numberedWhenSeveral
          hint={
            <p className="field-hint">
              {rows.length >= MAX_FORKS
                ? `At most ${MAX_FORKS} forks at once.`
                : 'One fork per prompt: try several approaches side by side.'}
            </p>
          }
        >
          {(r, n) => (
            <textarea
              ref={n === 1 ? firstRef : undefined}
              className="input textarea"
              rows={2}
              aria-label={rows.length > 1 ? `Approach ${n}` : 'Prompt'}
              placeholder={
                rows.length > 1
                  ? `What fork ${n} should try`
                  : cli
                    ? `Sent to ${cli} in the fork (optional)`
                    : 'The fork’s first message (optional)'
              }
              value={r.text}
              onChange={(e) => {
                prompts.update(r.key, { text: e.target.value })
                if (error) setError(null)
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit(e)
              }}
            />
          )}
        </PromptList>
        <FormError message={error} />
        <footer className="dialog-footer">
          <span className="footer-hint">
            <kbd>{shortcutLabel('Enter')}</kbd> to fork · <kbd>Esc</kbd> to close
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !origin}>
            <Icon name="fork" size={13} />
            {busy ? 'Forking…' : forkLabel(rows.length)}
          </button>
        </footer>
      </form>
    </Dialog>
  )
}
