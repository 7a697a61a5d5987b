import { RpcClient } from '../../shared/rpc-client'
import type { Disposable, MessageTransport } from '../../shared/jsonrpc'

/** How this page reaches the core: Electron's MessagePort, or a WebSocket in browser mode. */
export type ConnectionKind = 'electron' | 'browser'

function listenerSet<T>() {
  const set = new Set<(v: T) => void>()
  return {
    add(l: (v: T) => void): Disposable {
      set.add(l)
      return { dispose: () => set.delete(l) }
    },
    emit(v: T) {
      for (const l of [...set]) l(v)
    }
  }
}

/** Wraps a DOM MessagePort (handed over by the preload) as a transport. */
export function messagePortTransport(port: MessagePort): MessageTransport {
  const messages = listenerSet<string>()
  const closes = listenerSet<void>()
  port.onmessage = (e) => messages.emit(typeof e.data === 'string' ? e.data : JSON.stringify(e.data))
  port.start()
  return {
    send: (text) => port.postMessage(text),
    onMessage: messages.add,
    onClose: closes.add,
    close: () => {
      port.close()
      closes.emit()
    }
  }
}

/** Wraps an open browser WebSocket as a transport. */
export function webSocketTransport(ws: WebSocket): MessageTransport {
  const messages = listenerSet<string>()
  const closes = listenerSet<void>()
  ws.addEventListener('message', (e) => messages.emit(String(e.data)))
  ws.addEventListener('close', () => closes.emit())
  return {
    send: (text) => ws.send(text),
    onMessage: messages.add,
    onClose: closes.add,
    close: () => ws.close()
  }
}

/** The browser-mode token: from the URL on first load, then from this tab's session. */
export function browserToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.search).get('token')
  if (fromUrl) {
    sessionStorage.setItem('skein.token', fromUrl)
    return fromUrl
  }
  return sessionStorage.getItem('skein.token')
}

const inElectron = (): boolean => navigator.userAgent.includes('Electron/')

/** Which transport this page should use. */
export function connectionKind(): ConnectionKind {
  return inElectron() ? 'electron' : 'browser'
}

function openWebSocket(token: string | null): Promise<WebSocket> {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  // Without a token in this tab, the session cookie set on the first visit authorises the socket.
  const query = token ? `?token=${encodeURIComponent(token)}` : ''
  const ws = new WebSocket(`${proto}//${window.location.host}/rpc${query}`)
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve(ws), { once: true })
    ws.addEventListener('error', () => reject(new Error('Could not reach the Skein core.')), { once: true })
  })
}

function waitForElectronPort(): Promise<MessagePort> {
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent) => {
      if (e.source === window && e.data === 'skein:port' && e.ports[0]) {
        window.removeEventListener('message', onMessage)
        resolve(e.ports[0])
      }
    }
    window.addEventListener('message', onMessage)
  })
}

/** Opens one connection to the core. Rejects when the core cannot be reached. */
export async function connectToCore(): Promise<RpcClient> {
  if (inElectron()) return new RpcClient(messagePortTransport(await waitForElectronPort()))
  return new RpcClient(webSocketTransport(await openWebSocket(browserToken())))
}
