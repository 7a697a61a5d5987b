import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seedScaleHome, type SeededHome } from '../bench/lib/scale-home'
import type { Core } from '../src/main/core/core'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { ErrorCode } from '../src/shared/errors'
import type { ParamsOf } from '../src/shared/methods'
import type { Thread } from '../src/shared/models'
import { RpcClient } from '../src/shared/rpc-client'
import { byRecentActivity, threadCursor } from '../src/shared/thread-order'
import { emptyCounts, threadStateNames, threadStateOf, type ThreadState } from '../src/shared/thread-state'
import { CLI, skein } from './helpers/cli-run'
import { threadWithFailedCi, useFakeGithub } from './helpers/ci-failure'
import { cleanupTemp, makeCore, must, tempDir } from './helpers/fixtures'

const github = useFakeGithub()

type Query = ParamsOf<'thread/list'>
const ids = (threads: Thread[]) => threads.map((t) => t.id)

/** A client of the core's socket. */
const clientOf = (core: Core) => new RpcClient(socketTransport(connect(core.dataDir.socketPath)))

/** Every thread of a query, page by page after `cursor`, and the total each page reported. */
async function walkForward(client: RpcClient, q: Query, limit: number): Promise<{ threads: Thread[]; totals: number[] }> {
  const threads: Thread[] = []
  const totals: number[] = []
  let cursor: string | undefined
  do {
    const page = await client.request('thread/list', { ...q, limit, cursor })
    threads.push(...page.threads)
    totals.push(page.total)
    cursor = page.next ?? undefined
  } while (cursor)
  return { threads, totals }
}

/** The anchored page, the pages before it (walked back with `before`) and after it (with `next`), in order. */
async function walkAround(client: RpcClient, q: Query, threadId: string, limit: number, between = async () => {}): Promise<Thread[]> {
  const anchored = await client.request('thread/list', { ...q, anchor: { threadId }, limit })
  const back: Thread[][] = []
  for (let before = anchored.previous; before;) {
    await between()
    const page = await client.request('thread/list', { ...q, before, limit })
    back.unshift(page.threads)
    before = page.previous
  }
  const onward: Thread[] = []
  for (let cursor = anchored.next; cursor;) {
    await between()
    const page = await client.request('thread/list', { ...q, cursor, limit })
    onward.push(...page.threads)
    cursor = page.next
  }
  return [...back.flat(), ...anchored.threads, ...onward]
}

