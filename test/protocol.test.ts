import { connect, type Socket } from 'node:net'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { startBrowserServer, type BrowserServer } from '../src/main/core/server/browser-server'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { ErrorCode, RpcError } from '../src/shared/errors'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, makeCore, makeRepo, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

/** A raw line-oriented client on the core's local socket. */
async function rawSocket(path: string): Promise<{ send(line: string): void; next(): Promise<any>; socket: Socket }> {
  const socket = connect(path)
  await new Promise((r) => socket.once('connect', r))
  const queue: any[] = []
  const waiters: ((v: any) => void)[] = []
  let buf = ''
  socket.setEncoding('utf8')
  socket.on('data', (d: string) => {
    buf += d
    let i: number
    while ((i = buf.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buf.slice(0, i))
      buf = buf.slice(i + 1)
      const w = waiters.shift()
      if (w) w(msg)
      else queue.push(msg)
    }
  })
  return {
    socket,
    send: (line) => socket.write(`${line}\n`),
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r)))
  }
}

describe('protocol over the local socket', () => {
  it('answers malformed JSON, bad requests, unknown methods and invalid params with stable codes, and keeps serving', async () => {
    const { core } = await makeCore(undefined, { listenSocket: true })
    const c = await rawSocket(core.dataDir.socketPath)

    c.send('{"jsonrpc":"2.0","id":1,"method":')
    expect(await c.next()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.ParseError } })

    c.send('{"id":2,"method":"repo/list"}')
    expect(await c.next()).toMatchObject({ id: 2, error: { code: ErrorCode.InvalidRequest } })

    c.send('{"jsonrpc":"2.0","id":3,"method":"repo/explode","params":{}}')
    const unknown = await c.next()
    expect(unknown).toMatchObject({ id: 3, error: { code: ErrorCode.MethodNotFound } })
    expect(unknown.error.message).toContain('repo/explode')

    c.send('{"jsonrpc":"2.0","id":4,"method":"thread/create","params":{"repoId":"x","title":"   "}}')
    const invalid = await c.next()
    expect(invalid).toMatchObject({ id: 4, error: { code: ErrorCode.InvalidParams } })
    expect(invalid.error.message).toMatch(/title: A title is required/)

    c.send('{"jsonrpc":"2.0","id":5,"method":"thread/create","params":{"repoId":"x","title":"t","mode":"sideways"}}')
    expect((await c.next()).error.message).toMatch(/mode/)

    c.send('{"jsonrpc":"2.0","id":6,"method":"repo/add","params":{"path":"/definitely/not/here"}}')
    expect(await c.next()).toMatchObject({ id: 6, error: { code: ErrorCode.PathNotFound } })

    c.send('[]')
    expect(await c.next()).toMatchObject({ error: { code: ErrorCode.InvalidRequest } })

    c.send('[{"jsonrpc":"2.0","id":7,"method":"repo/list"},{"jsonrpc":"2.0","id":8,"method":"nope"}]')
    const batch = await c.next()
    expect(batch).toHaveLength(2)
    expect(batch[0]).toMatchObject({ id: 7, result: { repos: [] } })
    expect(batch[1]).toMatchObject({ id: 8, error: { code: ErrorCode.MethodNotFound } })

    c.send('{"jsonrpc":"2.0","id":9,"method":"repo/list"}')
    expect(await c.next()).toEqual({ jsonrpc: '2.0', id: 9, result: { repos: [] } })
    c.socket.destroy()
  })

  it('turns a bug in a handler into an internal error and keeps serving', async () => {
    const { core, logger } = await makeCore(undefined, { listenSocket: true })
    core.rpc.handle('repo/branches', () => {
      throw new Error('boom')
    })
    const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    await expect(client.request('repo/branches', { repoId: 'r' })).rejects.toMatchObject({ code: ErrorCode.InternalError })
    expect(logger.lines.some((l) => l.level === 'error' && /repo\/branches/.test(l.message))).toBe(true)
    expect((await client.request('repo/list')).repos).toEqual([])
    client.dispose()
  })

  it('shares one live engine: a thread created by one client is pushed to another at once', async () => {
    const repoPath = makeRepo()
    const { core } = await makeCore(undefined, { listenSocket: true })
    const a = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    const b = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    const seen = new Promise<string>((resolve) => b.on('thread/updated', (p) => resolve(p.thread.title)))
    await b.request('repo/list')
    const repo = await a.request('repo/add', { path: repoPath })
    await a.request('thread/create', { repoId: repo.id, title: 'from the CLI' })
    expect(await seen).toBe('from the CLI')
    const err = await a.request('thread/get', { threadId: 'missing' }).catch((e) => e)
    expect(err).toBeInstanceOf(RpcError)
    expect(err.code).toBe(ErrorCode.ThreadNotFound)
    a.dispose()
    b.dispose()
  })

  it('reports dialog/pickFolder as unsupported where the host has no picker', async () => {
    const { core } = await makeCore(undefined, { listenSocket: true })
    const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    expect((await client.request('core/hello')).capabilities.pickFolder).toBe(false)
    await expect(client.request('dialog/pickFolder', {})).rejects.toMatchObject({ code: ErrorCode.Unsupported })
    client.dispose()
  })
})

