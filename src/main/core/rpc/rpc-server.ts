import { ErrorCode, type AppError } from '../../../shared/errors'
import type { Disposable, MessageTransport, RpcErrorObject, RpcId, RpcResponse } from '../../../shared/jsonrpc'
import {
  isMethodName,
  methods,
  type MethodName,
  type NotificationName,
  type NotificationOf,
  type ParsedParamsOf,
  type ResultOf
} from '../../../shared/methods'
import type { Result } from '../../../shared/result'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import { MAX_BATCH_REQUESTS, MAX_MESSAGE_BYTES, mib, tooLargeReply } from './limits'

/** The client a request came from: lets handlers send it notifications and see it leave. */
export interface Connection {
  readonly id: string
  notify<N extends NotificationName>(name: N, params: NotificationOf<N>): void
  onClose(listener: () => void): Disposable
}

/** A method's implementation: validated params in, a tagged result out. */
export type Handler<M extends MethodName> = (
  params: ParsedParamsOf<M>,
  connection: Connection
) => Promise<Result<ResultOf<M>>> | Result<ResultOf<M>>

let nextConnectionId = 1

/** A connection with no client behind it (in-process calls, tests, benches). */
export function detachedConnection(): Connection {
  return { id: `local-${nextConnectionId++}`, notify: () => undefined, onClose: () => ({ dispose: () => undefined }) }
}

const failure = (id: RpcId | null, error: RpcErrorObject): RpcResponse => ({ jsonrpc: '2.0', id, error })

// A reply can hold what the client sent (in error data); a value nested too deeply to serialise must not fail the reply.
function serialise(reply: RpcResponse | RpcResponse[]): string {
  try {
    return JSON.stringify(reply)
  } catch {
    const strip = (r: RpcResponse): RpcResponse =>
      'error' in r
        ? failure(r.id, { code: r.error.code, message: r.error.message })
        : failure(r.id, { code: ErrorCode.InternalError, message: 'Internal error: the result could not be serialised.' })
    return JSON.stringify(Array.isArray(reply) ? reply.map(strip) : strip(reply))
  }
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ')
}

/**
 * The core's JSON-RPC 2.0 endpoint. Validates every request against its zod schema, answers bad
 * input with a stable error code, and never lets one request bring the core down.
 */
export class RpcServer {
  private readonly handlers = new Map<string, Handler<MethodName>>()
  private readonly unavailable = new Map<string, string>()
  private readonly connections = new Set<MessageTransport>()

  constructor(
    private readonly bus: NotificationBus,
    private readonly logger: Logger
  ) {}

  /** Registers the implementation of one method. */
  handle<M extends MethodName>(method: M, handler: Handler<M>): void {
    this.handlers.set(method, handler as unknown as Handler<MethodName>)
  }

  /** Marks a method as known but not offered by this host (e.g. the folder picker in browser mode). */
  markUnavailable(method: MethodName, why: string): void {
    this.unavailable.set(method, why)
  }

  /** Serves one client over a transport until it closes; it receives every broadcast notification. */
  connect(transport: MessageTransport): Disposable {
    this.connections.add(transport)
    const send = (text: string) => {
      try {
        transport.send(text)
      } catch (e) {
        this.logger.warn(`Dropped a message to a client that went away: ${String(e)}`)
      }
    }
    const closeListeners = new Set<() => void>()
    const connection: Connection = {
      id: `c${nextConnectionId++}`,
      notify: (method, params) => send(JSON.stringify({ jsonrpc: '2.0', method, params })),
      onClose: (l) => {
        closeListeners.add(l)
        return { dispose: () => closeListeners.delete(l) }
      }
    }
    const subs: Disposable[] = [
      this.bus.subscribe((method, params) => send(JSON.stringify({ jsonrpc: '2.0', method, params }))),
      transport.onMessage((text) => {
        this.dispatch(text, connection).then(
          (reply) => {
            if (reply !== null) send(reply)
          },
          (e: unknown) => this.logger.error('A message could not be handled', e)
        )
      })
    ]
    let closed = false
    const dispose = () => {
      if (closed) return
      closed = true
      this.connections.delete(transport)
      for (const s of subs.splice(0)) s.dispose()
      for (const l of [...closeListeners]) {
        try {
          l()
        } catch (e) {
          this.logger.error('A connection close listener failed', e)
        }
      }
    }
    subs.push(transport.onClose(dispose))
    return { dispose: () => (dispose(), transport.close()) }
  }

