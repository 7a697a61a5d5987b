import { create } from 'zustand'
import { dismissAfter, sameToast, trimToasts } from './toast-rules'

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
  /** How many times the same toast was raised while shown (1 for once). */
  count: number
  /** True for a warning or error whose action the person has to choose; it stays until they do. */
  needsAction: boolean
}

interface ToastsState {
  toasts: Toast[]
  push: (toast: Omit<Toast, 'id' | 'count' | 'needsAction'>) => number
  dismiss: (id: number) => void
  /** Stops a toast's countdown while the pointer or focus is on it. */
  hold: (id: number) => void
  /** Starts the countdown again, from the start. */
  release: (id: number) => void
}

let nextId = 1
const timers = new Map<number, ReturnType<typeof setTimeout>>()
const held = new Set<number>()

/**
 * The toast stack: toasts go by themselves (5 s, errors 10 s) unless they ask the person to choose;
 * a repeat is counted on the toast already shown, and at most three show at once.
 */
export const useToasts = create<ToastsState>()((set, get) => {
  const arm = (toast: Toast) => {
    clearTimer(toast.id)
    const ms = dismissAfter(toast)
    if (ms !== null && !held.has(toast.id))
      timers.set(
        toast.id,
        setTimeout(() => get().dismiss(toast.id), ms)
      )
  }
  return {
    toasts: [],
    push: (input) => {
      const shape = { ...input, needsAction: !!input.action && (input.kind === 'warning' || input.kind === 'error') }
      const same = get().toasts.find((t) => sameToast(t, shape))
      if (same) {
        const counted = { ...same, ...shape, id: same.id, count: same.count + 1 }
        set((s) => ({ toasts: [...s.toasts.filter((t) => t.id !== same.id), counted] }))
        arm(counted)
        return same.id
      }
      const toast: Toast = { ...shape, id: nextId++, count: 1 }
      set((s) => {
        const toasts = trimToasts([...s.toasts, toast])
        for (const t of s.toasts) if (!toasts.includes(t)) clearTimer(t.id)
        return { toasts }
      })
      arm(toast)
      return toast.id
    },
    dismiss: (id) => {
      clearTimer(id)
      held.delete(id)
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
    },
    hold: (id) => {
      held.add(id)
      clearTimer(id)
    },
    release: (id) => {
      held.delete(id)
      const toast = get().toasts.find((t) => t.id === id)
      if (toast) arm(toast)
    }
  }
})

function clearTimer(id: number): void {
  const timer = timers.get(id)
  if (timer !== undefined) clearTimeout(timer)
  timers.delete(id)
}
