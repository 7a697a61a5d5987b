import { ErrorCode, RpcError } from './errors'
import type { Disposable, MessageTransport, RpcId } from './jsonrpc'
import type { MethodName, NotificationName, NotificationOf, ParamsOf, ResultOf } from './methods'

type Pending = { resolve: (v: unknown) => void; reject: (e: RpcError) => void }
type Listener = (params: unknown) => void

/** The one JSON-RPC client used by the renderer and the CLI, over any transport. */
export class RpcClient implements Disposable {
  private nextId = 1
  private readonly pending = new Map<RpcId, Pending>()
  private readonly listeners = new Map<string, Set<Listener>>()
  private readonly closeListeners = new Set<() => void>()
  private readonly subscriptions: Disposable[]
  private closed = false

  constructor(private readonly transport: MessageTransport) {
    this.subscriptions = [transport.onMessage((text) => this.receive(text)), transport.onClose(() => this.handleClose())]
  }

  /** Sends a request and resolves with its typed result, or rejects with an RpcError. */
  request<M extends MethodName>(
    method: M,
    ...args: undefined extends ParamsOf<M> ? [params?: ParamsOf<M>] : [params: ParamsOf<M>]
  ): Promise<ResultOf<M>> {
    if (this.closed) {
      return Promise.reject(new RpcError(ErrorCode.Disconnected, 'Not connected to the Skein core.'))
    }
    const id = this.nextId++
    const params = args[0] ?? {}
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      try {
        this.transport.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
      } catch (e) {
        this.pending.delete(id)
        reject(new RpcError(ErrorCode.Disconnected, `Could not reach the Skein core: ${String(e)}`))
      }
    })
  }

  /**
   * Sends a request as a JSON-RPC notification: no reply, no error. For high-rate, best-effort
   * messages such as pty/ack, where a round trip per message would only add load.
   */
  notify<M extends MethodName>(method: M, ...args: undefined extends ParamsOf<M> ? [params?: ParamsOf<M>] : [params: ParamsOf<M>]): void {
    if (this.closed) return
    try {
      this.transport.send(JSON.stringify({ jsonrpc: '2.0', method, params: args[0] ?? {} }))
    } catch {
      // the close handler reports the lost connection
    }
  }

  /** Listens for one notification; returns a disposable that stops listening. */
  on<N extends NotificationName>(name: N, listener: (params: NotificationOf<N>) => void): Disposable {
    let set = this.listeners.get(name)
    if (!set) this.listeners.set(name, (set = new Set()))
    set.add(listener as Listener)
    return { dispose: () => set.delete(listener as Listener) }
  }

  /** Called once when the transport closes. */
  onClose(listener: () => void): Disposable {
    this.closeListeners.add(listener)
    return { dispose: () => this.closeListeners.delete(listener) }
  }

  /** Closes the transport and fails every pending request. */
  dispose(): void {
    this.transport.close()
    this.handleClose()
  }

  private receive(text: string): void {
    let msg: {
      id?: RpcId | null
      method?: string
      params?: unknown
      result?: unknown
      error?: { code: number; message: string; data?: unknown }
    }
    try {
      msg = JSON.parse(text)
    } catch {
      return // a frame we cannot read is dropped; the core never sends one
    }
    if (typeof msg.method === 'string' && msg.id === undefined) {
      for (const l of this.listeners.get(msg.method) ?? []) l(msg.params)
      return
    }
    if (msg.id === undefined || msg.id === null) return
    const p = this.pending.get(msg.id)
    if (!p) return
    this.pending.delete(msg.id)
    if (msg.error) p.reject(new RpcError(msg.error.code, msg.error.message, msg.error.data))
    else p.resolve(msg.result)
  }

  private handleClose(): void {
    if (this.closed) return
    this.closed = true
    for (const s of this.subscriptions) s.dispose()
    for (const p of this.pending.values()) p.reject(new RpcError(ErrorCode.Disconnected, 'The connection to the Skein core closed.'))
    this.pending.clear()
    for (const l of this.closeListeners) l()
  }
}
