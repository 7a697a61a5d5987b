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

/** The page's end of a MessagePort (a DOM MessagePort the preload handed over), as a transport; the core holds the other end. */
export function pagePortTransport(port: MessagePort): MessageTransport {
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

/** What the Electron shell tells the page: a fresh port to the core, or that the core stopped. */
export type ElectronCoreEvent = 'port' | 'stopped'

// The preload may post a port at any moment (first load, or after the core restarts), not only while
// a connection attempt waits: the newest unclaimed port is kept until the next attempt takes it.
let unclaimedPort: MessagePort | null = null
let portWaiter: ((port: MessagePort) => void) | null = null
const coreEvents = listenerSet<ElectronCoreEvent>()
let listening = false

function listenToShell(): void {
  if (listening) return
  listening = true
  window.addEventListener('message', (e: MessageEvent) => {
    if (e.source !== window) return
    if (e.data === 'skein:port' && e.ports[0]) {
      const port = e.ports[0]
      if (portWaiter) {
        const take = portWaiter
        portWaiter = null
        take(port)
      } else {
        unclaimedPort?.close()
        unclaimedPort = port
        coreEvents.emit('port')
      }
    } else if (e.data === 'skein:core-stopped') {
      coreEvents.emit('stopped')
    }
  })
}

/** Follows the Electron shell's news about the core (no-op outside Electron). */
export function onElectronCoreEvent(listener: (event: ElectronCoreEvent) => void): Disposable {
  if (inElectron()) listenToShell()
  return coreEvents.add(listener)
}

function waitForElectronPort(): Promise<MessagePort> {
  listenToShell()
  if (unclaimedPort) {
    const port = unclaimedPort
    unclaimedPort = null
    return Promise.resolve(port)
  }
  return new Promise((resolve) => {
    portWaiter = resolve
  })
}

/** Opens one connection to the core. Rejects when the core cannot be reached. */
export async function connectToCore(): Promise<RpcClient> {
  if (inElectron()) return new RpcClient(pagePortTransport(await waitForElectronPort()))
  return new RpcClient(webSocketTransport(await openWebSocket(browserToken())))
}
