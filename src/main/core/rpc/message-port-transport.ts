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

/** Serves the protocol over an Electron MessagePortMain handed to the renderer. */
export function messagePortTransport(port: MainMessagePort): MessageTransport {
  const transport: MessageTransport = {
    send: (text) => port.postMessage(text),
    onMessage(listener): Disposable {
      const l = (e: { data: unknown }) => listener(typeof e.data === 'string' ? e.data : JSON.stringify(e.data))
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
