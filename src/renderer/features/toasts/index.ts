/** The toasts feature: the toast stack (the notify API is in state/). */
export { Toaster } from './Toaster'
