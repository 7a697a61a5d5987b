import { appendFileSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../src/main/core/logger'
import { OUTPUT_CUT, OUTPUT_HEAD, OUTPUT_TAIL } from '../src/main/core/search/item-text'
import { PREFIX_WORDS, RANKED_WINDOW } from '../src/main/core/search/search-db'
import { SearchIndexer, type SearchIndexerDeps } from '../src/main/core/search/search-indexer'
import type { Item, Thread } from '../src/shared/models'
import { MATCH_END, MATCH_START } from '../src/shared/search'
import { cleanupTemp, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

const thread = (i: number): Thread =>
  ({
    id: `t${i}`,
    repoId: 'r1',
    title: `thread ${i}`,
    status: 'idle',
    agent: null,
    imported: null,
    createdAt: 1000 + i,
    lastActivityAt: 1000 + i
  }) as unknown as Thread

const item = (t: Thread, n: number, fields: Partial<Item>): Item => ({
  id: `${t.id}-${n}`,
  threadId: t.id,
  turnId: 'u1',
  kind: 'assistant',
  status: 'completed',
  createdAt: t.createdAt + n,
  ...fields
})

/** A home with threads whose logs hold items; the indexer's deps over it, with every log read counted. */
function home(threads: Thread[]) {
  const dir = tempDir()
  const logFile = (id: string) => join(dir, 'threads', id, 'events.jsonl')
  const append = (t: Thread, it: Item) => {
    mkdirSync(join(dir, 'threads', t.id), { recursive: true })
    appendFileSync(logFile(t.id), `${JSON.stringify({ type: 'item.completed', at: it.createdAt, item: it })}\n`)
  }
  const opened: string[] = []
  const deps = (more: Partial<SearchIndexerDeps> = {}) =>
    ({
      dir: join(dir, 'search'),
      logFile: (id) => (opened.push(id), logFile(id)),
      threads: () => threads,
      thread: (id) => threads.find((t) => t.id === id),
      logger: memoryLogger(),
      notify: () => undefined,
      batchMs: 0,
      ...more
    }) satisfies SearchIndexerDeps
  const storeSize = (id: string) => statSync(logFile(id)).size
  return { dir, append, deps, opened, storeSize }
}

const hits = async (ix: SearchIndexer, query: string) => must(await ix.query({ query, limit: 50 })).results

describe('search at scale', () => {
  it('catches up at start only with logs that changed, rewriting only threads that changed', async () => {
    const threads = Array.from({ length: 300 }, (_, i) => thread(i))
    const h = home(threads)
    for (const t of threads) h.append(t, item(t, 1, { text: `alpha${t.id} common words` }))
    let ix = new SearchIndexer(h.deps())
    await ix.start()
    await ix.flush()
    expect(await hits(ix, 'alphat299')).toHaveLength(1)
    await ix.close()

    // While the core was down: one log gained an item, one thread was renamed.
    h.append(threads[7]!, item(threads[7]!, 2, { text: 'gained while down' }))
    threads[9] = { ...threads[9]!, title: 'renamed meanwhile' }
    h.opened.length = 0
    const logger = memoryLogger()
    ix = new SearchIndexer(h.deps({ logSize: h.storeSize, logger }))
    await ix.start()
    await ix.flush()
    expect(h.opened).toEqual([threads[7]!.id])
    expect(logger.lines.map((l) => l.message)).toContain('Search caught up: 1 of 300 threads changed, 1 logs read.')
    expect((await hits(ix, 'gained')).map((r) => r.threadId)).toEqual([threads[7]!.id])
    expect((await hits(ix, 'renamed')).map((r) => [r.threadId, r.kind])).toEqual([[threads[9]!.id, 'title']])
    await ix.close()

    // Again, nothing changed: no log is read, no thread written (the disk's sizes this time, no store's).
    h.opened.length = 0
    const again = memoryLogger()
    ix = new SearchIndexer(h.deps({ logger: again }))
    await ix.start()
    await ix.flush()
    expect(again.lines.map((l) => l.message)).toContain('Search caught up: 0 of 300 threads changed, 0 logs read.')
    // Each log's size was asked of the disk once; none was opened to be read again.
    expect(h.opened.length).toBe(300)
    expect(await hits(ix, 'common')).toHaveLength(50)
    await ix.close()
  })

  it("catches up only after the core's start, and not at all if it closes first", async () => {
    const threads = [thread(1)]
    const h = home(threads)
    h.append(threads[0]!, item(threads[0]!, 1, { text: 'first words' }))
    let ix = new SearchIndexer(h.deps())
    await ix.start()
    await ix.flush()
    await ix.close()
    h.append(threads[0]!, item(threads[0]!, 2, { text: 'later platypus' }))

    let started!: () => void
    ix = new SearchIndexer(h.deps({ catchUpAfter: new Promise<void>((r) => (started = r)) }))
    await ix.start()
    await ix.flush()
    expect(await hits(ix, 'first')).toHaveLength(1)
    expect(await hits(ix, 'platypus')).toHaveLength(0)
    started()
    await eventually(async () => (await hits(ix, 'platypus')).length === 1, 'the catch-up after the start')
    await ix.close()

    const never = new SearchIndexer(h.deps({ catchUpAfter: new Promise(() => undefined) }))
    await never.start()
    await never.close()
  })

  it('indexes a huge output by its head and tail: both found, the middle not, the cut shown in the snippet', async () => {
    const threads = [thread(1)]
    const h = home(threads)
    const filler = (n: number) => 'lorem ipsum '.repeat(Math.ceil(n / 12)).slice(0, n)
    // Words at the edges of what is indexed: the last word of the head, the first of the tail; one just outside each.
    const head = `headfirst ${filler(OUTPUT_HEAD - 'headfirst '.length - ' headlast'.length)} headlast`
    const tail = `taillfirst ${filler(OUTPUT_TAIL - 'taillfirst '.length - ' taillast'.length)} taillast`
    const output = `${head} outsidehead ${filler(200_000)} middleword ${filler(200_000)} outsidetail ${tail}`
    h.append(threads[0]!, item(threads[0]!, 1, { kind: 'tool', tool: { useId: 'u', name: 'bash', input: { command: 'make' }, output } }))
    const ix = new SearchIndexer(h.deps())
    await ix.start()
    await ix.flush()
    for (const w of ['headfirst', 'headlast', 'taillfirst', 'taillast']) expect(await hits(ix, w), w).toHaveLength(1)
    for (const w of ['outsidehead', 'middleword', 'outsidetail']) expect(await hits(ix, w), w).toHaveLength(0)
    const [hit] = await hits(ix, 'taillfirst')
    expect(hit!.snippet).toContain(`${OUTPUT_CUT.trim()} ${MATCH_START}taillfirst${MATCH_END}`)
    await ix.close()
  })

  it('finds the same by a prefix whether it stands for few words (expanded) or many (left to FTS5)', async () => {
    const threads = [thread(1), thread(2)]
    const h = home(threads)
    h.append(threads[0]!, item(threads[0]!, 1, { text: 'Migrate the table' }))
    h.append(threads[0]!, item(threads[0]!, 2, { text: 'a migration ran' }))
    h.append(threads[1]!, item(threads[1]!, 1, { text: 'MIGR plus unrelated' }))
    const many = Array.from({ length: PREFIX_WORDS + 5 }, (_, i) => `zq${i}`)
    many.forEach((w, i) => h.append(threads[1]!, item(threads[1]!, 10 + i, { text: `${w} shared` })))
    const ix = new SearchIndexer(h.deps())
    await ix.start()
    await ix.flush()
    expect((await hits(ix, 'migr*')).map((r) => r.itemId).sort()).toEqual(['t1-1', 't1-2', 't2-1'])
    expect((await hits(ix, 'Migra*')).map((r) => r.itemId).sort()).toEqual(['t1-1', 't1-2'])
    expect(await hits(ix, 'migr* table')).toHaveLength(1)
    expect(await hits(ix, '"the table" migr*')).toHaveLength(1)
    expect(await hits(ix, 'migz*')).toHaveLength(0)
    expect(await hits(ix, 'zq*')).toHaveLength(many.length <= 50 ? many.length : 50)
    expect(await hits(ix, 'zq1*')).toHaveLength(many.filter((w) => w.startsWith('zq1')).length)
    await ix.close()
  })

  it('ranks the best matches first when they are few, and shows a common word newest first', async () => {
    const threads = [thread(1)]
    const h = home(threads)
    const t = threads[0]!
    // An old item full of the word, then newer ones that mention it once among many other words.
    h.append(t, item(t, 1, { text: 'heron heron heron' }))
    for (let n = 2; n <= 5; n++) h.append(t, item(t, n, { text: `heron ${'filler words here '.repeat(20)}` }))
    for (let n = 10; n < 10 + RANKED_WINDOW + 5; n++) h.append(t, item(t, n, { text: `egret number ${n}` }))
    const ix = new SearchIndexer(h.deps())
    await ix.start()
    await ix.flush()
    expect((await hits(ix, 'heron'))[0]!.itemId).toBe('t1-1')
    const page = must(await ix.query({ query: 'egret', limit: 20 }))
    const newest = Array.from({ length: 20 }, (_, k) => `t1-${10 + RANKED_WINDOW + 4 - k}`)
    expect(page.results.map((r) => r.itemId)).toEqual(newest)
    const next = must(await ix.query({ query: 'egret', limit: 20, cursor: page.nextCursor! }))
    expect(next.results[0]!.itemId).toBe(`t1-${10 + RANKED_WINDOW + 4 - 20}`)
    await ix.close()
  })
})
