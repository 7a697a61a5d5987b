import { useEffect, useId, useRef, type KeyboardEvent, type ReactElement, type ReactNode, type RefObject } from 'react'
import { createPortal } from 'react-dom'
import { Icon } from './Icon'

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** Props of a modal dialog. */
export interface DialogProps {
  title: string
  /** One line under the title explaining what the dialog does. */
  description?: ReactNode
  onClose: () => void
  children: ReactNode
  /** The element focused on open; defaults to the first focusable one. */
  initialFocus?: RefObject<HTMLElement | null>
  width?: number
  /** Marks an alert dialog (confirmations), announced with more urgency. */
  alert?: boolean
}

/** A modal dialog: traps focus, closes on Escape or a backdrop click, and gives focus back on close. */
export function Dialog({ title, description, onClose, children, initialFocus, width = 460, alert }: DialogProps): ReactElement {
  const panel = useRef<HTMLDivElement>(null)
  const titleId = useId()
  const descriptionId = useId()
  const closeRef = useRef(onClose)
  closeRef.current = onClose

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const target = initialFocus?.current ?? panel.current?.querySelector<HTMLElement>(FOCUSABLE)
    ;(target ?? panel.current)?.focus()
    return () => {
      if (previous && previous.isConnected) previous.focus()
    }
    // focus once, on open
  }, [])

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      e.preventDefault()
      closeRef.current()
      return
    }
    if (e.key !== 'Tab' || !panel.current) return
    const items = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null)
    if (items.length === 0) return
    const first = items[0]
    const last = items[items.length - 1]
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }

  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) closeRef.current()
      }}
    >
      <div
        ref={panel}
        className="dialog"
        role={alert ? 'alertdialog' : 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        style={{ width }}
        onKeyDown={onKeyDown}
      >
        <header className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <button type="button" className="icon-btn" aria-label="Close dialog" onClick={() => closeRef.current()}>
            <Icon name="close" size={13} />
          </button>
        </header>
        {description && (
          <p id={descriptionId} className="dialog-description">
            {description}
          </p>
        )}
        {children}
      </div>
    </div>,
    document.body
  )
}

/** An inline error inside a dialog, announced to screen readers. */
export function FormError({ message }: { message: string | null }): ReactElement | null {
  if (!message) return null
  return (
    <div className="form-error" role="alert">
      <Icon name="alert" size={14} />
      <span>{message}</span>
    </div>
  )
}

/** A form dialog's footer: an optional hint, Cancel, and the submit button (disabled and relabelled while busy). */
export function SubmitFooter({
  label,
  busyLabel,
  busy,
  disabled = false,
  onCancel,
  hint
}: {
  label: string
  busyLabel: string
  busy: boolean
  disabled?: boolean
  onCancel: () => void
  hint?: ReactNode
}): ReactElement {
  return (
    <footer className="dialog-footer">
      {hint && <span className="footer-hint">{hint}</span>}
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="btn btn-primary" disabled={busy || disabled}>
        {busy ? busyLabel : label}
      </button>
    </footer>
  )
}
