import { useRef, useState, type ReactElement } from 'react'
import { Dialog } from '../../ui/Dialog'
import { closePty } from './terminal-actions'
import { useTerminals } from './terminal-store'
import { terminalLabel } from './TerminalTabs'

/** Confirms closing a terminal whose process still runs (closing kills its whole process tree). */
export function CloseTerminalDialog({
  threadId,
  ptyId,
  onClose
}: {
  threadId: string
  ptyId: string
  onClose: () => void
}): ReactElement | null {
  const ptys = useTerminals((s) => s.ptysByThread[threadId])
  const pty = ptys?.find((p) => p.id === ptyId)
  const [busy, setBusy] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  if (!pty || !ptys) return null
  const label = terminalLabel(pty, ptys)

  const confirm = async () => {
    setBusy(true)
    await closePty(pty)
    onClose()
  }

  return (
    <Dialog
      title={`Close ${label}?`}
      description={
        <>
          <code>{pty.command || label}</code> is still running. Closing the tab stops it and every process it started.
        </>
      }
      onClose={onClose}
      initialFocus={confirmRef}
      width={420}
      alert
    >
      <div className="dialog-body">
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button ref={confirmRef} type="button" className="btn btn-danger" disabled={busy} onClick={() => void confirm()}>
            {busy ? 'Closing…' : 'Close terminal'}
          </button>
        </footer>
      </div>
    </Dialog>
  )
}
