import { ErrorCode, RpcError } from '../../shared/errors'
import type { RpcClient } from '../../shared/rpc-client'
import type { MethodName, ParamsOf, ResultOf } from '../../shared/methods'

let current: RpcClient | null = null

/** Installs (or clears) the live client every feature sends its requests through. */
export function setRpcClient(client: RpcClient | null): void {
  current = client
}

/** Sends a typed request to the core over the live connection; rejects with an RpcError. */
export function request<M extends MethodName>(
  method: M,
  ...args: undefined extends ParamsOf<M> ? [params?: ParamsOf<M>] : [params: ParamsOf<M>]
): Promise<ResultOf<M>> {
  if (!current) {
    return Promise.reject(new RpcError(ErrorCode.Disconnected, 'Not connected to the Skein core. Reconnecting…'))
  }
  return current.request(method, ...args)
}

/** Sends a best-effort, high-rate message (e.g. pty/ack) without waiting for a reply; dropped while disconnected. */
export function notifyCore<M extends MethodName>(
  method: M,
  ...args: undefined extends ParamsOf<M> ? [params?: ParamsOf<M>] : [params: ParamsOf<M>]
): void {
  current?.notify(method, ...args)
}

/** The message a person should read for a failed request: the core's own words when it sent some. */
export function errorMessage(error: unknown): string {
  if (error instanceof RpcError) return error.message
  if (error instanceof Error) return error.message
  return String(error)
}

/** The stable error code of a failed request, or null when it did not come from the protocol. */
export function errorCode(error: unknown): number | null {
  return error instanceof RpcError ? error.code : null
}
