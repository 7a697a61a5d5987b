import type { ReactElement } from 'react'
import { Icon } from '../../ui/Icon'
import { useToasts, type Toast } from './toasts-store'

/**
 * The toast stack, bottom right, above the conversation's composer when one is on screen (CSS anchor).
 * Errors are alerts; others are polite status messages.
 */
export function Toaster(): ReactElement {
  const toasts = useToasts((s) => s.toasts)
  return (
    <div className="toaster" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastView key={t.id} toast={t} />
      ))}
    </div>
  )
}

function ToastView({ toast }: { toast: Toast }): ReactElement {
  const { dismiss, hold, release } = useToasts.getState()
  const icon = toast.kind === 'error' || toast.kind === 'warning' ? 'alert' : toast.kind === 'success' ? 'check' : 'info'
  const actions = [toast.action, toast.secondAction].map(
    (action) =>
      action && (
        <button
          key={action.label}
          type="button"
          className="btn btn-small toast-action"
          onClick={() => {
            action.run()
            dismiss(toast.id)
          }}
        >
          {action.label}
        </button>
      )
  )
  return (
    <div
      className={`toast toast-${toast.kind}`}
      role={toast.kind === 'error' || toast.kind === 'warning' ? 'alert' : 'status'}
      onPointerEnter={() => hold(toast.id)}
      onPointerLeave={() => release(toast.id)}
      onFocus={() => hold(toast.id)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) release(toast.id)
      }}
    >
      <Icon name={icon} className="toast-icon" size={15} />
      <div className="toast-body">
        <div className="toast-title">
          {toast.title}
          {toast.count > 1 && (
            <span className="toast-count" aria-label={`${toast.count} times`}>
              ×{toast.count}
            </span>
          )}
        </div>
        {toast.message && <div className="toast-message">{toast.message}</div>}
        {/* Two actions go beneath the text, which would otherwise be squeezed to a word a line. */}
        {toast.secondAction && <div className="toast-actions">{actions}</div>}
      </div>
      {!toast.secondAction && actions}
      <button type="button" className="icon-btn toast-close" aria-label="Dismiss notification" onClick={() => dismiss(toast.id)}>
        <Icon name="close" size={12} />
      </button>
    </div>
  )
}
