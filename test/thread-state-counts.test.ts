import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { seedScaleHome } from '../bench/lib/scale-home'
import type { Core } from '../src/main/core/core'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { DataDir } from '../src/main/core/store/data-dir'
import type { IndexFile } from '../src/main/core/store/thread-index-file'
import type { ThreadCounts } from '../src/main/core/threads/thread-pages'
import type { Thread } from '../src/shared/models'
import { RpcClient } from '../src/shared/rpc-client'
import { emptyCounts, liveStates, threadStateNames, threadStateOf, type ThreadState } from '../src/shared/thread-state'
import { threadWithFailedCi, useFakeGithub } from './helpers/ci-failure'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

const github = useFakeGithub()

type Listed = { thread: Thread; state: ThreadState }

/** A started core on `home` and a client of its socket. */
async function start(home: string): Promise<{ core: Core; client: RpcClient; stop: () => Promise<void> }> {
  const { core } = await makeCore(home, { listenSocket: true })
  const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
  return { core, client, stop: async () => (client.dispose(), await core.close()) }
}

/**
 * The reference, the old way: every thread of a known repository (a list without a limit filters them one by one),
 * each one's state derived from the thread and the CI statuses, counted per repository as thread/counts did.
 */
async function scan(client: RpcClient): Promise<{ listed: Listed[]; counts: ThreadCounts[] }> {
  const repos = (await client.request('repo/list')).repos
  const threads = (await client.request('thread/list', { archived: 'include' })).threads
  const failed = new Set((await client.request('ci/statuses')).statuses.filter((s) => s.overall === 'failed').map((s) => s.threadId))
  const listed = threads.map((thread) => ({ thread, state: threadStateOf({ ...thread, ciFailed: failed.has(thread.id) }).state }))
  const counts = new Map(repos.map((r) => [r.id, { repoId: r.id, live: 0, archived: 0, states: emptyCounts() }]))
  for (const { thread, state } of listed) {
    const c = counts.get(thread.repoId)!
    if (thread.status === 'archived') c.archived++
    else c.live++
    c.states[state]++
  }
  return { listed, counts: [...counts.values()] }
}

/** The state totals thread/list is asked for: each state alone, and sets under each archive filter. */
const queries: { states: ThreadState[]; archived?: 'exclude' | 'include' | 'only' }[] = [
  ...threadStateNames.map((s) => ({ states: [s], archived: 'include' as const })),
  { states: liveStates },
  { states: ['ci-failed', 'running', 'idle', 'archived'] },
  { states: ['archived', 'idle'], archived: 'only' },
  { states: ['error', 'ci-failed', 'setting-up', 'waiting', 'archived'], archived: 'include' }
]

/** Checks thread/counts and thread/list's totals by state against the scan; returns what the scan found. */
async function expectCountsOfScan(client: RpcClient, label: string): Promise<Listed[]> {
  const { listed, counts } = await scan(client)
  const got = await client.request('thread/counts')
  expect(got.repos, label).toEqual(counts)
  const all = { live: 0, archived: 0, states: emptyCounts() }
  for (const c of counts) {
    all.live += c.live
    all.archived += c.archived
    for (const s of threadStateNames) all.states[s] += c.states[s]
  }
  expect(got.all, label).toEqual(all)
  for (const repoId of [undefined, ...counts.map((c) => c.repoId)])
    for (const q of queries) {
      const archived = q.archived ?? 'exclude'
      const expected = listed.filter(
        ({ thread, state }) =>
          (repoId === undefined || thread.repoId === repoId) &&
          (archived === 'include' || (thread.status === 'archived') === (archived === 'only')) &&
          q.states.includes(state)
      ).length
      const page = await client.request('thread/list', { ...q, repoId, limit: 1 })
      expect(page.total, `${label}: ${repoId ?? 'all'} ${JSON.stringify(q)}`).toBe(expected)
    }
  return listed
}

const stateOf = (listed: Listed[], id: string) => listed.find((l) => l.thread.id === id)?.state

afterEach(cleanupTemp, 180_000)

