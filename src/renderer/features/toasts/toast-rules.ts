/** The parts of a toast the stacking rules look at. */
export interface ToastShape {
  kind: 'info' | 'success' | 'warning' | 'error'
  title: string
  message?: string
  /** True when the toast offers a choice the person has to make (Copy, Send to the built-in agent, …). */
  needsAction: boolean
}

/** At most this many toasts show at once; older ones that need nothing of the person make room. */
export const MAX_VISIBLE = 3

/** How long a toast stays before it goes by itself, in ms; null when it waits for the person. */
export function dismissAfter(t: ToastShape): number | null {
  if (t.kind === 'info' || t.kind === 'success') return t.needsAction ? 8_000 : 5_000
  // A warning or error with a choice to make stays until it is made; without one it is read, then goes.
  return t.needsAction ? null : 10_000
}

/** True when a new toast says the same as one already shown (it is then counted there, not stacked). */
export function sameToast(a: ToastShape, b: ToastShape): boolean {
  return a.kind === b.kind && a.title === b.title && (a.message ?? '') === (b.message ?? '')
}

/** Which toasts to keep when there are too many: the newest, dropping first the oldest that need no action. */
export function trimToasts<T extends ToastShape>(toasts: readonly T[], max = MAX_VISIBLE): T[] {
  const kept = [...toasts]
  while (kept.length > max) {
    const droppable = kept.findIndex((t) => !t.needsAction)
    kept.splice(droppable >= 0 && droppable < kept.length - 1 ? droppable : 0, 1)
  }
  return kept
}
