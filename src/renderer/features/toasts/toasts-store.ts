import { create } from 'zustand'

/** How a toast looks and whether it goes away on its own. */
export type ToastKind = 'info' | 'success' | 'warning' | 'error'

/** Something a person can do from a toast. */
export interface ToastAction {
  label: string
  run: () => void
}

/** One notification in the toast stack. */
export interface Toast {
  id: number
  kind: ToastKind
  title: string
  message?: string
  action?: ToastAction
  /** A second choice shown beside `action`. */
  secondAction?: ToastAction
}

interface ToastsState {
  toasts: Toast[]
  push: (toast: Omit<Toast, 'id'>) => number
  dismiss: (id: number) => void
}

const AUTO_DISMISS_MS = 5000
const MAX_TOASTS = 5
let nextId = 1
const timers = new Map<number, ReturnType<typeof setTimeout>>()

/** The toast stack: info and success fade after 5 s, errors stay until dismissed. */
export const useToasts = create<ToastsState>()((set, get) => ({
  toasts: [],
  push: (toast) => {
    const id = nextId++
    set((s) => {
      const toasts = [...s.toasts, { ...toast, id }]
      for (const dropped of toasts.slice(0, Math.max(0, toasts.length - MAX_TOASTS))) clearTimer(dropped.id)
      return { toasts: toasts.slice(-MAX_TOASTS) }
    })
    if (toast.kind !== 'error' && toast.kind !== 'warning') timers.set(id, setTimeout(() => get().dismiss(id), AUTO_DISMISS_MS))
    return id
  },
  dismiss: (id) => {
    clearTimer(id)
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
  }
}))

function clearTimer(id: number): void {
  const timer = timers.get(id)
  if (timer !== undefined) clearTimeout(timer)
  timers.delete(id)
}
