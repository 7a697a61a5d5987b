import { useId, useRef, useState, type FormEvent, type ReactElement } from 'react'
import { useConnection } from '../../state/connection-store'
import { useDialogs } from '../../state/dialogs-store'
import { errorMessage, request } from '../../state/rpc'
import { Dialog, FormError, SubmitFooter } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { notifySuccess } from '../../state/notify'
import { useSidebar } from '../../state/sidebar-store'
import { addRepo } from './repo-actions'

/** Adds a repository by typing its path, or by choosing a folder where the host offers a picker. */
export function AddRepoDialog({ onClose }: { onClose: () => void }): ReactElement {
  const canPick = useConnection((s) => s.hello?.capabilities.pickFolder ?? false)
  const [path, setPath] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  const errorId = useId()
  const hintId = useId()

  const fail = (message: string) => {
    setError(message)
    input.current?.focus()
    input.current?.select()
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    const value = path.trim()
    if (!value) return fail('Enter the path of a folder that holds a git repository.')
    setBusy(true)
    setError(null)
    try {
      const repo = await addRepo(value)
      useSidebar.getState().setCollapsed(repo.id, false)
      onClose()
      notifySuccess(`Added ${repo.name}`, repo.path, {
        label: 'New thread',
        run: () => useDialogs.getState().open({ kind: 'new-thread', repoId: repo.id })
      })
    } catch (err) {
      setBusy(false)
      fail(errorMessage(err))
    }
  }

  const choose = async () => {
    try {
      const picked = await request('dialog/pickFolder', { title: 'Choose a git repository' })
      if (picked.path) {
        setPath(picked.path)
        setError(null)
      }
      input.current?.focus()
    } catch (err) {
      fail(errorMessage(err))
    }
  }

  return (
    <Dialog title="Add repository" onClose={onClose} initialFocus={input}>
      <form className="dialog-body" onSubmit={submit} noValidate>
        <label className="field-label" htmlFor="add-repo-path">
          Repository path
        </label>
        <div className="input-row">
          <input
            id="add-repo-path"
            ref={input}
            className="input input-mono"
            value={path}
            placeholder="/home/me/code/project"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : hintId}
            onChange={(e) => {
              setPath(e.target.value)
              if (error) setError(null)
            }}
          />
          {canPick && (
            <button type="button" className="btn" onClick={() => void choose()} disabled={busy}>
              <Icon name="folder" />
              Choose folder…
            </button>
          )}
        </div>
        <p id={hintId} className="field-hint">
          An existing git repository. Skein only reads your checkout; threads work in their own worktrees.
        </p>
        <div id={errorId}>
          <FormError message={error} />
        </div>
        <SubmitFooter label="Add repository" busyLabel="Adding…" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  )
}
