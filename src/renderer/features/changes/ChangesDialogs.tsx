import { useRef, useState, type ReactElement, type ReactNode } from 'react'
import { Dialog, FormError, SubmitFooter } from '../../ui/Dialog'
import { hasPrimaryModifier, shortcutLabel } from '../../ui/keyboard'
import { commitAll } from './changes-actions'

/** Props of a confirmation. */
export interface ConfirmDialogProps {
  title: string
  description: ReactNode
  confirmLabel: string
  busyLabel: string
  /** Runs the action; the dialog closes when it resolves. */
  onConfirm: () => Promise<unknown>
  onClose: () => void
  children?: ReactNode
}

/** Asks before something that throws work away (revert a file or a change). */
export function ConfirmDialog({ title, description, confirmLabel, busyLabel, onConfirm, onClose, children }: ConfirmDialogProps): ReactElement {
  const [busy, setBusy] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  return (
    <Dialog title={title} description={description} onClose={onClose} initialFocus={confirmRef} width={480} alert>
      <div className="dialog-body">
        {children}
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            ref={confirmRef}
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true)
              await onConfirm()
              onClose()
            }}
          >
            {busy ? busyLabel : confirmLabel}
          </button>
        </footer>
      </div>
    </Dialog>
  )
}

/** Asks for a commit message, then commits every change in the thread's worktree. */
export function CommitDialog({ threadId, files, onClose }: { threadId: string; files: number; onClose: () => void }): ReactElement {
  const [message, setMessage] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async () => {
    if (!message.trim() || busy) return
    setBusy(true)
    const refusal = await commitAll(threadId, message.trim())
    setBusy(false)
    if (refusal) setError(refusal)
    else onClose()
  }

  return (
    <Dialog
      title="Commit changes"
      description={`Stages everything in the thread's worktree (${files} changed file${files === 1 ? '' : 's'}, untracked ones included) and commits it on the thread's branch.`}
      onClose={onClose}
      width={520}
    >
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <label className="field-label" htmlFor="commit-message">
          Commit message
        </label>
        <textarea
          id="commit-message"
          className="input commit-message"
          rows={5}
          value={message}
          placeholder="Summarise the change in one line, then explain why"
          onChange={(e) => setMessage(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && hasPrimaryModifier(e)) {
              e.preventDefault()
              void submit()
            }
          }}
        />
        <FormError message={error} />
        <SubmitFooter label="Commit" busyLabel="Committing…" busy={busy} disabled={!message.trim()} onCancel={onClose} hint={`${shortcutLabel('Enter')} to commit`} />
      </form>
    </Dialog>
  )
}
