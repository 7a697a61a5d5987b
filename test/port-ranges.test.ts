import { spawn, type ChildProcess } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ErrorCode, RpcError } from '../src/shared/errors'
import { RpcClient } from '../src/shared/rpc-client'
import type { PortRange } from '../src/shared/run'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { PortRanges } from '../src/main/core/ports/port-ranges'
import { isPortFree } from '../src/main/core/ports/port-probe'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { attachRecorder } from './helpers/pty-client'

const children: ChildProcess[] = []
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  await cleanupTemp()
})

const portsOf = (r: PortRange): number[] => Array.from({ length: r.count }, (_, i) => r.first + i)

/** Binds a port on one address, independently of the code under test; true when it could. */
function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)))
  })
}

/** Another program (a child process) listening on a port until the test ends; resolves once it listens. */
async function holdPort(port: number, host: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen(${port}, ${JSON.stringify(host)}, () => console.log('listening'))`],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve())
    child.once('exit', (code) => reject(new Error(`the port holder exited (${code}) before listening on ${host}:${port}`)))
  })
}

/** A span of `n` ports nobody on this busy machine is using right now, away from the default span. */
async function quietSpan(n: number): Promise<number> {
  for (;;) {
    const first = 20_000 + Math.floor(Math.random() * 30_000)
    const free = await Promise.all(Array.from({ length: n }, (_, i) => isPortFree(first + i)))
    if (free.every(Boolean)) return first
  }
}

const ipv6 = await bindable(0, '::1')

describe('port ranges', () => {
  it('gives 20 live threads 10 ports each: 200 ports, no two threads share one, each free when handed out, exported to their terminals', async () => {
    const { core } = await makeCore()
    const repo = must(await core.repos.add(makeRepo()))
    const threads = []
    for (let i = 0; i < 20; i++) threads.push(must(await core.threads.create({ repoId: repo.id, title: `t${i}`, mode: 'local' })))
    const ranges = await Promise.all(threads.map(async (t) => (await core.ports.acquire(t.id))!))
    const all = ranges.flatMap(portsOf)
    expect(ranges.every((r) => r.count === 10)).toBe(true)
    expect(all).toHaveLength(200)
    expect(new Set(all).size).toBe(200)
    // Nothing listened on any of them when they were handed out (nothing in these threads runs yet).
    const free = await Promise.all(all.map(async (p) => (await bindable(p, '127.0.0.1')) && (!ipv6 || (await bindable(p, '::')))))
    expect(all.filter((_, i) => !free[i])).toEqual([])

    const t = threads[7]!
    const pty = must(await core.ptys.open(t.id, { kind: 'shell', cols: 120, rows: 30 }))
    expect(pty.port).toBe(ranges[7]!.first)
    const c = await attachRecorder(core.ptys, pty.id)
    must(core.ptys.write(pty.id, 'echo "P=$PORT A=$SKEIN_PORT_0 J=$SKEIN_PORT_9 N=$SKEIN_PORT_COUNT X=${SKEIN_PORT_10:-none}"\r'))
    const out = await c.waitFor(/X=none/)
    const r = ranges[7]!
    expect(out).toContain(`P=${r.first} A=${r.first} J=${r.first + 9} N=10 X=none`)
  })

  it('skips ports another program listens on, on 127.0.0.1 or on ::1', async () => {
    const first = await quietSpan(40)
    await holdPort(first + 3, '127.0.0.1')
    if (ipv6) await holdPort(first + 16, '::1')
    const ranges = await PortRanges.open({ file: null, first, last: first + 39, count: () => 10 })
    const a = (await ranges.acquire('a'))!
    const b = (await ranges.acquire('b'))!
    expect(a).toEqual({ first: first + 4, count: 10 })
    expect(portsOf(a)).not.toContain(first + 3)
    if (ipv6) expect(b).toEqual({ first: first + 17, count: 10 })
    else expect(b).toEqual({ first: first + 14, count: 10 })
    expect(await ranges.acquire('c')).toEqual({ first: b.first + 10, count: 10 })
    // The span is now full: the next thread gets none rather than a port that is taken.
    expect(await ranges.acquire('d')).toBeNull()
  })

  it("keeps every live thread's range across a restart of the core, and a new thread gets a range that overlaps none", async () => {
    const home = tempDir('skein-home-')
    const repoPath = makeRepo()
    const first = await makeCore(home)
    const repo = must(await first.core.repos.add(repoPath))
    const a = must(await first.core.threads.create({ repoId: repo.id, title: 'a', mode: 'worktree' }))
    const b = must(await first.core.threads.create({ repoId: repo.id, title: 'b', mode: 'local' }))
    const before = { a: (await first.core.ports.acquire(a.id))!, b: (await first.core.ports.acquire(b.id))! }
    await first.core.close()

    const second = await makeCore(home)
    expect(second.core.ports.rangeOf(a.id)).toEqual(before.a)
    expect(second.core.ports.rangeOf(b.id)).toEqual(before.b)
    const pty = must(await second.core.ptys.open(a.id, { kind: 'shell', cols: 80, rows: 24 }))
    expect(pty.port).toBe(before.a.first)
    const c = must(await second.core.threads.create({ repoId: repo.id, title: 'c', mode: 'local' }))
    const fresh = (await second.core.ports.acquire(c.id))!
    const taken = new Set([...portsOf(before.a), ...portsOf(before.b)])
    expect(portsOf(fresh).filter((p) => taken.has(p))).toEqual([])
  })

  it('gives the range back when a thread is archived or deleted, also across a restart, and hands it out again', async () => {
    const home = tempDir('skein-home-')
    const { core } = await makeCore(home)
    const repo = must(await core.repos.add(makeRepo()))
    const a = must(await core.threads.create({ repoId: repo.id, title: 'a', mode: 'worktree' }))
    const b = must(await core.threads.create({ repoId: repo.id, title: 'b', mode: 'local' }))
    const ra = (await core.ports.acquire(a.id))!
    const rb = (await core.ports.acquire(b.id))!
    must(await core.threads.archive(a.id))
    must(await core.threads.delete(b.id))
    await core.ports.settled()
    expect(core.ports.rangeOf(a.id)).toBeUndefined()
    expect(core.ports.rangeOf(b.id)).toBeUndefined()
    await core.close()

    const again = await makeCore(home)
    expect([...again.core.ports.all().keys()]).toEqual([])
    // The freed ports are the lowest free ones again (unless this busy machine took them meanwhile).
    const c = must(await again.core.threads.create({ repoId: repo.id, title: 'c', mode: 'local' }))
    const rc = (await again.core.ports.acquire(c.id))!
    const freedStillFree = (await Promise.all([...portsOf(ra), ...portsOf(rb)].map(isPortFree))).every(Boolean)
    if (freedStillFree) expect(rc.first).toBe(Math.min(ra.first, rb.first))
    // Restoring the archived thread gives it a range again, not one that overlaps c's.
    must(await again.core.threads.restore(a.id))
    const back = (await again.core.ports.acquire(a.id))!
    expect(portsOf(back).filter((p) => portsOf(rc).includes(p))).toEqual([])
  })

  it('stores its assignments where the next start finds them', async () => {
    const dir = tempDir()
    const file = join(dir, 'ports.json')
    const first = await quietSpan(20)
    const one = await PortRanges.open({ file, first, last: first + 19, count: () => 5 })
    expect(await one.acquire('x')).toEqual({ first, count: 5 })
    const two = await PortRanges.open({ file, first, last: first + 19, count: () => 5 })
    expect(two.rangeOf('x')).toEqual({ first, count: 5 })
    expect(await two.acquire('y')).toEqual({ first: first + 5, count: 5 })
  })

  it('takes how many ports a thread gets from the settings (kept across a restart); threads keep the range they have', async () => {
    const home = tempDir('skein-home-')
    const repoPath = makeRepo()
    const first = await makeCore(home, { listenSocket: true })
    const client = new RpcClient(socketTransport(connect(first.core.dataDir.socketPath)))
    expect(await client.request('ports/settings')).toEqual({ count: 10, first: 3100, last: 9999 })
    const bad = await client.request('ports/configure', { count: 0 }).catch((e: unknown) => e)
    expect((bad as RpcError).code).toBe(ErrorCode.InvalidParams)
    const repo = must(await first.core.repos.add(repoPath))
    const old = must(await first.core.threads.create({ repoId: repo.id, title: 'old', mode: 'local' }))
    const oldRange = (await first.core.ports.acquire(old.id))!
    expect(await client.request('ports/configure', { count: 3 })).toMatchObject({ count: 3 })
    client.dispose()
    await first.core.close()

    const second = await makeCore(home)
    const fresh = must(await second.core.threads.create({ repoId: repo.id, title: 'new', mode: 'local' }))
    expect((await second.core.ports.acquire(fresh.id))!.count).toBe(3)
    expect(second.core.ports.rangeOf(old.id)).toEqual(oldRange)
  })
})