  /** Closes every client connection. */
  closeAll(): void {
    for (const t of [...this.connections]) t.close()
  }

  /** Handles one incoming frame; resolves with the reply text, or null when no reply is due. */
  async dispatch(text: string, connection: Connection = detachedConnection()): Promise<string | null> {
    // UTF-16 units: at most the byte count for ASCII, close enough to bound what is parsed.
    if (text.length > MAX_MESSAGE_BYTES) return tooLargeReply(`${mib(text.length)}+`)
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return JSON.stringify(failure(null, { code: ErrorCode.ParseError, message: 'Parse error: the message is not valid JSON.' }))
    }
    if (Array.isArray(message)) {
      if (message.length === 0)
        return JSON.stringify(failure(null, { code: ErrorCode.InvalidRequest, message: 'Invalid request: an empty batch.' }))
      if (message.length > MAX_BATCH_REQUESTS) {
        return JSON.stringify(
          failure(null, {
            code: ErrorCode.InvalidRequest,
            message: `Invalid request: a batch of ${message.length} requests; at most ${MAX_BATCH_REQUESTS} are allowed in one batch. Nothing in it was run.`
          })
        )
      }
      const replies = (await Promise.all(message.map((m) => this.dispatchOne(m, connection)))).filter((r): r is RpcResponse => r !== null)
      return replies.length ? serialise(replies) : null
    }
    const reply = await this.dispatchOne(message, connection)
    return reply ? serialise(reply) : null
  }

  private async dispatchOne(message: unknown, connection: Connection): Promise<RpcResponse | null> {
    const m = message as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown }
    const validId = typeof m?.id === 'string' || typeof m?.id === 'number'
    const id = validId ? (m.id as RpcId) : null
    if (!m || typeof m !== 'object' || m.jsonrpc !== '2.0' || typeof m.method !== 'string' || (m.id !== undefined && !validId)) {
      return failure(id, {
        code: ErrorCode.InvalidRequest,
        message: 'Invalid request: expected a JSON-RPC 2.0 object with "jsonrpc": "2.0", a string "method" and a string or number "id".'
      })
    }
    const isNotification = m.id === undefined
    const reply = await this.call(m.method, m.params, connection)
    if (isNotification) return null
    return 'error' in reply ? failure(id, reply.error) : { jsonrpc: '2.0', id: id as RpcId, result: reply.result }
  }

  private async call(method: string, rawParams: unknown, connection: Connection): Promise<{ result: unknown } | { error: RpcErrorObject }> {
    if (!isMethodName(method)) {
      return {
        error: { code: ErrorCode.MethodNotFound, message: `Method not found: "${method.slice(0, 100)}" is not part of the Skein protocol.` }
      }
    }
    const handler = this.handlers.get(method)
    if (!handler) {
      const why = this.unavailable.get(method) ?? 'this core does not offer it'
      return { error: { code: ErrorCode.Unsupported, message: `"${method}" is not available here: ${why}.` } }
    }
    try {
      const parsed = methods[method].params.safeParse(rawParams ?? {})
      if (!parsed.success) {
        return {
          error: {
            code: ErrorCode.InvalidParams,
            message: `Invalid params for ${method}: ${describeIssues(parsed.error.issues)}.`,
            data: parsed.error.issues
          }
        }
      }
      const outcome = await handler(parsed.data as never, connection)
      if (outcome.ok) return { result: outcome.value }
      const e: AppError = outcome.error
      return { error: e.data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data: e.data } }
    } catch (e) {
      this.logger.error(`Internal error in ${method}`, e)
      return {
        error: {
          code: ErrorCode.InternalError,
          message: `Internal error in ${method}: ${(e as Error)?.message ?? String(e)}. The core is still running; details are in its log.`
        }
      }
    }
  }
}
