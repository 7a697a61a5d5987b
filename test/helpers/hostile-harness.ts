/**
 * Clients for the hostile-client test and `npm run soak`: well-behaved JSON-RPC clients over the
 * WebSocket and the local socket, raw WebSocket frames and raw socket lines that a hostile client
 * sends, and an RSS sampler for the core process. Plain Node: no vitest imports.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import WebSocket from 'ws'

/** A JSON-RPC error a well-behaved client received. */
export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string
  ) {
    super(message)
  }
}

/** A small JSON-RPC client (its own, so the core's client code is not what is tested). */
export interface TestClient {
  request<T = any>(method: string, params?: unknown, timeoutMs?: number): Promise<T>
  /** Raw text, for frames a real client would never send; resolves with the next reply. */
  sendRaw(text: string): void
  /** Every reply that carried no id we asked for (e.g. errors to raw frames). */
  stray: unknown[]
  closed: Promise<void>
  close(): void
}

function rpcOver(
  send: (text: string) => void,
  onText: (l: (text: string) => void) => void,
  close: () => void,
  closed: Promise<void>
): TestClient {
  let next = 1
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>()
  const stray: unknown[] = []
  onText((text) => {
    let m: any
    try {
      m = JSON.parse(text)
    } catch {
      stray.push(text)
      return
    }
    const w = typeof m?.id === 'number' ? waiting.get(m.id) : undefined
    if (!w) {
      if (m?.id !== undefined || !m?.method) stray.push(m)
      return
    }
    waiting.delete(m.id)
    clearTimeout(w.timer)
    if (m.error) w.reject(new ProtocolError(m.error.code, m.error.message))
    else w.resolve(m.result)
  })
  void closed.then(() => {
    for (const [id, w] of waiting) {
      waiting.delete(id)
      clearTimeout(w.timer)
      w.reject(new Error('the connection closed before the reply'))
    }
  })
  return {
    request: (method, params = {}, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const id = next++
        const timer = setTimeout(() => {
          waiting.delete(id)
          reject(new Error(`${method}: no reply within ${timeoutMs} ms`))
        }, timeoutMs)
        waiting.set(id, { resolve, reject, timer })
        send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
      }),
    sendRaw: send,
    stray,
    closed,
    close
  }
}

/** A client on the core's local socket (newline-delimited JSON). */
export function socketClient(path: string): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const s = connect(path)
    s.once('error', reject)
    s.once('connect', () => {
      s.off('error', reject)
      s.on('error', () => undefined)
      const closed = new Promise<void>((done) => s.once('close', () => done()))
      let buf = ''
      const listeners: ((t: string) => void)[] = []
      s.setEncoding('utf8')
      s.on('data', (chunk: string) => {
        buf += chunk
        let nl: number
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl)
          buf = buf.slice(nl + 1)
          for (const l of listeners) l(line)
        }
      })
      resolve(
        rpcOver(
          (t) => void (s.destroyed || s.write(`${t}\n`)),
          (l) => listeners.push(l),
          () => s.destroy(),
          closed
        )
      )
    })
  })
}

