import { afterEach, describe, expect, it } from 'vitest'
import { seedScaleHome } from '../bench/lib/scale-home'
import { ErrorCode } from '../src/shared/errors'
import type { Thread } from '../src/shared/models'
import { cleanupTemp, makeCore, tempDir } from './helpers/fixtures'

// Closing a core of 20k threads waits for the search index's catch-up, which is slow on a busy machine.
afterEach(cleanupTemp, 180_000)

const SEEDED = 20_000
const LIMIT = 200

describe('thread/list pages at scale', () => {
  it('walks every page of 20k threads while threads change: each is on a page or announced as updated, none listed twice', async () => {
    const home = tempDir('skein-pages-')
    const seeded = await seedScaleHome(home, { threads: SEEDED, repos: 2 })
    const { core } = await makeCore(home)
    const call = async (params: object) => {
      const reply = JSON.parse((await core.rpc.dispatch(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'thread/list', params })))!)
      return reply as { result?: { threads: Thread[]; next: string | null; total: number }; error?: { code: number; message: string } }
    }
    const updated = new Set<string>()
    core.bus.subscribe((name, p) => {
      if (name === 'thread/updated') updated.add((p as { thread: Thread }).thread.id)
    })

    const seen = new Map<string, number>()
    const inFlight: Promise<unknown>[] = []
    let cursor: string | undefined
    let pages = 0
    let firstTotal = -1
    do {
      const page = (await call({ archived: 'include', limit: LIMIT, ...(cursor ? { cursor } : {}) })).result!
      if (firstTotal < 0) firstTotal = page.total
      for (const t of page.threads) seen.set(t.id, (seen.get(t.id) ?? 0) + 1)
      cursor = page.next ?? undefined
      pages++
      // Between pages, threads change: some move to the front (new activity), some only get a new title.
      const k = pages * 37
      inFlight.push(core.threads.updateConversation(seeded.threads[(k * 13) % SEEDED]!.id, {}, null))
      inFlight.push(core.threads.rename(seeded.threads[(k * 7 + 3) % SEEDED]!.id, `renamed on page ${pages}`))
    } while (cursor)
    await Promise.all(inFlight)

    expect(firstTotal).toBe(SEEDED)
    expect(pages).toBeGreaterThanOrEqual(SEEDED / LIMIT)
    // A thread moved to the front after the walk passed the front is not on a later page: its thread/updated told the
    // client instead. Every other thread is on a page.
    const missing = seeded.threads.filter((t) => !seen.has(t.id) && !updated.has(t.id)).map((t) => t.id)
    expect(missing).toEqual([])
    const twiceWithoutUpdate = [...seen].filter(([id, n]) => n > 1 && !updated.has(id)).map(([id]) => id)
    expect(twiceWithoutUpdate).toEqual([])
    // Threads not yet listed when renamed keep their place, so the walk still lists them.
    expect(seeded.threads.filter((t) => updated.has(t.id) && seen.has(t.id)).length).toBeGreaterThan(0)
    expect(seen.size).toBeGreaterThan(SEEDED - pages)
  }, 180_000)

  it('pages by repository and archive state count what they list; a cursor it never gave is InvalidParams', async () => {
    const home = tempDir('skein-pages-')
    const seeded = await seedScaleHome(home, { threads: 3000, repos: 3 })
    const { core } = await makeCore(home)
    const call = async (params: object) =>
      JSON.parse((await core.rpc.dispatch(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'thread/list', params })))!) as {
        result?: { threads: Thread[]; next: string | null; total: number }
        error?: { code: number }
      }
    const repo = seeded.repos[1]!.id
    const expected = seeded.threads.filter((t) => t.repoId === repo && t.status === 'archived')
    const ids: string[] = []
    let cursor: string | undefined
    do {
      const page = (await call({ repoId: repo, archived: 'only', limit: 50, ...(cursor ? { cursor } : {}) })).result!
      expect(page.total).toBe(expected.length)
      ids.push(...page.threads.map((t) => t.id))
      cursor = page.next ?? undefined
    } while (cursor)
    // The seed's threads are most recent first in index order, so the walk's order is theirs.
    expect(ids).toEqual(expected.map((t) => t.id))
    expect((await call({ limit: 10, cursor: 'not-a-cursor' })).error?.code).toBe(ErrorCode.InvalidParams)
  }, 120_000)
})
