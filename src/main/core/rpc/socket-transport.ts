import { connect, createServer, type Server, type Socket } from 'node:net'
import { chmod, rm } from 'node:fs/promises'
import type { Disposable, MessageTransport } from '../../../shared/jsonrpc'

/** Newline-delimited JSON over a local socket or named pipe: the CLI's transport, both ends. */
export function socketTransport(socket: Socket): MessageTransport {
  const messageListeners = new Set<(text: string) => void>()
  // Pending pieces of an unfinished line; only each new chunk is scanned, so a large frame costs O(n).
  let pending: string[] = []
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    let start = 0
    let nl: number
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
      pending.push(chunk.slice(start, nl))
      const line = pending.join('')
      pending = []
      start = nl + 1
      if (line.trim()) for (const l of messageListeners) l(line)
    }
    if (start < chunk.length) pending.push(chunk.slice(start))
  })
  socket.on('error', () => socket.destroy())
  return {
    send: (text) => {
      if (!socket.destroyed) socket.write(`${text}\n`)
    },
    onMessage(listener): Disposable {
      messageListeners.add(listener)
      return { dispose: () => messageListeners.delete(listener) }
    },
    onClose(listener): Disposable {
      socket.on('close', listener)
      return { dispose: () => socket.off('close', listener) }
    },
    close: () => socket.end()
  }
}

/** Tells whether something is already answering on a socket path. */
export function probeSocket(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path)
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

/** Listens on SKEIN_HOME/skein.sock (a named pipe on Windows); a stale socket file is replaced. */
export async function listenOnSocket(path: string, onConnection: (transport: MessageTransport) => void): Promise<Server | { alreadyRunning: true }> {
  if (await probeSocket(path)) return { alreadyRunning: true }
  if (process.platform !== 'win32') await rm(path, { force: true })
  const server = createServer((socket) => onConnection(socketTransport(socket)))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => {
      server.off('error', reject)
      resolve()
    })
  })
  // Only this user may talk to the core.
  if (process.platform !== 'win32') await chmod(path, 0o600)
  return server
}
