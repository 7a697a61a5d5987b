import { EventEmitter } from 'node:events'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_BATCH_REQUESTS } from '../src/main/core/rpc/limits'
import { mainPortTransport, type MainMessagePort } from '../src/main/core/rpc/main-port-transport'
import { RpcServer } from '../src/main/core/rpc/rpc-server'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { memoryLogger } from '../src/main/core/logger'
import { NotificationBus } from '../src/main/core/notification-bus'
import { ok } from '../src/shared/result'
import { ErrorCode } from '../src/shared/errors'
import { eventually } from './helpers/pty-client'
import { cleanupTemp, tempDir } from './helpers/fixtures'

afterEach(cleanupTemp)

function server(): RpcServer {
  const rpc = new RpcServer(new NotificationBus(), memoryLogger())
  rpc.handle('repo/list', () => ok({ repos: [] }))
  return rpc
}

/** A stand-in for Electron's MessagePortMain: what the renderer posts arrives as `{ data }`. */
function fakePort(): MainMessagePort & { posted: unknown[]; deliver(data: unknown): void } {
  const e = new EventEmitter()
  const posted: unknown[] = []
  return {
    posted,
    on: (event: string, l: (...a: any[]) => void) => e.on(event, l),
    off: (event: string, l: (...a: any[]) => void) => e.off(event, l),
    postMessage: (m: unknown) => void posted.push(m),
    start: () => undefined,
    close: () => void e.emit('close'),
    deliver: (data: unknown) => void e.emit('message', { data })
  } as MainMessagePort & { posted: unknown[]; deliver(data: unknown): void }
}

describe('JSON-RPC limits in the dispatcher', () => {
  it(`answers a batch over ${MAX_BATCH_REQUESTS} requests with one error and runs none of it`, async () => {
    const rpc = server()
    let ran = 0
    rpc.handle(
      'core/hello',
      () => (ran++, ok({ version: '', home: '', platform: '', capabilities: { pickFolder: false }, webUrl: null, pid: 0, notices: [] }))
    )
    const batch = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'core/hello' })))
    const big = JSON.parse((await rpc.dispatch(batch(MAX_BATCH_REQUESTS + 1)))!)
    expect(Array.isArray(big)).toBe(false)
    expect(big.error).toMatchObject({ code: ErrorCode.InvalidRequest, message: expect.stringMatching(/at most 100/) })
    expect(ran).toBe(0)
    expect(JSON.parse((await rpc.dispatch(batch(MAX_BATCH_REQUESTS)))!)).toHaveLength(MAX_BATCH_REQUESTS)
  })

  it('refuses a message over 8 MiB before parsing it', async () => {
    const reply = JSON.parse(
      (await server().dispatch(`{"jsonrpc":"2.0","id":1,"method":"repo/list","params":{"x":"${'a'.repeat(9 * 1024 * 1024)}"}}`))!
    )
    expect(reply.error).toMatchObject({ code: ErrorCode.InvalidRequest, message: expect.stringMatching(/over the 8 MiB limit/) })
  })

  it('answers even when a result cannot be serialised (nested too deep)', async () => {
    const rpc = server()
    let deep: unknown = 1
    for (let i = 0; i < 200_000; i++) deep = [deep]
    rpc.handle('repo/list', () => ok({ repos: deep as never }))
    const reply = JSON.parse((await rpc.dispatch('{"jsonrpc":"2.0","id":1,"method":"repo/list"}'))!)
    expect(reply).toMatchObject({ id: 1, error: { code: ErrorCode.InternalError } })
  })
})

describe('the MessagePort transport', () => {
  it('answers values JSON cannot hold (cycles, BigInt) with an error instead of throwing, and keeps serving', async () => {
    const port = fakePort()
    server().connect(mainPortTransport(port))
    const cyclic: Record<string, unknown> = { jsonrpc: '2.0', id: 1, method: 'repo/list' }
    cyclic.self = cyclic
    expect(() => port.deliver(cyclic)).not.toThrow()
    expect(() => port.deliver({ id: 10n })).not.toThrow()
    expect(() => port.deliver(undefined)).not.toThrow()
    port.deliver(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'repo/list' }))
    port.deliver({ jsonrpc: '2.0', id: 3, method: 'repo/list' })
    await eventually(() => port.posted.length >= 5, 'five replies')
    const replies = port.posted.map((p) => JSON.parse(p as string))
    expect(replies.filter((r) => r.error?.code === ErrorCode.InvalidRequest)).toHaveLength(3)
    expect(
      replies
        .filter((r) => r.result)
        .map((r) => r.id)
        .sort()
    ).toEqual([2, 3])
  })
})

describe('the socket transport', () => {
  let srv: Server | null = null
  afterEach(() => void srv?.close())

  it('stops buffering a line over its limit, answers with an error and closes only that connection', async () => {
    const path = join(tempDir('skein-sock-'), 's.sock')
    const rpc = server()
    srv = createServer((s) => rpc.connect(socketTransport(s, { maxLineBytes: 1024 * 1024 })))
    await new Promise<void>((r) => srv!.listen(path, r))
    const hostile: Socket = connect(path)
    let got = ''
    let closed = false
    hostile.on('data', (d) => (got += d.toString()))
    hostile.on('close', () => (closed = true))
    hostile.on('error', () => undefined)
    const piece = Buffer.alloc(64 * 1024, 0x61)
    for (let i = 0; i < 64 && !closed; i++) hostile.write(piece)
    await eventually(() => closed, 'the hostile connection to be closed')
    expect(JSON.parse(got.split('\n')[0]!).error).toMatchObject({
      code: ErrorCode.InvalidRequest,
      message: expect.stringMatching(/over the 1 MiB limit/)
    })
    const good = connect(path)
    let reply = ''
    good.on('data', (d) => (reply += d.toString()))
    good.write('{"jsonrpc":"2.0","id":1,"method":"repo/list"}\n')
    await eventually(() => reply.includes('\n'), 'a reply on a fresh connection')
    expect(JSON.parse(reply).result).toEqual({ repos: [] })
    good.destroy()
  })
})