function get(
  url: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

function openWs(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers })
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }))
    ws.once('error', () => resolve({ status: -1 }))
  })
}

describe('browser mode', () => {
  let server: BrowserServer | null = null
  afterEach(async () => {
    await server?.close()
    server = null
  })

  async function start() {
    const { core } = await makeCore()
    const rendererDir = tempDir('skein-ui-')
    writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Skein</title>')
    writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
    server = await startBrowserServer({ core, rendererDir, token: 'sekret-token', port: 0 })
    return { core, base: `http://127.0.0.1:${server.port}` }
  }

  it('refuses HTTP requests without the token, and serves the UI with it', async () => {
    const { base } = await start()
    expect(server!.url).toBe(`${base}/?token=sekret-token`)
    expect((await get(`${base}/`)).status).toBe(401)
    expect((await get(`${base}/?token=wrong`)).status).toBe(401)
    expect((await get(`${base}/assets/app.js`)).status).toBe(401)
    const ok = await get(`${base}/?token=sekret-token`)
    expect(ok.status).toBe(200)
    expect(ok.body).toContain('<title>Skein</title>')
    const cookie = String((ok.headers['set-cookie'] as string[])[0]).split(';')[0]!
    const asset = await get(`${base}/assets/app.js`, { Cookie: cookie })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toMatch(/javascript/)
    expect((await get(`${base}/..%2f..%2f..%2fetc%2fpasswd`, { Cookie: cookie })).body).not.toContain('root:')
    expect((await get(`${base}/missing.js`, { Cookie: cookie })).status).toBe(404)
    expect((await get(`${base}/?token=sekret-token`, { Host: 'evil.example:80' })).status).toBe(421)
  })

  it('refuses a WebSocket without the right token or from another origin, and serves the protocol with it', async () => {
    const { base } = await start()
    const wsBase = base.replace('http', 'ws')
    expect(await openWs(`${wsBase}/rpc`)).toEqual({ status: 401 })
    expect(await openWs(`${wsBase}/rpc?token=wrong`)).toEqual({ status: 401 })
    expect(await openWs(`${wsBase}/rpc?token=sekret-token`, { Origin: 'http://evil.example' })).toEqual({ status: 401 })
    const opened = await openWs(`${wsBase}/rpc?token=sekret-token`, { Origin: base })
    expect('ws' in opened).toBe(true)
    if (!('ws' in opened)) return
    const replies: any[] = []
    const next = () => new Promise<any>((r) => opened.ws.once('message', (d) => r(JSON.parse(String(d)))))
    let p = next()
    opened.ws.send('not json at all')
    replies.push(await p)
    p = next()
    opened.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'thread/list', params: { includeArchived: 'yes' } }))
    replies.push(await p)
    p = next()
    opened.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'core/hello' }))
    replies.push(await p)
    expect(replies[0].error.code).toBe(ErrorCode.ParseError)
    expect(replies[1].error.code).toBe(ErrorCode.InvalidParams)
    expect(replies[2].result.version).toMatch(/^\d+\.\d+\.\d+/)
    opened.ws.close()
  })
})
