import { errorMessage } from '../../app/rpc'
import { useToasts, type ToastAction } from './toasts-store'

/** Shows a failed request as an error toast carrying the core's message. */
export function notifyError(title: string, error: unknown, action?: ToastAction): void {
  useToasts.getState().push({ kind: 'error', title, message: errorMessage(error), action })
}

/** Shows a short-lived informational toast. */
export function notifyInfo(title: string, message?: string, action?: ToastAction): void {
  useToasts.getState().push({ kind: 'info', title, message, action })
}

/** Shows a warning toast; it stays until dismissed, as an error does. */
export function notifyWarning(title: string, message?: string, action?: ToastAction): void {
  useToasts.getState().push({ kind: 'warning', title, message, action })
}

/** Shows a short-lived success toast. */
export function notifySuccess(title: string, message?: string, action?: ToastAction): void {
  useToasts.getState().push({ kind: 'success', title, message, action })
}