describe('thread counts kept by the store equal a full scan', () => {
  it('after a load from index.json and archived.json, from every log when the index is lost, and with archived.json lost', async () => {
    const home = tempDir('skein-tally-load-')
    const seeded = await seedScaleHome(home, { threads: 240, repos: 2 })
    let core = await start(home)
    const listed = await expectCountsOfScan(core.client, 'from the index')
    expect(new Set(listed.map((l) => l.state))).toEqual(new Set(['archived', 'error', 'exited', 'finished', 'idle']))
    await core.stop()

    const dir = new DataDir(home)
    rmSync(dir.indexFile)
    core = await start(home)
    expect(await expectCountsOfScan(core.client, 'rebuilt from the logs')).toHaveLength(seeded.threads.length)
    await core.stop()
    expect(existsSync(dir.indexFile)).toBe(true)

    // Without archived.json the live threads are counted from index.json alone; the check of every log brings the archived back.
    rmSync(dir.archivedIndexFile)
    core = await start(home)
    const archived = seeded.threads.filter((t) => t.status === 'archived').length
    await eventually(async () => (await core.client.request('thread/counts')).all.archived === archived, 'the archived threads re-read')
    expect(await expectCountsOfScan(core.client, 'archived.json lost')).toHaveLength(seeded.threads.length)
    await core.stop()
  }, 180_000)

  it('after the archived index wins over an older live entry, and a log changed while Skein was stopped', async () => {
    const home = tempDir('skein-tally-archived-')
    const own = await seedScaleHome(home, { threads: 120, repos: 2 })
    const dir = new DataDir(home)
    const live = own.threads.filter((t) => t.status === 'idle' && !t.agent && t.conversation.turns === 0)
    // A save cut short: the log says archived and archived.json has that entry, index.json still the older live one.
    const archivedOne = live[0]!
    const at = Date.now()
    appendFileSync(
      dir.eventsFile(archivedOne.id),
      `${JSON.stringify({ type: 'thread.changed', at, reason: 'archived', patch: { status: 'archived', archivedAt: at } })}\n`
    )
    const index = JSON.parse(readFileSync(dir.archivedIndexFile, 'utf8')) as IndexFile
    index.threads.push({
      thread: { ...archivedOne, status: 'archived', archivedAt: at },
      logSize: statSync(dir.eventsFile(archivedOne.id)).size
    })
    writeFileSync(dir.archivedIndexFile, JSON.stringify(index))
    // Another log written by something else: the check after the start re-reads it.
    const erred = live[1]!
    appendFileSync(
      dir.eventsFile(erred.id),
      `${JSON.stringify({ type: 'thread.changed', at, reason: 'elsewhere', patch: { status: 'error', statusMessage: 'broke' } })}\n`
    )

    const core = await start(home)
    await eventually(async () => (await core.client.request('thread/get', { threadId: erred.id })).status === 'error', 'the re-read log')
    const listed = await expectCountsOfScan(core.client, 'after the archived load')
    expect([stateOf(listed, archivedOne.id), stateOf(listed, erred.id)]).toEqual(['archived', 'error'])
    await core.stop()
  }, 180_000)

  it('through creates, state changes, archive, restore, delete, a CI failure and a repository removed', async () => {
    const home = tempDir('skein-tally-changes-')
    const own = await seedScaleHome(home, { threads: 120, repos: 2 })
    const { core, client, stop } = await start(home)
    const expectState = async (label: string, id: string, state: ThreadState | undefined) =>
      expect(stateOf(await expectCountsOfScan(client, label), id), label).toBe(state)

    const repoId = own.repos[0]!.id
    const made = must(await core.threads.create({ repoId, title: 'counted', mode: 'local' }))
    await expectState('created', made.id, 'idle')
    await core.threads.updateAgent(made.id, { ptyId: 'p-counted', profileId: 'claude', activity: 'waiting', exitCode: null })
    await expectState('agent waiting', made.id, 'waiting')
    await core.threads.updateAgent(made.id, { ptyId: 'p-counted', profileId: 'claude', activity: 'exited', exitCode: 2 })
    await expectState('agent exited', made.id, 'exited')
    expect(await core.threads.updateConversation(made.id, { busy: true }, 'running')).not.toBeNull()
    await expectState('conversation busy', made.id, 'running')
    expect(await core.threads.updateConversation(made.id, { busy: true }, 'approval')).not.toBeNull()
    await expectState('approval waiting', made.id, 'needs-attention')
    expect(await core.threads.updateConversation(made.id, { busy: false }, 'done')).not.toBeNull()
    const setup = { startedAt: Date.now(), ptyId: null, copied: [], shared: [], failure: null, warnings: [] }
    await core.threads.setSetup(made.id, { ...setup, state: 'running', endedAt: null })
    await expectState('setup running', made.id, 'setting-up')
    await core.threads.setSetup(made.id, { ...setup, state: 'done', endedAt: Date.now() })
    await expectState('setup done', made.id, 'exited')

    must(await core.threads.archive(made.id))
    await expectState('archived', made.id, 'archived')
    must(await core.threads.restore(made.id))
    await expectState('restored', made.id, 'exited')
    const idle = own.threads.find((t) => t.repoId === repoId && t.status === 'idle' && !t.agent && t.conversation.turns === 0)!
    must(await core.threads.delete(idle.id))
    await expectState('deleted', idle.id, undefined)

    // CI: a failure moves its thread from its base state to ci-failed, unless a busier state comes first.
    const ci = await threadWithFailedCi(core, client, github())
    await expectState('CI failed', ci.id, 'ci-failed')
    expect(await core.threads.updateConversation(ci.id, { busy: true }, 'running')).not.toBeNull()
    await expectState('CI failed, agent running', ci.id, 'running')
    expect(await core.threads.updateConversation(ci.id, { busy: false }, 'done')).not.toBeNull()
    await expectState('CI failed, turn done', ci.id, 'ci-failed')

    // A repository with only archived threads left, then removed: its threads are counted nowhere.
    const gone = must(await core.repos.add(makeRepo('gone')))
    const goneThread = must(await core.threads.create({ repoId: gone.id, title: 'left behind', mode: 'local' }))
    must(await core.threads.archive(goneThread.id))
    await expectState('before the removal', goneThread.id, 'archived')
    must(await core.repos.remove(gone.id))
    await expectState('repository removed', goneThread.id, undefined)
    const counts = await client.request('thread/counts')
    expect(counts.repos.map((c) => c.repoId)).not.toContain(gone.id)
    await stop()
    expect(github().violations.splice(0)).toEqual([])
  }, 180_000)
})