describe('thread/list by state, and thread/counts', () => {
  let core: Core
  let client: RpcClient
  let seeded: SeededHome
  let ciThread: Thread

  /** Every thread the core lists and its state, worked out here from the thread and CI statuses. */
  async function scan(): Promise<{ thread: Thread; state: ThreadState }[]> {
    const all = (await client.request('thread/list', { archived: 'include' })).threads.sort(byRecentActivity)
    const failed = new Set((await client.request('ci/statuses')).statuses.filter((s) => s.overall === 'failed').map((s) => s.threadId))
    return all.map((t) => ({ thread: t, state: threadStateOf({ ...t, ciFailed: failed.has(t.id) }).state }))
  }

  beforeAll(async () => {
    const home = tempDir('skein-states-')
    // Seeded: archived, error, exited CLI agents, finished built-in turns and idle threads over two repositories.
    seeded = await seedScaleHome(home, { threads: 600, repos: 2 })
    core = (await makeCore(home, { listenSocket: true })).core
    client = clientOf(core)
    // A worktree thread whose pushed commit fails CI on the fake GitHub.
    ciThread = await threadWithFailedCi(core, client, github())
  }, 180_000)
  afterAll(async () => {
    client.dispose()
    await core.close()
    await cleanupTemp()
    expect(github().violations.splice(0)).toEqual([])
  }, 180_000)

  it('lists exactly the threads a scan with threadStateOf finds in the asked states, paged, with their total', async () => {
    const scanned = await scan()
    const present = new Set(scanned.map((s) => s.state))
    for (const s of ['archived', 'error', 'exited', 'finished', 'idle', 'ci-failed'] as const) expect(present).toContain(s)
    expect(scanned.find((s) => s.thread.id === ciThread.id)?.state).toBe('ci-failed')

    const queries: ThreadState[][] = [...threadStateNames.map((s) => [s]), ['error', 'ci-failed'], ['exited', 'finished', 'archived']]
    for (const states of queries) {
      const expected = scanned.filter((s) => states.includes(s.state)).map((s) => s.thread.id)
      const { threads, totals } = await walkForward(client, { archived: 'include', states }, 37)
      expect(ids(threads), states.join()).toEqual(expected)
      expect(new Set(totals), states.join()).toEqual(new Set([expected.length]))
    }
    // Archive and repository filters apply too: only live error threads of one repository.
    const repoId = seeded.repos[1]!.id
    const live = scanned.filter((s) => s.state === 'error' && s.thread.repoId === repoId)
    const page = await client.request('thread/list', { repoId, states: ['error', 'archived'], limit: 5000 })
    expect(ids(page.threads)).toEqual(ids(live.map((s) => s.thread)))
    expect(page.total).toBe(live.length)
  })

  it('walks a state filter around an anchored thread, back with before and on with next, each match once in order', async () => {
    const expected = (await scan()).filter((s) => s.state === 'exited').map((s) => s.thread.id)
    expect(expected.length).toBeGreaterThan(100)
    const anchor = expected[Math.floor(expected.length / 3)]!
    expect(ids(await walkAround(client, { states: ['exited'] }, anchor, 16))).toEqual(expected)
    // A thread the filter leaves out cannot anchor its page.
    const idle = seeded.threads.find((t) => t.status === 'idle' && !t.agent && t.conversation.turns === 0)!
    await expect(client.request('thread/list', { states: ['exited'], anchor: { threadId: idle.id }, limit: 10 })).rejects.toMatchObject({
      code: ErrorCode.InvalidParams,
      message: expect.stringContaining('not among the threads')
    })
  })

  it('thread/counts equals counting thread/list results, per repository and state, and in all', async () => {
    const counts = await client.request('thread/counts')
    const repos = (await client.request('repo/list')).repos
    expect(counts.repos.map((c) => c.repoId)).toEqual(repos.map((r) => r.id))
    const all = { live: 0, archived: 0, states: emptyCounts() }
    for (const c of counts.repos) {
      const total = async (q: Query) => (await client.request('thread/list', { repoId: c.repoId, limit: 1, ...q })).total
      expect(c.live).toBe((await client.request('thread/list', { repoId: c.repoId })).threads.length)
      expect(c.archived).toBe((await client.request('thread/list', { repoId: c.repoId, archived: 'only' })).threads.length)
      for (const s of threadStateNames) {
        expect(c.states[s], `${c.repoId} ${s}`).toBe(await total({ states: [s], archived: 'include' }))
        all.states[s] += c.states[s]
      }
      all.live += c.live
      all.archived += c.archived
    }
    expect(counts.all).toEqual(all)
    expect(all.states['ci-failed']).toBe(1)
    expect(all.live + all.archived).toBe(seeded.threads.length + 1)
    const one = await client.request('thread/counts', { repoId: ciThread.repoId })
    expect(one.repos).toEqual(counts.repos.filter((c) => c.repoId === ciThread.repoId))
    expect(one.all.states['ci-failed']).toBe(1)
  })

  it('`skein list --state error` prints only the threads in error; an unknown state is a usage error', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx electron-vite build\` first (npm test does).`)
    const run = (args: string[]) => skein(['list', ...args], { home: core.dataDir.home, modelUrl: 'http://127.0.0.1:9' })
    const inError = (await scan()).filter((s) => s.state === 'error').map((s) => s.thread.id)
    const text = await run(['--state', 'error'])
    expect(text.stderr).toBe('')
    expect(text.code).toBe(0)
    const rows = text.stdout.split('\n').filter((l) => /^\s+t\w+\s/.test(l))
    expect(rows.map((l) => l.trim().split(/\s+/)[0]).sort()).toEqual([...inError].sort())
    for (const row of rows) expect(row).toMatch(/^\s+t\w+\s+Error\s/)

    const json = await run(['--state', 'ci-failed,archived', '--json'])
    expect(json.code).toBe(0)
    const listed = (JSON.parse(json.stdout) as { repos: { threads: (Thread & { state: string })[] }[] }).repos.flatMap((r) => r.threads)
    expect(new Set(listed.map((t) => t.state))).toEqual(new Set(['ci-failed', 'archived']))
    expect(listed.find((t) => t.state === 'ci-failed')?.id).toBe(ciThread.id)

    const bad = await run(['--state', 'error,sleepy'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('"sleepy" is not a thread state')
    expect(bad.stderr).toContain('Usage: skein list')
  }, 120_000)
})

