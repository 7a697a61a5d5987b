/** A JSON-RPC 2.0 request id. */
export type RpcId = string | number

/** A JSON-RPC 2.0 request. */
export interface RpcRequest {
  jsonrpc: '2.0'
  id: RpcId
  method: string
  params?: unknown
}

/** A JSON-RPC 2.0 notification (no id, no response). */
export interface RpcNotification {
  jsonrpc: '2.0'
  method: string
  params?: unknown
}

/** A JSON-RPC 2.0 error object. */
export interface RpcErrorObject {
  code: number
  message: string
  data?: unknown
}

/** A JSON-RPC 2.0 response. */
export type RpcResponse = { jsonrpc: '2.0'; id: RpcId; result: unknown } | { jsonrpc: '2.0'; id: RpcId | null; error: RpcErrorObject }

/** Any message that crosses a transport. */
export type RpcMessage = RpcRequest | RpcNotification | RpcResponse

/** Something that can be torn down. */
export interface Disposable {
  dispose(): void
}

/** A bidirectional channel of JSON-RPC text frames (MessagePort, WebSocket or local socket). */
export interface MessageTransport {
  send(text: string): void
  onMessage(listener: (text: string) => void): Disposable
  onClose(listener: () => void): Disposable
  close(): void
}
