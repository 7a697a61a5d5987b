import {
  appendFileSync,
  chmodSync,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync
} from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { SearchIndexer } from '../src/main/core/search/search-indexer'
import { DataDir } from '../src/main/core/store/data-dir'
import { ThreadStore } from '../src/main/core/store/thread-store'
import { memoryLogger } from '../src/main/core/logger'
import { ErrorCode } from '../src/shared/errors'
import type { Item } from '../src/shared/models'
import { RpcClient } from '../src/shared/rpc-client'
import { MATCH_END, MATCH_START, type SearchState } from '../src/shared/search'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

let server: ModelServer
beforeAll(async () => {
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(cleanupTemp)

type Made = Awaited<ReturnType<typeof makeCore>>

async function start(home?: string): Promise<Made & { client: RpcClient }> {
  const made = await makeCore(home, { listenSocket: true })
  const client = new RpcClient(socketTransport(connect(made.core.dataDir.socketPath)))
  return { ...made, client }
}

const search = (client: RpcClient, query: string, more: Record<string, unknown> = {}) => client.request('search/query', { query, ...more })
const found = async (client: RpcClient, query: string, more: Record<string, unknown> = {}) =>
  (await search(client, query, more)).results.length > 0

/** Saves an item the way the agent and the handoff do: into the log, then news on the bus. */
async function say(made: Made, threadId: string, text: string, fields: Partial<Item> = {}): Promise<Item> {
  const item: Item = {
    id: `i${Math.random().toString(36).slice(2)}`,
    threadId,
    turnId: 'u1',
    kind: 'assistant',
    status: 'completed',
    createdAt: Date.now(),
    text,
    ...fields
  }
  await made.core.transcript.save(item)
  made.core.bus.publish('item/completed', { item })
  return item
}

describe('search', () => {
  it('keeps its index readable by the owner only, and makes an index left readable by others private again', async () => {
    const made = await start()
    const repo = must(await made.core.repos.add(makeRepo()))
    const t = must(await made.core.threads.create({ repoId: repo.id, title: 'Private index', mode: 'local' }))
    await say(made, t.id, 'the quokka ledger')
    await eventually(() => found(made.client, 'quokka'), 'the item to be searchable')
    const dir = join(made.home, 'search')
    const loose = () =>
      readdirSync(dir)
        .map((f) => [f, statSync(join(dir, f)).mode & 0o777] as const)
        .filter(([, m]) => (m & 0o077) !== 0)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(loose()).toEqual([])
    made.client.dispose()
    await made.core.close()
    chmodSync(join(dir, 'index.db'), 0o644)
    const again = await start(made.home)
    await eventually(() => found(again.client, 'quokka'), 'the item to be searchable after the restart')
    expect(loose()).toEqual([])
    again.client.dispose()
  })

  it('finds what the built-in agent wrote a moment ago, and again after a restart; catches up with what the log gained meanwhile', async () => {
    process.env.ANTHROPIC_API_KEY = 'test-key'
    const made = await start()
    const repo = must(await made.core.repos.add(makeRepo()))
    const thread = must(
      await made.core.threads.create({ repoId: repo.id, title: 'Calibration work', mode: 'worktree', permissionMode: 'auto' })
    )
    server.push(
      { text: 'Let me look.', toolUses: [{ name: 'bash', input: { command: 'echo quasar-telemetry-ok' } }] },
      { text: 'The flux capacitor needs recalibration.' }
    )
    must(await made.core.agent.startTurn(thread.id, 'Check the zebrafish configuration'))
    await eventually(() => made.core.threads.list().find((t) => t.id === thread.id)!.conversation.busy === false, 'the turn to end')

    await eventually(() => found(made.client, 'capacitor'), 'the reply to be found')
    const reply = (await search(made.client, 'capacitor')).results[0]!
    const items = await made.core.agent.items(thread.id)
    const replyItem = items.find((i) => i.text?.includes('capacitor'))!
    expect(reply).toMatchObject({
      threadId: thread.id,
      itemId: replyItem.id,
      kind: 'assistant',
      threadTitle: 'Calibration work',
      repoId: repo.id
    })
    expect(reply.snippet).toContain(`${MATCH_START}capacitor${MATCH_END}`)
    await eventually(() => found(made.client, 'zebrafish'), 'the prompt to be found')
    expect((await search(made.client, 'zebrafish')).results[0]!.kind).toBe('user')
    // A tool's command and its output are searchable; so is the title.
    await eventually(() => found(made.client, 'quasar'), 'the tool output')
    expect((await search(made.client, 'quasar')).results.map((r) => r.kind)).toContain('tool')
    expect((await search(made.client, 'calibration')).results.map((r) => [r.kind, r.itemId])).toContainEqual(['title', null])
    made.client.dispose()
    await made.core.close()

    // The log gains an item while no core runs: the next start indexes only what is past the high-water mark.
    const late = { ...replyItem, id: 'late1', text: 'A late note about heliotrope.' }
    appendFileSync(made.core.dataDir.eventsFile(thread.id), `${JSON.stringify({ type: 'item.completed', at: Date.now(), item: late })}\n`)
    const again = await start(made.home)
    // What was indexed before is there as soon as the core is up: no rebuild.
    expect((await again.client.request('search/status')).state).toBe('ready')
    expect((await search(again.client, 'capacitor')).results[0]).toMatchObject({ itemId: replyItem.id })
    await eventually(() => found(again.client, 'heliotrope'), 'the item written while stopped')
    expect(again.logger.lines.some((l) => /rebuild/i.test(l.message))).toBe(false)
    expect(await again.client.request('search/status')).toMatchObject({ state: 'ready', threads: 1 })
    expect((await again.client.request('search/status')).items).toBeGreaterThanOrEqual(items.length + 1)
    again.client.dispose()
  })

  it('rebuilds a deleted index from the logs, with a notice, and the results come back', async () => {
    const made = await start()
    const repo = must(await made.core.repos.add(makeRepo()))
    const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'Lost index', mode: 'local' }))
    await say(made, thread.id, 'Remember the pelican protocol.')
    await eventually(() => found(made.client, 'pelican'), 'the item to be indexed')
    made.client.dispose()
    await made.core.close()
    const dir = join(made.home, 'search')
    for (const f of readdirSync(dir)) rmSync(join(dir, f))

    const again = await start(made.home)
    const status = await again.client.request('search/status')
    // Either still rebuilding or already done; the notice was given either way.
    expect(['rebuilding', 'ready']).toContain(status.state)
    await eventually(() => found(again.client, 'pelican'), 'the rebuilt index to find the item')
    expect(again.logger.lines.some((l) => l.level === 'warn' && /search index was missing/.test(l.message))).toBe(true)
    expect(existsSync(join(dir, 'index.db'))).toBe(true)
    again.client.dispose()
  })

  it('tells of a rebuild as search/rebuilding then search/ready', async () => {
    const made = await start()
    const repo = must(await made.core.repos.add(makeRepo()))
    const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'Notices', mode: 'local' }))
    await say(made, thread.id, 'The ocelot sleeps.')
    made.client.dispose()
    await made.core.close()
    rmSync(join(made.home, 'search'), { recursive: true })
    const dataDir = new DataDir(made.home)
    const store = await ThreadStore.open(dataDir, memoryLogger())
    const told: [string, SearchState][] = []
    const indexer = new SearchIndexer({
      dir: join(made.home, 'search'),
      logFile: (id) => dataDir.eventsFile(id),
      threads: () => store.list(),
      thread: (id) => store.get(id),
      logger: memoryLogger(),
      notify: (name, state) => told.push([name, state])
    })
    await indexer.start()
    await indexer.flush()
    expect(told.map(([n, s]) => [n, s.state])).toEqual([
      ['search/rebuilding', 'rebuilding'],
      ['search/ready', 'ready']
    ])
    expect(told[0]![1].message).toMatch(/Building the search index/)
    expect(told[1]![1]).toMatchObject({ threads: 1, items: 1 })
    const r = await indexer.query({ query: 'ocelot', limit: 10 })
    expect(must(r).results).toHaveLength(1)
    await indexer.close()
  })

  it('survives a corrupt index file: the core starts, rebuilds, and finds again', async () => {
    const made = await start()
    const repo = must(await made.core.repos.add(makeRepo()))
    const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'Corrupt index', mode: 'local' }))
    await say(made, thread.id, 'The narwhal migration report.')
    await eventually(() => found(made.client, 'narwhal'), 'the item to be indexed')
    made.client.dispose()
    await made.core.close()
    const dir = join(made.home, 'search')
    for (const f of readdirSync(dir)) rmSync(join(dir, f))
    writeFileSync(join(dir, 'index.db'), Buffer.alloc(64 * 1024, 'this is not a database '))

    const again = await start(made.home)
    await eventually(() => found(again.client, 'narwhal'), 'the rebuilt index')
    expect(again.logger.lines.some((l) => l.level === 'warn' && /could not be read/.test(l.message))).toBe(true)
    expect((await again.client.request('repo/list')).repos).toHaveLength(1)
    again.client.dispose()
  })

  it('filters by repository, status and time, and pages with a cursor', async () => {
    const made = await start()
    const a = must(await made.core.repos.add(makeRepo('alpha')))
    const b = must(await made.core.repos.add(makeRepo('beta')))
    const ta = must(await made.core.threads.create({ repoId: a.id, title: 'Alpha', mode: 'local' }))
    const tb = must(await made.core.threads.create({ repoId: b.id, title: 'Beta', mode: 'worktree' }))
    await say(made, ta.id, 'walrus in alpha', { createdAt: 1_000_000 })
    await say(made, tb.id, 'walrus in beta', { createdAt: 2_000_000 })
    for (let i = 0; i < 5; i++) await say(made, ta.id, `walrus number ${i}`, { createdAt: 3_000_000 + i })
    await eventually(async () => (await search(made.client, 'walrus', { limit: 50 })).results.length === 7, 'all seven')
    expect((await search(made.client, 'walrus', { repoId: b.id })).results.map((r) => r.snippet)).toEqual([
      `${MATCH_START}walrus${MATCH_END} in beta`
    ])
    const older = await search(made.client, 'walrus', { until: 2_500_000 })
    expect(older.results.map((r) => r.threadId).sort()).toEqual([ta.id, tb.id].sort())
    const window = await search(made.client, 'walrus', { since: 1_500_000, until: 2_500_000 })
    expect(window.results.map((r) => r.threadId)).toEqual([tb.id])

    must(await made.core.threads.archive(tb.id))
    await eventually(async () => (await search(made.client, 'walrus', { status: 'archived' })).results.length === 1, 'the archived status')
    expect((await search(made.client, 'walrus', { status: 'archived' })).results[0]!.threadId).toBe(tb.id)
    expect((await search(made.client, 'walrus', { status: 'idle' })).results.every((r) => r.threadId === ta.id)).toBe(true)
    expect((await search(made.client, 'walrus', { profileId: 'builtin' })).results.length).toBe(7)
    expect((await search(made.client, 'walrus', { profileId: 'codex' })).results.length).toBe(0)

    // Pages: 3 + 3 + 1, no result twice.
    const seen: string[] = []
    let cursor: string | undefined
    for (let page = 0; page < 3; page++) {
      const r = await search(made.client, 'walrus', { limit: 3, ...(cursor ? { cursor } : {}) })
      seen.push(...r.results.map((x) => x.itemId!))
      cursor = r.nextCursor ?? undefined
      if (page < 2) expect(cursor).toBeDefined()
      else expect(r.nextCursor).toBeNull()
    }
    expect(new Set(seen).size).toBe(7)
    made.client.dispose()
  })

  it('supports "exact phrases" and prefix*, and answers hostile queries with clear errors or results', async () => {
    const made = await start()
    const repo = must(await made.core.repos.add(makeRepo()))
    const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'Queries', mode: 'local' }))
    await say(made, thread.id, 'the quick brown fox jumps')
    await say(made, thread.id, 'brown quick fox, NEAR the AND of "OR" tables')
    await eventually(() => found(made.client, 'fox'), 'the items')
    expect((await search(made.client, 'fox')).results).toHaveLength(2)
    expect((await search(made.client, '"quick brown"')).results).toHaveLength(1)
    expect((await search(made.client, 'jum*')).results).toHaveLength(1)
    expect((await search(made.client, 'jum')).results).toHaveLength(0)

    // FTS5 syntax typed by a person is searched for as words, never run.
    for (const q of [
      'NEAR(fox quick)',
      'fox AND',
      'OR',
      'fox NOT quick',
      'text:fox',
      '^fox',
      '"unterminated fox',
      'fox"',
      '(fox',
      'f*o*x',
      "'; DROP TABLE items; --"
    ]) {
      const r = await search(made.client, q).catch((e: { code: number; message: string }) => e)
      if ('results' in r) expect(Array.isArray(r.results)).toBe(true)
      else expect(r.code).toBe(ErrorCode.InvalidParams)
    }
    expect((await search(made.client, 'NEAR AND')).results).toHaveLength(1)
    for (const [q, message] of [
      ['', /Type a word/],
      ['*** ??? ...', /Type a word/],
      ['fox\u0000', /NUL/],
      ['x'.repeat(1024 * 1024), /at most 1000 characters|too large/i],
      [Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '), /at most 32/]
    ] as const) {
      await expect(search(made.client, q)).rejects.toMatchObject({ message: expect.stringMatching(message) })
    }
    await expect(search(made.client, 'fox', { cursor: 'abc' })).rejects.toMatchObject({ code: ErrorCode.InvalidParams })
    await expect(search(made.client, 'fox', { since: 5, until: 5 })).rejects.toMatchObject({ message: /later than/ })
    // Still serving.
    expect((await search(made.client, 'fox')).results).toHaveLength(2)
    made.client.dispose()
  })

  it('drops a deleted thread from the results', async () => {
    const made = await start()
    const repo = must(await made.core.repos.add(makeRepo()))
    const keep = must(await made.core.threads.create({ repoId: repo.id, title: 'Keep', mode: 'local' }))
    const gone = must(await made.core.threads.create({ repoId: repo.id, title: 'Gone', mode: 'local' }))
    await say(made, keep.id, 'shared albatross')
    await say(made, gone.id, 'shared albatross too')
    await eventually(async () => (await search(made.client, 'albatross')).results.length === 2, 'both')
    must(await made.core.threads.delete(gone.id))
    await eventually(async () => (await search(made.client, 'albatross')).results.length === 1, 'the deleted thread to leave')
    expect((await search(made.client, 'albatross')).results[0]!.threadId).toBe(keep.id)
    expect((await search(made.client, 'gone')).results).toHaveLength(0)
    made.client.dispose()
  })

  it('finds items of an imported session', async () => {
    const { ClaudeSession, text, toolUse, writeClaudeSession } = await import('./helpers/session-fixtures')
    const made = await start()
    const repoPath = makeRepo()
    const userHome = tempDir('skein-user-')
    const sid = '0a1b2c3d-0000-4000-8000-0000000000cc'
    const s = new ClaudeSession(sid, repoPath)
    s.user('Why does the gryphon build fail?')
    s.assistant('m1', [text('Running it.'), toolUse('t1', 'Bash', { command: 'npm run build' })])
    s.toolResult('t1', 'error TS2304: Cannot find name Manticore', true)
    writeClaudeSession(join(userHome, '.claude'), '-x', `${sid}.jsonl`, s.text())
    const { HandoffService } = await import('../src/main/core/handoff/handoff-service')
    const handoff = new HandoffService({ ...made.core, home: userHome, env: {} })
    const imported = must(await handoff.import({ source: 'claude', sessionId: sid }))
    await eventually(() => found(made.client, 'manticore'), 'the imported tool output')
    const hit = (await search(made.client, 'manticore')).results[0]!
    expect(hit).toMatchObject({ threadId: imported.thread.id, kind: 'tool' })
    expect((await search(made.client, 'gryphon', { profileId: 'claude' })).results.map((r) => r.kind)).toContain('user')
    made.client.dispose()
  })
})

