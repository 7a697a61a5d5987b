import { useRef, useState, type ReactElement } from 'react'
import { Dialog } from '../../ui/Dialog'
import { useThread } from '../../state/derived'
import { deleteThread } from '../../state/thread-actions'

/** Confirms deleting a thread; the core snapshots uncommitted work before removing the worktree. */
export function DeleteThreadDialog({ threadId, onClose }: { threadId: string; onClose: () => void }): ReactElement | null {
  const thread = useThread(threadId)
  const [busy, setBusy] = useState(false)
  const cancel = useRef<HTMLButtonElement>(null)
  if (!thread) return null

  const confirm = async () => {
    setBusy(true)
    const ok = await deleteThread(thread)
    if (ok) onClose()
    else setBusy(false)
  }

  return (
    <Dialog
      title="Delete thread?"
      description={
        <>
          {thread.mode === 'local' ? (
            <>
              <strong>{thread.title}</strong> will be deleted. Your repository&apos;s checkout is not touched.
            </>
          ) : (
            <>
              <strong>{thread.title}</strong> and its worktree folder will be deleted. Every file in it is first saved to{' '}
              <code>refs/skein/snapshots/{thread.id}</code>, and branch <code>{thread.branch ?? `skein/${thread.slug}`}</code> is kept.
            </>
          )}
        </>
      }
      onClose={onClose}
      initialFocus={cancel}
      width={420}
      alert
    >
      <div className="dialog-body">
        <footer className="dialog-footer">
          <button ref={cancel} type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void confirm()}>
            {busy ? 'Deleting…' : 'Delete thread'}
          </button>
        </footer>
      </div>
    </Dialog>
  )
}
