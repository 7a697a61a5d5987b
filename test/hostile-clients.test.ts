import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startCore, type CoreProcess } from '../e2e/support/core-process'
import { cleanupTemp, makeRepo } from './helpers/fixtures'
import {
  alive,
  ProtocolError,
  rawSocket,
  rawWebSocket,
  sampleRss,
  socketClient,
  socketLineCatalogue,
  streamHugeLine,
  wellBehavedLoop,
  wsCatalogue,
  wsClient,
  type TestClient,
  type WorkStats
} from './helpers/hostile-harness'

// A real core process (out/main/serve.js): the WebSocket port and the local socket, as an attacker sees them.
const RSS_BOUND_MB = 300
const CLIENTS = 8

let core: CoreProcess
let pid = 0
let control: TestClient
let repoId = ''
let restarts = 0
let stopping = false
const stats: WorkStats = { requests: 0, errors: [], ptys: 0 }
const loops: Promise<void>[] = []
let rss: ReturnType<typeof sampleRss> | null = null
let earlierPeakMb = 0
const peakMb = () => Math.max(earlierPeakMb, rss?.peakMb() ?? 0)
const sock = () => join(core.home, 'skein.sock')

async function boot(home?: string): Promise<void> {
  core = await startCore({ home, env: { SHELL: '/bin/sh' } })
  control = await socketClient(sock())
  pid = (await control.request<{ pid: number }>('core/hello', {})).pid
  earlierPeakMb = peakMb()
  rss?.stop()
  rss = sampleRss(pid)
}

/** The core is the same process and still answers. */
async function expectCoreUp(): Promise<void> {
  expect(alive(pid), `the core (pid ${pid}) died:\n${core.output().slice(-2000)}`).toBe(true)
  const fresh = await socketClient(sock())
  try {
    expect((await fresh.request<{ pid: number }>('core/hello', {}, 20_000)).pid).toBe(pid)
  } finally {
    fresh.close()
  }
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof ProtocolError ? e.code : String(e))
  )

beforeAll(async () => {
  await boot()
  repoId = (await control.request<{ id: string }>('repo/add', { path: makeRepo() })).id
  for (let i = 0; i < CLIENTS; i++) {
    const c = i % 2 ? await wsClient(core.port, core.token) : await socketClient(sock())
    loops.push(wellBehavedLoop(c, { repoId, tag: `client ${i}`, pty: i < 2, stop: () => stopping, stats }).finally(() => c.close()))
  }
})

afterAll(async () => {
  stopping = true
  await Promise.all(loops)
  rss?.stop()
  control?.close()
  await core?.stop('SIGKILL')
  cleanupTemp()
})

// Only on a core that already fell over: later attacks get a core to attack (and the failure stays recorded).
beforeEach(async () => {
  const up = await socketClient(sock())
    .then(async (c) => {
      try {
        return (await c.request<{ pid: number }>('core/hello', {}, 10_000)).pid === pid
      } finally {
        c.close()
      }
    })
    .catch(() => false)
  if (!up) {
    restarts++
    await core.stop('SIGKILL')
    await boot(core.home)
  }
})

describe('the WebSocket: a bad frame closes only its connection, with the right close code', () => {
  it.each(wsCatalogue().map((a) => [a.name, a] as const))('%s', async (_name, attack) => {
    const out = await rawWebSocket(core.port, core.token, attack.frames, { extraHeaders: attack.extraHeaders })
    if (attack.expectStatus) expect(out.status).toBe(attack.expectStatus)
    else {
      expect(out.status).toBe(101)
      expect(out.closeCode).toBe(attack.expectClose)
      expect(out.closedByServer).toBe(true)
    }
    await expectCoreUp()
  })

  it('binary frames and garbage text get JSON-RPC errors, and the connection stays usable', async () => {
    const { wsFrame } = await import('./helpers/hostile-harness')
    const out = await rawWebSocket(
      core.port,
      core.token,
      [
        wsFrame({ opcode: 2, payload: Buffer.from([0, 1, 2, 0xff]) }),
        wsFrame({ opcode: 1, payload: Buffer.from('[[[[') }),
        wsFrame({ opcode: 1, payload: Buffer.from('{"jsonrpc":"2.0","id":5,"method":"core/hello"}') })
      ],
      { until: (o) => o.texts.length >= 3 || o.closeCode !== null }
    )
    expect(out.closeCode).toBe(null)
    expect(out.texts.map((t) => JSON.parse(t).error?.code ?? 'ok')).toEqual([-32700, -32700, 'ok'])
    await expectCoreUp()
  })
})

