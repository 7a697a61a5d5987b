import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { Core } from '../core'
import { MAX_MESSAGE_BYTES } from '../rpc/limits'
import { webSocketTransport } from '../rpc/websocket-transport'
import { CONTENT_SECURITY_POLICY } from './csp'
import { readStatic } from './static-files'
import { isAllowedHost, isAuthorized, NO_TOKEN_PAGE, requestToken, tokenCookie } from './token-auth'

/** Where and how browser mode listens. */
export interface BrowserServerOptions {
  core: Core
  rendererDir: string
  token: string
  host?: string
  port?: number
}

/** A running browser-mode server. */
export interface BrowserServer {
  url: string
  port: number
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS })
  res.end(text)
}

/** Serves the built renderer over HTTP and the protocol over a WebSocket at /rpc; both need the token. */
export async function startBrowserServer(o: BrowserServerOptions): Promise<BrowserServer> {
  const host = o.host ?? '127.0.0.1'
  let port = o.port ?? 0
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  // Errors of one client (a bad frame, a reset) are that client's; none may end the core.
  wss.on('error', () => undefined)

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (!isAllowedHost(req, port)) return refuse(res, 421, 'Skein: unexpected Host header.')
      if (!isAuthorized(req, o.token)) {
        res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS })
        return void res.end(req.method === 'HEAD' ? undefined : NO_TOKEN_PAGE)
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.')
      const path = new URL(req.url ?? '/', 'http://x').pathname
      const file = await readStatic(o.rendererDir, path)
      if (!file) return refuse(res, 404, 'Not found.')
      // Built assets carry a content hash in their names, so a reload takes them (and V8's compiled code) from the cache.
      const cache = path.startsWith('/assets/') && !file.type.startsWith('text/html') ? 'private, max-age=31536000, immutable' : 'no-cache'
      const headers: Record<string, string> = { 'Content-Type': file.type, 'Cache-Control': cache, ...SECURITY_HEADERS }
      if (requestToken(req).fromQuery) headers['Set-Cookie'] = tokenCookie(o.token)
      res.writeHead(200, headers)
      res.end(req.method === 'HEAD' ? undefined : file.body)
    })().catch(() => refuse(res, 500, 'Internal error.'))
  })

  server.on('upgrade', (req, socket, head) => {
    // Node hands the raw socket over without an error listener; a reset here must not end the core.
    socket.on('error', () => socket.destroy())
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const origin = req.headers.origin
    const sameOrigin = !origin || origin === `http://${req.headers.host}`
    if (path !== '/rpc' || !isAllowedHost(req, port) || !sameOrigin || !isAuthorized(req, o.token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nSkein: a valid token is required.\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      try {
        o.core.connect(webSocketTransport(ws))
      } catch {
        ws.terminate()
      }
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  server.on('error', () => undefined)
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${port}/?token=${encodeURIComponent(o.token)}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