describe('thread/list pages around a thread', () => {
  afterEach(cleanupTemp, 180_000)

  it('anchors a centred page; walking back with before and on with next visits every thread once in order, also while threads change', async () => {
    const home = tempDir('skein-anchor-')
    const seeded = await seedScaleHome(home, { threads: 1500, repos: 2 })
    const { core } = await makeCore(home, { listenSocket: true })
    const client = clientOf(core)
    const live = seeded.threads.filter((t) => t.status !== 'archived')
    const LIMIT = 40

    const middle = live[700]!
    const centred = await client.request('thread/list', { anchor: { threadId: middle.id }, limit: LIMIT })
    expect(ids(centred.threads)).toEqual(ids(live.slice(700 - ((LIMIT - 1) >> 1), 700 - ((LIMIT - 1) >> 1) + LIMIT)))
    expect(centred.total).toBe(live.length)
    const first = await client.request('thread/list', { anchor: { threadId: live[0]!.id }, limit: LIMIT })
    expect([first.threads[0]!.id, first.previous, first.threads.length]).toEqual([live[0]!.id, null, LIMIT])
    const last = await client.request('thread/list', { anchor: { threadId: live.at(-1)!.id }, limit: LIMIT })
    expect([ids(last.threads), last.next]).toEqual([ids(live.slice(-LIMIT)), null])
    // A cursor made by the client from a thread it holds pages back from that thread.
    const before = await client.request('thread/list', { before: threadCursor(middle), limit: 3 })
    expect([ids(before.threads), before.next]).toEqual([ids(live.slice(697, 700)), threadCursor(live[699]!)])

    expect(ids(await walkAround(client, {}, middle.id, LIMIT))).toEqual(ids(live))

    // Between pages some threads move to the front (new activity) and others are only renamed (they keep their place).
    const moved = new Set<string>()
    let step = 0
    const change = async () => {
      step++
      const mover = live[(step * 211) % live.length]!.id
      moved.add(mover)
      expect(await core.threads.updateConversation(mover, {}, null)).not.toBeNull()
      must(await core.threads.rename(live[(step * 97 + 5) % live.length]!.id, `renamed at step ${step}`))
    }
    const walked = ids(await walkAround(client, {}, middle.id, LIMIT, change))
    expect(step).toBeGreaterThan(30)
    const steady = (list: string[]) => list.filter((id) => !moved.has(id))
    expect(steady(walked)).toEqual(steady(ids(live)))

    for (const bad of [
      { anchor: { threadId: 'tnosuchthread' }, limit: 5 },
      { anchor: { threadId: seeded.threads.find((t) => t.status === 'archived')!.id }, limit: 5 },
      { anchor: { threadId: middle.id }, cursor: threadCursor(middle), limit: 5 },
      { before: 'not-a-cursor', limit: 5 },
      { before: threadCursor(middle) }
    ])
      await expect(client.request('thread/list', bad), JSON.stringify(bad)).rejects.toMatchObject({ code: ErrorCode.InvalidParams })
    client.dispose()
    await core.close()
  }, 180_000)
})
