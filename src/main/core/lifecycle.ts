/** Something that holds resources until it is disposed; disposal may take time (flushing, killing processes). */
export interface AsyncDisposable {
  dispose(): void | Promise<void>
}

/** A disposable that runs `fn` once. */
export function toDisposable(fn: () => void | Promise<void>): AsyncDisposable {
  let done = false
  return {
    dispose: () => {
      if (done) return
      done = true
      return fn()
    }
  }
}

/**
 * Owns what was started, VS Code style: disposes everything added, in the reverse order of adding,
 * each awaited before the next, so what was built first (the store) is closed last. A failure in one
 * disposal is reported and the rest still run. Anything added after disposal is disposed at once.
 */
export class DisposableStore implements AsyncDisposable {
  private readonly items: AsyncDisposable[] = []
  private disposing: Promise<void> | null = null

  constructor(private readonly onError: (e: unknown) => void = () => undefined) {}

  /** Adds a disposable and returns it, so construction and ownership read as one line. */
  add<T extends AsyncDisposable>(item: T): T {
    if (this.disposing) void Promise.resolve(item.dispose()).catch(this.onError)
    else this.items.push(item)
    return item
  }

  /** Disposes everything in reverse order; calling it again waits for the same disposal. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      for (const item of this.items.splice(0).reverse()) {
        try {
          await item.dispose()
        } catch (e) {
          this.onError(e)
        }
      }
    })()
    return this.disposing
  }
}
