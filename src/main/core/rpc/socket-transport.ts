import { connect, createServer, type Server, type Socket } from 'node:net'
import { chmod, rm } from 'node:fs/promises'
import type { Disposable, MessageTransport } from '../../../shared/jsonrpc'
import { CLOSE_GRACE_MS, MAX_MESSAGE_BYTES, MAX_OUTBOUND_BYTES, mib, tooLargeReply } from './limits'

/** Bounds a socket transport puts on its peer; the core's end sets them, the CLI's end trusts its core. */
export interface SocketLimits {
  /** The longest line read; a longer one gets an error and the connection is closed. */
  maxLineBytes?: number
  /** Replies queued unread beyond this drop the connection. */
  maxOutboundBytes?: number
}

/** Newline-delimited JSON over a local socket or named pipe: the CLI's transport, both ends. */
export function socketTransport(socket: Socket, limits: SocketLimits = {}): MessageTransport {
  const maxLine = limits.maxLineBytes ?? Infinity
  const maxOutbound = limits.maxOutboundBytes ?? Infinity
  const messageListeners = new Set<(text: string) => void>()
  // Pending pieces of an unfinished line; only each new chunk is scanned, so a large frame costs O(n).
  let pending: string[] = []
  let pendingLength = 0
  let refused = false
  const deliver = (line: string) => {
    for (const l of messageListeners) {
      try {
        l(line)
      } catch {
        // a listener's failure is the listener's; the connection and the core go on
      }
    }
  }
  // Stops reading at once (the rest of the line is never buffered), answers, and cuts the connection.
  const refuse = (size: number) => {
    refused = true
    pending = []
    socket.pause()
    if (!socket.destroyed) socket.end(`${tooLargeReply(`over ${mib(size)}`, maxLine)}\n`)
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref()
  }
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    if (refused) return
    let start = 0
    let nl: number
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
      if (pendingLength + nl - start > maxLine) return refuse(pendingLength + nl - start)
      pending.push(chunk.slice(start, nl))
      const line = pending.join('')
      pending = []
      pendingLength = 0
      start = nl + 1
      if (line.trim()) deliver(line)
      if (refused) return
    }
    if (start < chunk.length) {
      pendingLength += chunk.length - start
      if (pendingLength > maxLine) return refuse(pendingLength)
      pending.push(chunk.slice(start))
    }
  })
  socket.on('error', () => socket.destroy())
  return {
    send: (text) => {
      if (socket.destroyed) return
      // A client that never reads would otherwise make the core hold every reply for it.
      if (socket.writableLength > maxOutbound) return void socket.destroy()
      socket.write(`${text}\n`)
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
export async function listenOnSocket(
  path: string,
  onConnection: (transport: MessageTransport) => void
): Promise<Server | { alreadyRunning: true }> {
  if (await probeSocket(path)) return { alreadyRunning: true }
  if (process.platform !== 'win32') await rm(path, { force: true })
  const server = createServer((socket) => {
    try {
      onConnection(socketTransport(socket, { maxLineBytes: MAX_MESSAGE_BYTES, maxOutboundBytes: MAX_OUTBOUND_BYTES }))
    } catch {
      socket.destroy()
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => {
      server.off('error', reject)
      // After listening, errors are per connection (e.g. EMFILE on accept): the core keeps serving the rest.
      server.on('error', () => undefined)
      resolve()
    })
  })
  // Only this user may talk to the core.
  if (process.platform !== 'win32') await chmod(path, 0o600)
  return server
}
