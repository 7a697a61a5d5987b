import type { ReactElement } from 'react'
import { useDialogs } from '../../state/dialogs-store'
import { Dialog } from '../../ui/Dialog'

/** What a dialog that needs a repository shows when there is none yet: why, and a way to add one. */
export function NeedsRepoDialog({ title, why, onClose }: { title: string; why: string; onClose: () => void }): ReactElement {
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="dialog-body">
        <p className="dialog-empty">Add a repository first: {why}</p>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={() => useDialogs.getState().open({ kind: 'add-repo' })}>
            Add repository
          </button>
        </footer>
      </div>
    </Dialog>
  )
}