/** A client on the core's WebSocket (browser mode). */
export function wsClient(port: number, token: string): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${encodeURIComponent(token)}`)
    ws.once('error', reject)
    ws.once('open', () => {
      ws.off('error', reject)
      ws.on('error', () => undefined)
      const closed = new Promise<void>((done) => ws.once('close', () => done()))
      resolve(
        rpcOver(
          (t) => ws.readyState === ws.OPEN && ws.send(t),
          (l) => ws.on('message', (d) => l(d.toString())),
          () => ws.terminate(),
          closed
        )
      )
    })
  })
}

/** The resident set size of a process in MB, from /proc (null once it is gone). */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : null
  } catch {
    return null
  }
}

/** True while a process exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Samples a process's RSS every few milliseconds and keeps the peak. */
export function sampleRss(pid: number, everyMs = 50): { peakMb(): number; stop(): void } {
  let peak = rssMb(pid) ?? 0
  const t = setInterval(() => (peak = Math.max(peak, rssMb(pid) ?? 0)), everyMs)
  return { peakMb: () => Math.max(peak, rssMb(pid) ?? 0), stop: () => clearInterval(t) }
}

// ---------- raw WebSocket frames ----------

/** One WebSocket frame, as a hostile client builds it (any opcode, mask or not, any length field). */
export function wsFrame(o: {
  opcode: number
  payload?: Buffer
  fin?: boolean
  rsv?: number
  mask?: boolean
  claimedLength?: number
}): Buffer {
  const payload = o.payload ?? Buffer.alloc(0)
  const len = o.claimedLength ?? payload.length
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | (o.opcode & 0x0f)]
  const maskBit = (o.mask ?? true) ? 0x80 : 0
  if (len < 126) head.push(maskBit | len)
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 0xff)
  else {
    head.push(maskBit | 127)
    const b = Buffer.alloc(8)
    b.writeBigUInt64BE(BigInt(len))
    head.push(...b)
  }
  if (!(o.mask ?? true)) return Buffer.concat([Buffer.from(head), payload])
  const key = randomBytes(4)
  const masked = Buffer.from(payload)
  for (let i = 0; i < masked.length; i++) masked[i]! ^= key[i % 4]!
  return Buffer.concat([Buffer.from(head), key, masked])
}

/** A close frame's payload: a code and a reason. */
export const closePayload = (code: number, reason = ''): Buffer =>
  Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)])

/** What the core did with a raw WebSocket connection: the close code it sent (if any) and whether it hung up. */
export interface RawOutcome {
  status: number | null
  closeCode: number | null
  closedByServer: boolean
  /** Text frames the core sent back (JSON-RPC replies). */
  texts: string[]
}

/** Opens a raw TCP connection to /rpc, upgrades it (with optional extra headers), then writes `frames`. */
export function rawWebSocket(
  port: number,
  token: string,
  frames: (Buffer | (() => Buffer))[],
  o: { extraHeaders?: string; waitMs?: number; until?: (out: RawOutcome) => boolean } = {}
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const s: Socket = connect(port, '127.0.0.1')
    const out: RawOutcome = { status: null, closeCode: null, closedByServer: false, texts: [] }
    let buf = Buffer.alloc(0)
    let upgraded = false
    let finished = false
    const finish = () => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      s.destroy()
      resolve(out)
    }
    const timer = setTimeout(finish, o.waitMs ?? 10_000)
    s.on('error', () => undefined)
    s.on('close', () => {
      out.closedByServer = true
      finish()
    })
    s.on('connect', () => {
      const key = randomBytes(16).toString('base64')
      s.write(
        `GET /rpc?token=${encodeURIComponent(token)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${o.extraHeaders ?? ''}\r\n`
      )
    })
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk])
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n')
        if (end < 0) return
        out.status = Number(/^HTTP\/1\.1 (\d+)/.exec(buf.subarray(0, end).toString())?.[1] ?? 0)
        buf = buf.subarray(end + 4)
        if (out.status !== 101) return finish()
        upgraded = true
        for (const f of frames) if (!s.destroyed) s.write(typeof f === 'function' ? f() : f)
      }
      // Server frames are unmasked; read as many whole ones as arrived.
      while (buf.length >= 2) {
        const opcode = buf[0]! & 0x0f
        let len = buf[1]! & 0x7f
        let at = 2
        if (len === 126) {
          if (buf.length < 4) return
          len = buf.readUInt16BE(2)
          at = 4
        } else if (len === 127) {
          if (buf.length < 10) return
          len = Number(buf.readBigUInt64BE(2))
          at = 10
        }
        if (buf.length < at + len) return
        const payload = buf.subarray(at, at + len)
        buf = buf.subarray(at + len)
        if (opcode === 0x8) out.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005
        else if (opcode === 0x1 && isReply(payload.toString())) out.texts.push(payload.toString())
      }
      if (o.until?.(out)) finish()
    })
  })
}

/** One attack of the WebSocket catalogue: the frames, and the close code the core must answer with. */
export interface WsAttack {
  name: string
  frames: (Buffer | (() => Buffer))[]
  expectClose: number | null
  extraHeaders?: string
  expectStatus?: number
}

const text = (s: string | Buffer) => (Buffer.isBuffer(s) ? s : Buffer.from(s))

// Every connection also hears the core's broadcasts (other clients' thread/updated, pty/data…): only replies count here.
const isReply = (line: string): boolean => {
  try {
    return typeof JSON.parse(line)?.method !== 'string'
  } catch {
    return true
  }
}

/** The malformed-frame catalogue for the WebSocket port. */
export function wsCatalogue(): WsAttack[] {
  const attacks: WsAttack[] = [
    {
      name: 'a 9 MiB length in the header (no payload sent)',
      frames: [wsFrame({ opcode: 1, claimedLength: 9 * 1024 * 1024 })],
      expectClose: 1009
    },
    // The payload is built when sent, so the catalogue itself holds no 9 MiB buffer.
    {
      name: 'a real 9 MiB binary frame',
      frames: [() => wsFrame({ opcode: 2, payload: Buffer.alloc(9 * 1024 * 1024, 0x41) })],
      expectClose: 1009
    },
    {
      name: 'a 2^63-1 length',
      frames: [Buffer.from([0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4])],
      expectClose: 1009
    },
    {
      name: 'invalid UTF-8 in a text frame',
      frames: [wsFrame({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]) })],
      expectClose: 1007
    },
    {
      name: 'an unmasked client frame',
      frames: [wsFrame({ opcode: 1, payload: text('{"jsonrpc":"2.0","id":1,"method":"thread/list"}'), mask: false })],
      expectClose: 1002
    },
    ...[3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map((op) => ({
      name: `reserved opcode 0x${op.toString(16)}`,
      frames: [wsFrame({ opcode: op, payload: text('x') })],
      expectClose: 1002
    })),
    { name: 'RSV1 set without an extension', frames: [wsFrame({ opcode: 1, rsv: 4, payload: text('{}') })], expectClose: 1002 },
    {
      name: 'a continuation frame with nothing to continue',
      frames: [wsFrame({ opcode: 0, payload: text('garbage') })],
      expectClose: 1002
    },
    {
      name: 'a new text frame inside a fragmented message',
      frames: [wsFrame({ opcode: 1, fin: false, payload: text('{"a":') }), wsFrame({ opcode: 1, payload: text('1}') })],
      expectClose: 1002
    },
    {
      name: 'fragments that join into invalid UTF-8',
      frames: [
        wsFrame({ opcode: 1, fin: false, payload: Buffer.from([0xe2, 0x82]) }),
        wsFrame({ opcode: 0, payload: Buffer.from([0x28]) })
      ],
      expectClose: 1007
    },
    {
      name: 'fragments that add up past the limit',
      frames: [
        () => wsFrame({ opcode: 2, fin: false, payload: Buffer.alloc(5 * 1024 * 1024) }),
        () => wsFrame({ opcode: 0, payload: Buffer.alloc(5 * 1024 * 1024) })
      ],
      expectClose: 1009
    },
    { name: 'a fragmented ping', frames: [wsFrame({ opcode: 9, fin: false, payload: text('p') })], expectClose: 1002 },
    { name: 'a 200-byte ping', frames: [wsFrame({ opcode: 9, payload: Buffer.alloc(200) })], expectClose: 1002 },
    { name: 'a close frame with a 1-byte payload', frames: [wsFrame({ opcode: 8, payload: Buffer.from([3]) })], expectClose: 1002 },
    ...[0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65535].map((code) => ({
      name: `close code ${code}`,
      frames: [wsFrame({ opcode: 8, payload: closePayload(code) })],
      expectClose: 1002
    })),
    {
      name: 'a close reason that is invalid UTF-8',
      frames: [wsFrame({ opcode: 8, payload: Buffer.concat([closePayload(1000), Buffer.from([0xff, 0xff])]) })],
      expectClose: 1007
    },
    { name: 'a huge header (100 kB)', frames: [], extraHeaders: `X-Junk: ${'a'.repeat(100_000)}\r\n`, expectClose: null, expectStatus: 431 }
  ]
  return attacks
}

// ---------- raw socket lines ----------

/** Streams `totalBytes` of one line (no newline) in 1 MiB pieces, honouring backpressure; resolves with what the core did. */
export function streamHugeLine(
  path: string,
  totalBytes: number
): Promise<{ sentBytes: number; closedByServer: boolean; replies: string[] }> {
  return new Promise((resolve) => {
    const s = connect(path)
    const piece = Buffer.alloc(1024 * 1024, 0x61)
    let sent = 0
    let closed = false
    let data = ''
    s.on('error', () => undefined)
    s.on('data', (d) => (data += d.toString()))
    s.on('close', () => {
      closed = true
      resolve({ sentBytes: sent, closedByServer: sent < totalBytes, replies: data.split('\n').filter((l) => l && isReply(l)) })
    })
    s.once('connect', () => {
      s.write('{"jsonrpc":"2.0","id":1,"method":"thread/list","params":{"x":"')
      const pump = () => {
        while (!closed && sent < totalBytes) {
          sent += piece.length
          if (!s.write(piece)) return void s.once('drain', pump)
        }
        if (!closed) s.end('"}}\n')
      }
      pump()
    })
  })
}

/** Sends raw bytes on a fresh socket connection and collects the reply lines until `until` holds or the core hangs up. */
export function rawSocket(
  path: string,
  bytes: Buffer | string,
  o: { until?: (lines: string[]) => boolean; waitMs?: number; endAfter?: boolean } = {}
): Promise<{ lines: string[]; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const s = connect(path)
    let data = ''
    let done = false
    const replies = () =>
      data
        .slice(0, data.lastIndexOf('\n') + 1)
        .split('\n')
        .filter((l) => l && isReply(l))
    const finish = (closedByServer: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      s.destroy()
      resolve({ lines: replies(), closedByServer })
    }
    const timer = setTimeout(() => finish(false), o.waitMs ?? 10_000)
    s.on('error', () => undefined)
    s.on('close', () => finish(true))
    s.on('data', (d) => {
      data += d.toString()
      if (o.until?.(replies())) finish(false)
    })
    s.once('connect', () => {
      if (o.endAfter) s.end(bytes)
      else s.write(bytes)
    })
  })
}

/** A batch of `n` thread/list requests, as one line. */
export const bigBatch = (n: number): string =>
  `${JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'thread/list' })))}\n`

/** Lines a hostile client sends on the socket, each expecting one error reply with this code. */
export function socketLineCatalogue(): { name: string; line: string | Buffer; expectCode: number; batchOfOne?: boolean }[] {
  return [
    { name: 'invalid JSON', line: '{"jsonrpc":"2.0", nope\n', expectCode: -32700 },
    { name: 'a number', line: '42\n', expectCode: -32600 },
    { name: 'a string', line: '"thread/list"\n', expectCode: -32600 },
    { name: 'null', line: 'null\n', expectCode: -32600 },
    { name: '100k unclosed [', line: `${'['.repeat(100_000)}\n`, expectCode: -32700 },
    // A batch of one (invalid) request: per JSON-RPC, a batch reply of one error.
    { name: '100k nested arrays', line: `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, expectCode: -32600, batchOfOne: true },
    {
      name: '100k nested params',
      line: `{"jsonrpc":"2.0","id":7,"method":"thread/list","params":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`,
      expectCode: -32602
    },
    {
      name: '100k nested objects in params',
      line: `{"jsonrpc":"2.0","id":7,"method":"thread/create","params":{"repoId":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}}\n`,
      expectCode: -32602
    },
    {
      name: 'binary garbage',
      line: Buffer.concat([
        Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3]),
        randomBytes(4096).map((b) => (b === 10 ? 0 : b)),
        Buffer.from('\n')
      ]),
      expectCode: -32700
    },
    { name: 'a 10k batch', line: bigBatch(10_000), expectCode: -32600 }
  ]
}

