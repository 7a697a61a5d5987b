import type { WebSocket } from 'ws'
import type { Disposable, MessageTransport } from '../../../shared/jsonrpc'

/** Serves the protocol over one accepted WebSocket (browser mode). */
export function webSocketTransport(ws: WebSocket): MessageTransport {
  return {
    send: (text) => {
      if (ws.readyState === ws.OPEN) ws.send(text)
    },
    onMessage(listener): Disposable {
      const l = (data: Buffer, isBinary: boolean) => listener(isBinary ? '' : data.toString('utf8'))
      ws.on('message', l)
      return { dispose: () => ws.off('message', l) }
    },
    onClose(listener): Disposable {
      ws.on('close', listener)
      return { dispose: () => ws.off('close', listener) }
    },
    close: () => ws.close()
  }
}