describe('the local socket: bounded lines and batches', () => {
  it('a 400 MB line is refused after 8 MiB with an error, that connection is closed, and memory stays bounded', async () => {
    const out = await streamHugeLine(sock(), 400 * 1024 * 1024)
    expect(out.closedByServer).toBe(true)
    expect(out.sentBytes).toBeLessThan(100 * 1024 * 1024)
    if (out.replies.length) expect(JSON.parse(out.replies[0]!).error.message).toMatch(/over the 8 MiB limit/)
    await expectCoreUp()
    expect(peakMb()).toBeLessThan(RSS_BOUND_MB)
  })

  it.each(socketLineCatalogue().map((a) => [a.name, a] as const))('%s gets one error reply', async (_name, attack) => {
    const out = await rawSocket(sock(), attack.line, { until: (lines) => lines.length > 0 })
    expect(out.lines).toHaveLength(1)
    const parsed = JSON.parse(out.lines[0]!)
    expect(Array.isArray(parsed)).toBe(Boolean(attack.batchOfOne))
    const reply = attack.batchOfOne ? parsed[0] : parsed
    if (attack.batchOfOne) expect(parsed).toHaveLength(1)
    expect(reply.error.code).toBe(attack.expectCode)
    await expectCoreUp()
  })

  it('a half line, then a disconnect, leaves nothing behind', async () => {
    const out = await rawSocket(sock(), '{"jsonrpc":"2.0","id":1,"method":"thr', { endAfter: true })
    expect(out).toEqual({ lines: [], closedByServer: true })
    await expectCoreUp()
  })
})

describe('ids are looked up, never used as paths', () => {
  it('item/list of "../x" is refused and an events.jsonl planted outside threads/ is never read', async () => {
    mkdirSync(join(core.home, 'x'), { recursive: true })
    const planted = {
      type: 'item.completed',
      at: 1,
      item: {
        id: 'planted',
        threadId: 'x',
        turnId: '',
        kind: 'user',
        status: 'completed',
        createdAt: 1,
        text: 'read from outside threads/'
      }
    }
    writeFileSync(join(core.home, 'x', 'events.jsonl'), `${JSON.stringify(planted)}\n`)
    for (const threadId of ['../x', '../../x', '/etc', 'a/b', '..', '.', 'x\u0000']) {
      expect(await codeOf(control.request('item/list', { threadId }))).toBe(-32602)
      expect(await codeOf(control.request('pty/list', { threadId }))).toBe(-32602)
      expect(await codeOf(control.request('review/comments', { threadId }))).toBe(-32602)
    }
    expect(await codeOf(control.request('pty/attach', { ptyId: '../x.p1' }))).toBe(-32602)
    expect(await codeOf(control.request('pty/close', { ptyId: '../../x' }))).toBe(-32602)
  })

  it('a well-formed but unknown thread id gets ThreadNotFound with a clear message', async () => {
    for (const method of ['item/list', 'pty/list', 'review/comments', 'ci/checks', 'thread/get', 'turn/interrupt', 'review/changes']) {
      const e = await control.request(method, { threadId: 'tnosuchthread' }).then(
        () => null,
        (x: unknown) => x as ProtocolError
      )
      expect(e?.code, method).toBe(1101)
      expect(e?.message, method).toMatch(/No thread with id tnosuchthread/)
    }
  })

  it('an unknown repository id is refused before anything is stored under it', async () => {
    for (const [method, params] of [
      ['ci/configure', { repoId: 'nosuchrepo-12345678', checks: ['npm test'] }],
      ['profile/configure', { repoId: 'nosuchrepo-12345678', customCommand: 'x' }],
      ['repo/branches', { repoId: 'nosuchrepo-12345678' }]
    ] as const) {
      const e = await control.request(method, params).then(
        () => null,
        (x: unknown) => x as ProtocolError
      )
      expect(e?.code, method).toBe(1005)
      expect(e?.message, method).toMatch(/No repository with id nosuchrepo-12345678/)
    }
    expect(await codeOf(control.request('ci/configure', { repoId: '../../etc', checks: [] }))).toBe(-32602)
  })

  it('real ids still work: a thread id, its terminal id', async () => {
    const t = await control.request<{ id: string }>('thread/create', { repoId, title: 'ids', mode: 'local' })
    expect(t.id).toMatch(/^t[a-z0-9]+$/)
    const p = await control.request<{ id: string }>('pty/open', { threadId: t.id, kind: 'shell' })
    expect(p.id.startsWith(`${t.id}.p`)).toBe(true)
    expect((await control.request<{ ptys: unknown[] }>('pty/list', { threadId: t.id })).ptys).toHaveLength(1)
    await control.request('pty/close', { ptyId: p.id })
    await control.request('thread/delete', { threadId: t.id })
  })
})

describe('after the attacks', () => {
  it('the well-behaved clients saw no errors, the core never restarted, and its memory stayed bounded', async () => {
    expect(restarts).toBe(0)
    await expectCoreUp()
    stopping = true
    await Promise.all(loops)
    expect(stats.errors).toEqual([])
    expect(stats.requests).toBeGreaterThan(CLIENTS)
    const peak = peakMb()
    console.log(`hostile-clients: ${stats.requests} well-behaved requests, ${stats.ptys} shells, core peak RSS ${peak.toFixed(0)} MB`)
    expect(peak).toBeLessThan(RSS_BOUND_MB)
  })
})
