import { useEffect, useLayoutEffect, useRef, useState, type ReactElement, type ReactNode } from 'react'
import { request } from '../../state/rpc'
import { Dialog, FormError, SubmitFooter } from '../../ui/Dialog'
import { hasPrimaryModifier, shortcutLabel } from '../../ui/keyboard'
import { commitAll } from './changes-actions'
import { suggestCommitMessage } from './commit-message'

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
export function ConfirmDialog({
  title,
  description,
  confirmLabel,
  busyLabel,
  onConfirm,
  onClose,
  children
}: ConfirmDialogProps): ReactElement {
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

/**
 * Asks for a commit message, then commits every change in the thread's worktree. The message box has the
 * focus and starts with a suggestion (the thread's title, then the uncommitted files), selected so typing replaces it.
 */
export function CommitDialog({
  threadId,
  title,
  files,
  onClose
}: {
  threadId: string
  title: string
  files: number
  onClose: () => void
}): ReactElement {
  const [message, setMessage] = useState(() => suggestCommitMessage(title, []))
  const [uncommitted, setUncommitted] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const area = useRef<HTMLTextAreaElement>(null)
  const edited = useRef(false)
  const selectSuggestion = useRef(true)

  // The files that the commit takes (the uncommitted ones, not the tab's scope) complete the suggestion.
  useEffect(() => {
    let live = true
    request('review/changes', { threadId, scope: 'uncommitted' }).then(
      (set) => {
        if (!live) return
        setUncommitted(set.files.length)
        if (edited.current) return
        selectSuggestion.current = true
        setMessage(suggestCommitMessage(title, set.files))
      },
      () => {} // the suggestion stays the title alone; committing reports any real problem
    )
    return () => {
      live = false
    }
  }, [threadId, title])
  // A suggestion is selected once it is in the box, so typing replaces it.
  useLayoutEffect(() => {
    if (!selectSuggestion.current) return
    selectSuggestion.current = false
    area.current?.select()
  }, [message])

  const submit = async () => {
    if (!message.trim() || busy) return
    setBusy(true)
    const refusal = await commitAll(threadId, message.trim())
    setBusy(false)
    if (refusal) setError(refusal)
    else onClose()
  }

  const count = uncommitted ?? files
  return (
    <Dialog
      title="Commit changes"
      description={`Stages everything in the thread's worktree (${count} ${uncommitted === null ? 'changed' : 'uncommitted'} file${count === 1 ? '' : 's'}, untracked ones included) and commits it on the thread's branch.`}
      onClose={onClose}
      initialFocus={area}
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
          ref={area}
          className="input commit-message"
          rows={6}
          value={message}
          placeholder="Summarise the change in one line, then explain why"
          onChange={(e) => {
            edited.current = true
            setMessage(e.target.value)
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && hasPrimaryModifier(e)) {
              e.preventDefault()
              void submit()
            }
          }}
        />
        <FormError message={error} />
        <SubmitFooter
          label="Commit"
          busyLabel="Committing…"
          busy={busy}
          disabled={!message.trim()}
          onCancel={onClose}
          hint={`${shortcutLabel('Enter')} to commit`}
        />
      </form>
    </Dialog>
  )
}
