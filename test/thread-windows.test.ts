import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { seedScaleHome } from '../bench/lib/scale-home'
import type { Core } from '../src/main/core/core'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import type { Thread } from '../src/shared/models'
import { RpcClient } from '../src/shared/rpc-client'
import { emptyCounts, type ThreadState } from '../src/shared/thread-state'
import { setRpcClient } from '../src/renderer/state/rpc'
import { firstThreads } from '../src/renderer/state/thread-loader'
import { liveInState } from '../src/renderer/state/thread-groups'
import { useThreads } from '../src/renderer/state/threads-store'
import {
  countChange,
  loadThrough,
  loadUntil,
  resetWindows,
  useThreadWindows,
  windowOfList,
  type ThreadFilter
} from '../src/renderer/state/thread-windows'
import { cleanupTemp, makeCore, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

const ids = (threads: readonly Thread[]) => threads.map((t) => t.id)
const NO_CI = new Set<string>()

/** The loaded threads of a list, in order, as the dashboard and sidebar take them from the groups. */
function loadedIn(f: ThreadFilter): Thread[] {
  const { groups, byId } = useThreads.getState()
  if (f.state) return liveInState(groups, f.state, NO_CI, (id) => byId[id], f.repoId)
  return (f.repoId ? groups.live.get(f.repoId) : groups.liveOrder) ?? []
}

/** Every live thread of a list in the core's order, page by page. */
async function coreList(client: RpcClient, f: ThreadFilter): Promise<string[]> {
  const out: string[] = []
  let cursor: string | undefined
  do {
    const page = await client.request('thread/list', {
      limit: 5000,
      cursor,
      ...(f.repoId ? { repoId: f.repoId } : {}),
      ...(f.state ? { states: [f.state] } : {})
    })
    out.push(...ids(page.threads))
    cursor = page.next ?? undefined
  } while (cursor)
  return out
}

/** Connects the window's thread state to a core the way the app's connection does, and loads the first page. */
async function connectWindow(core: Core): Promise<RpcClient> {
  const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
  setRpcClient(client)
  client.on('thread/updated', (raw) => {
    const thread = (raw as { thread: Thread }).thread
    const previous = useThreads.getState().byId[thread.id]
    useThreads.getState().upsert(thread)
    countChange(previous, thread, false)
  })
  client.on('thread/removed', (raw) => {
    const { threadId } = raw as { threadId: string }
    countChange(useThreads.getState().byId[threadId], null, false)
    useThreads.getState().remove(threadId)
  })
  const first = await firstThreads(client)
  useThreads.getState().replaceAll(first.threads)
  resetWindows(first)
  await eventually(() => useThreadWindows.getState().counted, 'the first counts')
  return client
}

/**
 * Where a list's window differs from the core (null: nowhere): its shown rows must be the core's list's first
 * rows exactly, and shown plus placeholders its length.
 */
function mismatch(f: ThreadFilter, core: string[]): string | null {
  const loaded = loadedIn(f)
  const { shown, pending } = windowOfList(useThreadWindows.getState(), f, loaded)
  const rows = ids(loaded.slice(0, shown))
  if (rows.join() !== core.slice(0, shown).join()) return `${JSON.stringify(f)}: shown rows differ from the core's first ${shown}`
  if (shown + pending !== core.length)
    return `${JSON.stringify(f)}: ${shown} shown + ${pending} placeholders, the core lists ${core.length}`
  return null
}

async function expectInStep(client: RpcClient, filters: ThreadFilter[]): Promise<void> {
  const lists = await Promise.all(filters.map((f) => coreList(client, f)))
  let last: string | null = null
  // Counts asked again after a change the window could not count itself arrive a moment later.
  await eventually(
    () => (last = filters.map((f, i) => mismatch(f, lists[i]!)).find((m) => m !== null) ?? null) === null,
    'the window',
    10_000
  ).catch(() => {
    throw new Error(`the window is out of step: ${last}`)
  })
}

describe("the window's thread lists", () => {
  afterEach(cleanupTemp, 180_000)

  it('shows every list as the first rows of the core’s order plus placeholders up to its count, while threads change', async () => {
    const home = tempDir('skein-windows-')
    const seeded = await seedScaleHome(home, { threads: 1500, repos: 2 })
    const { core } = await makeCore(home, { listenSocket: true })
    const client = await connectWindow(core)
    const [a, b] = seeded.repos.map((r) => r.id) as [string, string]
    const filters: ThreadFilter[] = [
      { repoId: null, state: null },
      { repoId: a, state: null },
      { repoId: b, state: null },
      { repoId: null, state: 'error' },
      { repoId: b, state: 'idle' }
    ]
    // The first page covers the top 300 of every list; nothing below it shows, and the counts are the core's.
    expect(useThreads.getState().groups.liveCount).toBe(300)
    await expectInStep(client, filters)
    const tally = useThreadWindows.getState().tallies
    expect(tally.all.live).toBe(seeded.threads.filter((t) => t.status !== 'archived').length)

    // Scrolling a list down loads its pages (and only its own), each change in the core meanwhile followed.
    const live = seeded.threads.filter((t) => t.status !== 'archived')
    let step = 0
    const change = async () => {
      step++
      const deep = live[live.length - 1 - ((step * 37) % 400)]!
      // An unloaded thread deep in the list gets activity (it jumps to the top), another is renamed in place,
      // one is archived and one restored, and a new thread is made.
      expect(await core.threads.updateConversation(deep.id, { turns: step }, null)).not.toBeNull()
      must(await core.threads.rename(live[(step * 97) % live.length]!.id, `renamed ${step}`))
      await client.request('thread/archive', { threadId: live[(step * 53 + 11) % live.length]!.id }).catch(() => undefined)
      await client.request('thread/create', { repoId: step % 2 ? a : b, title: `new ${step}`, mode: 'local' })
    }
    for (const [f, rows] of [
      [filters[1]!, 700],
      [filters[4]!, 500],
      [filters[3]!, 40]
    ] as const) {
      const loading = loadUntil(f, rows, () => loadedIn(f))
      await change()
      await loading
      await change()
      expect(windowOfList(useThreadWindows.getState(), f, loadedIn(f)).shown).toBeGreaterThanOrEqual(
        Math.min(rows, (await coreList(client, f)).length)
      )
      await expectInStep(client, filters)
    }
    expect(step).toBe(6)

    // Revealing a thread at the bottom of repository b loads that list down to it, and no other.
    const allBefore = windowOfList(useThreadWindows.getState(), filters[0]!, loadedIn(filters[0]!)).shown
    const bList = await coreList(client, filters[2]!)
    const bottom = useThreads.getState().byId[bList.at(-1)!] ?? (await client.request('thread/get', { threadId: bList.at(-1)! }))
    useThreads.getState().merge([bottom])
    await loadThrough(bottom)
    const bWindow = windowOfList(useThreadWindows.getState(), filters[2]!, loadedIn(filters[2]!))
    expect([bWindow.shown, bWindow.pending]).toEqual([bList.length, 0])
    expect(windowOfList(useThreadWindows.getState(), filters[0]!, loadedIn(filters[0]!)).shown).toBe(allBefore)
    await expectInStep(client, filters)

    // The counts per state match the core's own (once a count asked again after the last unloaded change is in).
    const counts = await client.request('thread/counts')
    const same = () => {
      const mine = useThreadWindows.getState().tallies
      const repos = counts.repos.map((r) => [mine.repos.get(r.repoId), { live: r.live, archived: r.archived, states: r.states }])
      return JSON.stringify([mine.all, ...repos.map(([m]) => m)]) === JSON.stringify([counts.all, ...repos.map(([, c]) => c)])
    }
    await eventually(same, 'the counts to match the core', 10_000).catch(() => {
      expect(useThreadWindows.getState().tallies.all).toEqual(counts.all) // says how they differ
    })
    expect(same()).toBe(true)
    expect(Object.keys(emptyCounts()).sort()).toEqual(Object.keys(counts.all.states as Record<ThreadState, number>).sort())
    setRpcClient(null)
    client.dispose()
    await core.close()
  }, 180_000)

  it('drops a page that answers after the window started over (a reconnect), and asks again from the new first page', async () => {
    const home = tempDir('skein-windows-reconnect-')
    const seeded = await seedScaleHome(home, { threads: 2000, repos: 1 })
    const { core } = await makeCore(home, { listenSocket: true })
    const client = await connectWindow(core)
    const f: ThreadFilter = { repoId: seeded.repos[0]!.id, state: null }
    // The page is asked for; before its answer can be read the window starts over, as a new connection does.
    const first = await firstThreads(client)
    const loading = loadUntil(f, 1500, () => loadedIn(f))
    useThreads.getState().replaceAll(first.threads)
    resetWindows(first)
    await loading
    // Neither the page of the old connection nor any other was applied: the load ended with its connection.
    expect(useThreads.getState().groups.liveCount).toBe(300)
    expect(windowOfList(useThreadWindows.getState(), f, loadedIn(f)).shown).toBe(300)
    // Asked again, the list pages on from the new first page.
    await loadUntil(f, 1500, () => loadedIn(f))
    await expectInStep(client, [f, { repoId: null, state: null }])
    expect(windowOfList(useThreadWindows.getState(), f, loadedIn(f)).shown).toBeGreaterThanOrEqual(1500)
    setRpcClient(null)
    client.dispose()
    await core.close()
  }, 180_000)
})
