import { ErrorCode } from '../../../shared/errors'
import type { Disposable, MessageTransport } from '../../../shared/jsonrpc'

/** The parts of Electron's MessagePortMain the core uses; typed here so the core never imports electron. */
export interface MainMessagePort {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown
  on(event: 'close', listener: () => void): unknown
  off(event: 'message' | 'close', listener: (...args: never[]) => void): unknown
  postMessage(message: unknown): void
  start(): void
  close(): void
}

const NOT_TEXT = JSON.stringify({
  jsonrpc: '2.0',
  id: null,
  error: { code: ErrorCode.InvalidRequest, message: 'Invalid request: a message must be JSON-RPC text (or a plain JSON value).' }
})

// Structured clone lets a renderer post values JSON cannot hold (cycles, BigInt); those get an error, not a crash.
function asText(data: unknown): string | null {
  if (typeof data === 'string') return data
  try {
    return JSON.stringify(data) ?? null
  } catch {
    return null
  }
}

/** The core's end of a MessagePort: serves the protocol over Electron's MessagePortMain (the renderer holds the other end). */
export function mainPortTransport(port: MainMessagePort): MessageTransport {
  const send = (text: string) => port.postMessage(text)
  const transport: MessageTransport = {
    send,
    onMessage(listener): Disposable {
      const l = (e: { data: unknown }) => {
        try {
          const text = asText(e?.data)
          if (text === null) send(NOT_TEXT)
          else listener(text)
        } catch {
          // a listener's failure must not escape into Electron's event loop
        }
      }
      port.on('message', l)
      return { dispose: () => port.off('message', l) }
    },
    onClose(listener): Disposable {
      port.on('close', listener)
      return { dispose: () => port.off('close', listener) }
    },
    close: () => port.close()
  }
  port.start()
  return transport
}
