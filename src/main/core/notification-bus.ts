import type { Disposable } from '../../shared/jsonrpc'
import type { NotificationName, NotificationOf } from '../../shared/methods'

type AnyListener = (name: NotificationName, params: unknown) => void

/** Services publish protocol notifications here; every connected client subscribes. */
export class NotificationBus {
  private readonly listeners = new Set<AnyListener>()

  /** Sends a notification to every subscriber. */
  publish<N extends NotificationName>(name: N, params: NotificationOf<N>): void {
    for (const l of this.listeners) l(name, params)
  }

  /** Receives every notification until disposed. */
  subscribe(listener: AnyListener): Disposable {
    this.listeners.add(listener)
    return { dispose: () => this.listeners.delete(listener) }
  }
}