describe('search over a damaged or renamed past', () => {
  it('rebuilds an index whose pages are damaged past its header, and the core keeps serving', async () => {
    const made = await start()
    const repo = must(await made.core.repos.add(makeRepo()))
    const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'Damaged pages', mode: 'local' }))
    for (let i = 0; i < 60; i++) await say(made, thread.id, `entry ${i} about the basilisk ${'lorem ipsum dolor '.repeat(60)}`)
    await eventually(async () => (await search(made.client, 'basilisk', { limit: 100 })).results.length === 60, 'all entries')
    made.client.dispose()
    await made.core.close()
    const file = join(made.home, 'search', 'index.db')
    const size = statSync(file).size
    expect(size).toBeGreaterThan(64 * 1024)
    // The first half (schema, metadata, threads) stays readable: the file opens, and the damage shows when a search reads the text.
    const from = Math.floor(size / 2 / 4096) * 4096
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(size - from, 0x5a), 0, size - from, from)
    closeSync(fd)

    const again = await start(made.home)
    await eventually(async () => {
      const r = await search(again.client, 'basilisk', { limit: 100 }).catch((e: { code: number }) => e)
      if (!('results' in r)) expect(r.code).toBe(ErrorCode.StorageFailed)
      return 'results' in r && r.results.length === 60
    }, 'the rebuilt index')
    expect(again.logger.lines.some((l) => l.level === 'warn' && /rebuilding it from the threads' logs/i.test(l.message))).toBe(true)
    expect((await again.client.request('thread/list', {})).threads).toHaveLength(1)
    again.client.dispose()
  })

  it('follows a renamed thread: the new title is found, the old one is not', async () => {
    const made = await start()
    const repo = must(await made.core.repos.add(makeRepo()))
    const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'Chimera plan', mode: 'local' }))
    await eventually(() => found(made.client, 'chimera'), 'the first title')
    must(await made.core.threads.rename(thread.id, 'Hydra plan'))
    await eventually(() => found(made.client, 'hydra'), 'the new title')
    expect(await found(made.client, 'chimera')).toBe(false)
    expect((await search(made.client, 'plan')).results).toEqual([expect.objectContaining({ kind: 'title', threadTitle: 'Hydra plan' })])
    made.client.dispose()
  })
})
