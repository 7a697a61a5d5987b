import { useRef, useState, type FormEvent, type ReactElement } from 'react'
import { Dialog, FormError, SubmitFooter } from '../../ui/Dialog'
import { useThread } from '../../state/derived'
import { renameThread } from '../../state/thread-actions'

/** Renames a thread; opened from the context menu or F2. */
export function RenameThreadDialog({ threadId, onClose }: { threadId: string; onClose: () => void }): ReactElement | null {
  const thread = useThread(threadId)
  const [title, setTitle] = useState(thread?.title ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  if (!thread) return null

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!title.trim()) return setError('A title is required.')
    setBusy(true)
    const failure = await renameThread(thread, title, { inline: true })
    setBusy(false)
    if (failure) setError(failure)
    else onClose()
  }

  return (
    <Dialog title="Rename thread" onClose={onClose} initialFocus={input} width={420}>
      <form className="dialog-body" onSubmit={submit} noValidate>
        <label className="field-label" htmlFor="rename-thread-title">
          Title
        </label>
        <input
          id="rename-thread-title"
          ref={input}
          className="input"
          value={title}
          maxLength={200}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
          onChange={(e) => {
            setTitle(e.target.value)
            setError(null)
          }}
        />
        <FormError message={error} />
        <SubmitFooter label="Rename" busyLabel="Saving…" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  )
}
