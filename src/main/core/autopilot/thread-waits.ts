/** How a wait ended: its condition held (with what it found), its time ran out, or it was called off. */
export type WaitEnd<T> = { kind: 'met'; value: T } | { kind: 'timeout' } | { kind: 'aborted' }

/**
 * Waits on per-thread conditions without polling: a condition is checked when the wait starts and
 * again each time something about its thread changes (`poke`), until it holds, its deadline passes
 * (a real timeout, not a pause) or its signal aborts.
 */
export class ThreadWaits {
  private readonly waiting = new Map<string, Set<() => void>>()

  /** Resolves once `check` returns a value other than undefined. */
  wait<T>(threadId: string, check: () => T | undefined, o: { signal: AbortSignal; timeoutMs: number }): Promise<WaitEnd<T>> {
    return new Promise((resolve) => {
      const set = this.waiting.get(threadId) ?? new Set<() => void>()
      this.waiting.set(threadId, set)
      const finish = (end: WaitEnd<T>) => {
        clearTimeout(timer)
        o.signal.removeEventListener('abort', onAbort)
        set.delete(look)
        if (set.size === 0 && this.waiting.get(threadId) === set) this.waiting.delete(threadId)
        resolve(end)
      }
      const look = () => {
        const value = check()
        if (value !== undefined) finish({ kind: 'met', value })
      }
      const onAbort = () => finish({ kind: 'aborted' })
      const timer = setTimeout(() => finish({ kind: 'timeout' }), o.timeoutMs)
      timer.unref?.()
      if (o.signal.aborted) return finish({ kind: 'aborted' })
      o.signal.addEventListener('abort', onAbort)
      set.add(look)
      look()
    })
  }

  /** Something about the thread changed: its conditions are checked again. */
  poke(threadId: string): void {
    for (const look of [...(this.waiting.get(threadId) ?? [])]) look()
  }
}