// ---------- well-behaved clients ----------

/** What the well-behaved clients did and every error they saw. */
export interface WorkStats {
  requests: number
  errors: string[]
  ptys: number
}

/** One well-behaved client's loop: list, create+rename, read items, sometimes a shell; until `stop()` says so. */
export async function wellBehavedLoop(
  c: TestClient,
  o: { repoId: string; tag: string; pty: boolean; stop: () => boolean; stats: WorkStats }
): Promise<void> {
  for (let i = 0; !o.stop(); i++) {
    const call = async <T = any>(method: string, params: unknown): Promise<T> => {
      const r = await c.request<T>(method, params)
      o.stats.requests++
      return r
    }
    try {
      await call('thread/list', {})
      const t = await call<{ id: string }>('thread/create', { repoId: o.repoId, title: `${o.tag} ${i}`, mode: 'local' })
      const renamed = await call<{ title: string }>('thread/rename', { threadId: t.id, title: `${o.tag} ${i} renamed` })
      if (renamed.title !== `${o.tag} ${i} renamed`) throw new Error(`rename read back "${renamed.title}"`)
      await call('item/list', { threadId: t.id })
      if (o.pty && i % 2 === 0) {
        const p = await call<{ id: string }>('pty/open', { threadId: t.id, kind: 'shell' })
        await call('pty/write', { ptyId: p.id, data: 'echo hello\n' })
        await call('pty/close', { ptyId: p.id })
        o.stats.ptys++
      }
      // Threads are deleted again so a long soak does not measure a growing thread list.
      await call('thread/delete', { threadId: t.id })
    } catch (e) {
      o.stats.errors.push(`${o.tag}: ${(e as Error).message}`)
      if (/connection closed/.test((e as Error).message)) return
    }
  }
}
