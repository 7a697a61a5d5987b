import type { WebSocket } from 'ws'
import type { Disposable, MessageTransport } from '../../../shared/jsonrpc'
import { CLOSE_GRACE_MS, MAX_OUTBOUND_BYTES } from './limits'

/** Serves the protocol over one accepted WebSocket (browser mode). */
export function webSocketTransport(ws: WebSocket, onError: (e: Error) => void = () => undefined): MessageTransport {
  // ws reports a bad frame (oversized, invalid UTF-8, unmasked, reserved opcode, bad close code) here after it
  // has sent the matching close code (1009, 1007, 1002); without a listener the error would end the core.
  ws.on('error', (e: Error) => {
    onError(e)
    // The peer may never answer the close frame: cut it rather than wait for ws's 30 s timer.
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref()
  })
  return {
    send: (text) => {
      if (ws.readyState !== ws.OPEN) return
      // A client that never reads would otherwise make the core hold every reply for it.
      if (ws.bufferedAmount > MAX_OUTBOUND_BYTES) return void ws.terminate()
      ws.send(text)
    },
    onMessage(listener): Disposable {
      const l = (data: Buffer, isBinary: boolean) => {
        try {
          listener(isBinary ? '' : data.toString('utf8'))
        } catch (e) {
          onError(e as Error)
        }
      }
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
