import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Item } from '../src/shared/models'
import { RpcClient } from '../src/shared/rpc-client'
import { createCore, type Core } from '../src/main/core/core'
import { memoryLogger } from '../src/main/core/logger'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { Transcript } from '../src/main/core/agent/transcript'
import { DataDir } from '../src/main/core/store/data-dir'
import { RepoStore } from '../src/main/core/store/repo-store'
import { indexPathOf, LogIndex } from '../src/main/core/store/log-index'
import { ThreadStore } from '../src/main/core/store/thread-store'
import { cleanupTemp, makeCore, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'
import { appendItems, rigThread } from './helpers/transcript-rig'

afterEach(cleanupTemp)

const MiB = 1024 * 1024
/** Above the warmer's 8 MiB threshold. */
const BIG = 9 * MiB
const ITEM_BYTES = 32 * 1024
const CORRUPT = 'not a line of JSON\n'

interface Seeded {
  id: string
  log: string
  /** Items in the log, item-0 … item-(items-1). */
  items: number
}

/** Threads seeded straight onto disk (no core running): a creation event, then `bytes` of item lines each. */
async function seedHome(
  home: string,
  specs: { id: string; bytes: number; activity: number; archived?: boolean; corruptAfter?: number }[]
): Promise<Seeded[]> {
  const store = await ThreadStore.open(new DataDir(home), memoryLogger())
  const out: Seeded[] = []
  for (const s of specs) {
    const { thread, repo } = rigThread(s.id)
    const created = await store.create({ ...thread, lastActivityAt: s.activity }, repo)
    if (!created.ok) throw new Error(created.error.message)
    if (s.archived) await store.update(s.id, { status: 'archived', archivedAt: s.activity }, 'archived')
    const log = store.logPath(s.id)
    const items = Math.ceil(s.bytes / ITEM_BYTES)
    const cut = s.corruptAfter ?? items
    await appendItems(log, 0, cut, s.id, ITEM_BYTES)
    if (cut < items) {
      appendFileSync(log, CORRUPT)
      await appendItems(log, cut, items - cut, s.id, ITEM_BYTES)
    }
    out.push({ id: s.id, log, items })
  }
  await store.flush()
  await RepoStore.open(new DataDir(home), memoryLogger(), () => store.reposInLogs())
  await syncSizes(home)
  return out
}

/** The store's index records the logs' sizes as they are now (written behind its back), as a clean stop would leave it. */
async function syncSizes(home: string): Promise<void> {
  const store = await ThreadStore.open(new DataDir(home), memoryLogger())
  await store.flush()
}

const covered = (s: Seeded) => LogIndex.coveredOnDisk(s.log, indexPathOf(s.log))
const indexedWhole = async (s: Seeded) => (await covered(s)) === statSync(s.log).size
/** Warnings, but the first start's note that search builds its index. */
const warnings = (logger: ReturnType<typeof memoryLogger>) =>
  logger.lines.filter((l) => l.level !== 'info' && !/search index/.test(l.message)).map((l) => l.message)
const warmedLines = (logger: ReturnType<typeof memoryLogger>) =>
  logger.lines.filter((l) => l.level === 'info' && /^Indexed the .* MB log of thread/.test(l.message)).map((l) => l.message)

/** The last item of the thread's window at the end, asked over the CLI socket as any client asks. */
async function lastItemId(core: Core, threadId: string): Promise<string | undefined> {
  const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
  try {
    const w = (await client.request('item/list', { threadId, anchor: 'end', limit: 20 })) as { items: Item[]; total: number }
    return w.items.at(-1)?.id
  } finally {
    client.dispose()
  }
}

describe('offset indexes warmed after start', () => {
  it('builds a missing index of a big log with no request, live threads first, and serves the end from it', async () => {
    const home = tempDir('skein-warm-')
    // The archived thread is the most recently active: it still comes after the live one.
    const [live, archived] = await seedHome(home, [
      { id: 'tWarm00001', bytes: BIG, activity: 1_000 },
      { id: 'tWarm00002', bytes: BIG, activity: 2_000, archived: true }
    ])
    expect(existsSync(indexPathOf(live!.log))).toBe(false)
    const { core, logger } = await makeCore(home, { listenSocket: true })
    await eventually(async () => (await indexedWhole(live!)) && (await indexedWhole(archived!)), 'both logs to be indexed', 60_000)
    await eventually(() => warmedLines(logger).length === 2, 'a line for each log warmed')
    const lines = warmedLines(logger)
    expect(lines[0]).toContain(live!.id)
    expect(lines[1]).toContain(archived!.id)
    expect(lines[0]).toMatch(/the 9\.\d MB log/)
    expect(await lastItemId(core, live!.id)).toBe(`item-${live!.items - 1}`)
    expect(await lastItemId(core, archived!.id)).toBe(`item-${archived!.items - 1}`)
    expect(warnings(logger)).toEqual([])
  }, 90_000)

  it('catches up a sidecar left behind by a log that grew while the core was stopped, and leaves a current one alone', async () => {
    const home = tempDir('skein-warm-')
    const [stale, current] = await seedHome(home, [
      { id: 'tWarm00001', bytes: BIG, activity: 1_000 },
      { id: 'tWarm00002', bytes: BIG, activity: 2_000 }
    ])
    const store = await ThreadStore.open(new DataDir(home), memoryLogger())
    const transcript = new Transcript(store, memoryLogger())
    await transcript.indexNow(stale!.id)
    await transcript.indexNow(current!.id)
    await store.flush()
    const before = await covered(stale!)
    expect(before).toBe(statSync(stale!.log).size)
    // 2 MiB more, written while no core runs.
    const more = Math.ceil((2 * MiB) / ITEM_BYTES)
    await appendItems(stale!.log, stale!.items, more, stale!.id, ITEM_BYTES)
    await syncSizes(home)
    expect(await covered(stale!)).toBe(before)

    const { core, logger } = await makeCore(home, { listenSocket: true })
    await eventually(() => indexedWhole(stale!), 'the stale index to catch up', 60_000)
    await eventually(() => warmedLines(logger).length > 0, 'the line for the log warmed')
    // The current one, more recently active, was looked at first: it needed nothing.
    expect(warmedLines(logger)).toHaveLength(1)
    expect(warmedLines(logger)[0]).toContain(stale!.id)
    expect(await lastItemId(core, stale!.id)).toBe(`item-${stale!.items + more - 1}`)
    expect(warnings(logger)).toEqual([])
  }, 90_000)

  it('writes no sidecar for small logs', async () => {
    const home = tempDir('skein-warm-')
    // The small logs are more recently active: the warmer passed them before the big one.
    const [big, small, smallArchived] = await seedHome(home, [
      { id: 'tWarm00001', bytes: BIG, activity: 1_000 },
      { id: 'tWarm00002', bytes: 2 * MiB, activity: 2_000 },
      { id: 'tWarm00003', bytes: 7 * MiB, activity: 3_000, archived: true }
    ])
    const { logger } = await makeCore(home)
    await eventually(() => indexedWhole(big!), 'the big log to be indexed', 60_000)
    await eventually(() => warmedLines(logger).length > 0, 'the line for the log warmed')
    expect(existsSync(indexPathOf(small!.log))).toBe(false)
    expect(existsSync(indexPathOf(smallArchived!.log))).toBe(false)
    expect(warmedLines(logger)).toHaveLength(1)
  }, 90_000)

  it('closing the core while it indexes a big log stops it there; the next start goes on from it and serves the log right', async () => {
    const home = tempDir('skein-warm-')
    const corruptAfter = 100
    const [first, second] = await seedHome(home, [
      { id: 'tWarm00001', bytes: BIG, activity: 2_000, corruptAfter },
      { id: 'tWarm00002', bytes: BIG, activity: 1_000 }
    ])
    // The offset index reports the corrupt line as it reaches it: the core is closed right then, in the middle of the log.
    const logger = memoryLogger()
    let core: Core | undefined
    let closing: Promise<void> | undefined
    const warn = logger.warn
    logger.warn = (m) => {
      warn(m)
      if (/^The offset index skipped a corrupt line/.test(m))
        closing ??= core ? core.close() : Promise.reject(new Error('warned before the core was up'))
    }
    core = await createCore({ home, logger, listenSocket: false })
    try {
      await eventually(() => closing !== undefined, 'the warmer to reach the corrupt line', 60_000)
      await closing
    } finally {
      await core.close()
    }
    // Stopped at the line after the corrupt one, the index sound up to there (the header says so).
    const text = readFileSync(first!.log, 'latin1')
    expect(await covered(first!)).toBe(text.indexOf(CORRUPT) + CORRUPT.length)
    expect(text.indexOf(CORRUPT) + CORRUPT.length).toBeLessThan(text.length / 2)
    expect(existsSync(indexPathOf(second!.log))).toBe(false)
    expect(warmedLines(logger)).toEqual([])

    // The next start: the index goes on from where it stopped (no rebuild, no warning), and serves every window.
    const again = await makeCore(home, { listenSocket: true })
    await eventually(async () => (await indexedWhole(first!)) && (await indexedWhole(second!)), 'both logs to be indexed', 60_000)
    expect(await lastItemId(again.core, first!.id)).toBe(`item-${first!.items - 1}`)
    expect(await lastItemId(again.core, second!.id)).toBe(`item-${second!.items - 1}`)
    expect(warnings(again.logger)).toEqual([])
  }, 90_000)
})
