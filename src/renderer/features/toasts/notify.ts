import { errorMessage } from '../../app/rpc'
import { useToasts, type ToastAction } from './toasts-store'

/** Shows a failed request as an error toast carrying the core's message; it goes after 10 s unless it offers an action. */
export function notifyError(title: string, error: unknown, action?: ToastAction): void {
  useToasts.getState().push({ kind: 'error', title, message: errorMessage(error), action })
}

/** Shows a short-lived informational toast. */
export function notifyInfo(title: string, message?: string, action?: ToastAction): void {
  useToasts.getState().push({ kind: 'info', title, message, action })
}

/** Shows a warning toast; like an error, it stays while it offers an action, else goes after 10 s. */
export function notifyWarning(title: string, message?: string, action?: ToastAction): void {
  useToasts.getState().push({ kind: 'warning', title, message, action })
}

/** Shows a short-lived success toast. */
export function notifySuccess(title: string, message?: string, action?: ToastAction): void {
  useToasts.getState().push({ kind: 'success', title, message, action })
}
