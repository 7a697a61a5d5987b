import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { seedScaleHome, seededThreadId, seededTitle } from '../bench/lib/scale-home'
import { connectClient } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { repoRow, screenshotBothThemes, threadRow, tree } from './support/skein-page'

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  core = null
})

const THREADS = 20_000 // every tenth archived (all in service-1), so 18,000 live
const LIVE = THREADS - THREADS / 10

interface ListRequest {
  archived?: string
  limit?: number
  cursor?: string
  includeArchived?: boolean
}

/**
 * Passes the page's RPC WebSocket through, logging its thread/list requests. While `hold` is set, everything the
 * core sends after the first request for a later page waits (in order) until `release`.
 */
async function watchRpc(page: Page) {
  const log = { lists: [] as ListRequest[], answered: 0, holding: false, hold: true, queued: [] as (() => void)[] }
  const listIds = new Set<number>()
  await page.routeWebSocket(/\/rpc/, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { id?: number; method?: string; params?: ListRequest }
      if (msg.method === 'thread/list') {
        log.lists.push(msg.params ?? {})
        listIds.add(msg.id!)
        if (log.hold && msg.params?.cursor) log.holding = true
      }
      server.send(m)
    })
    server.onMessage((m) => {
      const deliver = () => {
        const id = (JSON.parse(String(m)) as { id?: number }).id
        if (id !== undefined && listIds.has(id)) log.answered++
        ws.send(m)
      }
      if (log.holding) log.queued.push(deliver)
      else deliver()
    })
  })
  const release = () => {
    log.hold = false
    log.holding = false
    for (const deliver of log.queued.splice(0)) deliver()
  }
  return { log, release }
}

test('a home of 20,000 threads shows its first rows from the first page, then pages in the rest and archived rows on demand', async ({
  page
}) => {
  const home = mkdtempSync(join(tmpdir(), 'skein-e2e-home-'))
  const seeded = await seedScaleHome(home, { threads: THREADS, repos: 2 })
  console.log(`seeded ${THREADS} threads in ${Math.round(seeded.seedMs)} ms`)
  core = await startCore({ home })
  const { log, release } = await watchRpc(page)
  const started = Date.now()
  await page.goto(core.url)

  await test.step('the first rows show before the later pages have arrived', async () => {
    await expect(threadRow(page, seededTitle(0))).toBeVisible()
    await expect(threadRow(page, seededTitle(2))).toBeVisible()
    console.log(`first rows after ${Date.now() - started} ms`)
    await expect(page.getByText('Loading 300 of 18,000…')).toBeVisible()
    expect(log.holding).toBe(true) // the second page was asked for and is still held back
    await screenshotBothThemes(page, 'thread-pages-first-page')
    const [first, count] = log.lists
    expect(first).toMatchObject({ archived: 'exclude', limit: 300 })
    expect(count).toMatchObject({ archived: 'only', limit: 1 })
    expect(log.lists.every((l) => l.limit !== undefined)).toBe(true)
    // The Archived header (below every loaded row) counts threads whose rows are not loaded.
    await tree(page).evaluate((el) => (el.scrollTop = el.scrollHeight))
    await expect(tree(page).getByRole('treeitem', { name: 'Archived (2000)' })).toBeVisible()
  })

  await test.step('the other live threads arrive in background pages, all reachable by scrolling', async () => {
    release()
    await expect(page.getByText(`${LIVE} live threads in 2 repositories`)).toBeVisible()
    console.log(`all live threads after ${Date.now() - started} ms`)
    const pages = log.lists.filter((l) => l.cursor !== undefined)
    expect(pages.length).toBe(Math.ceil((LIVE - 300) / 5000))
    expect(pages.every((l) => l.archived === 'exclude' && l.limit === 5000)).toBe(true)
    // Not every row is in the DOM: the tree stays virtualized.
    expect(await tree(page).locator('[role="treeitem"]').count()).toBeLessThan(120)
    // The oldest live thread is the last row of service-1, above the Archived header.
    await tree(page).evaluate((el) => (el.scrollTop = el.scrollHeight))
    await expect(threadRow(page, seededTitle(THREADS - 3))).toBeVisible()
    await expect(threadRow(page, seededTitle(THREADS - 4))).toHaveCount(0) // service-0's, far above
  })

  const client = await connectClient(core)
  await test.step('a thread the core changes after loading moves to the top without listing again', async () => {
    const listed = log.lists.length
    // The oldest archived thread (its row never loaded) is restored: it becomes the most recently active.
    await client.request('thread/restore', { threadId: seededThreadId(THREADS - 1) })
    await expect(page.getByText(`${LIVE + 1} live threads in 2 repositories`)).toBeVisible()
    await tree(page).evaluate((el) => (el.scrollTop = 0))
    await repoRow(page, 'service-0').click() // folded, so service-1's first rows are in view
    await expect(repoRow(page, 'service-0')).toHaveAttribute('aria-expanded', 'false')
    const titles = () =>
      tree(page)
        .locator('[role="treeitem"][aria-level="2"] .thread-title')
        .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
    await expect.poll(async () => (await titles()).slice(0, 2)).toEqual([seededTitle(THREADS - 1), seededTitle(1)])
    await expect.poll(() => log.lists.length).toBe(listed + 1)
    // The Archived count was asked again (one thread); nothing was listed again.
    expect(log.lists.slice(listed)).toMatchObject([{ archived: 'only', limit: 1 }])
  })

  await test.step('the Archived header shows the count; opening it loads the archived rows', async () => {
    expect(log.lists.some((l) => l.archived === 'only' && l.limit !== 1)).toBe(false)
    const header = tree(page).getByRole('treeitem', { name: 'Archived (1999)' })
    await tree(page).evaluate((el) => (el.scrollTop = el.scrollHeight))
    await expect(header).toBeVisible()
    await expect(threadRow(page, seededTitle(9))).toHaveCount(0)
    await header.click()
    await expect(threadRow(page, seededTitle(9))).toBeVisible() // the first archived row, just below the header
    expect(log.lists.filter((l) => l.archived === 'only' && l.limit === 5000)).toHaveLength(1)
    await tree(page).evaluate((el) => (el.scrollTop = el.scrollHeight))
    await expect(threadRow(page, seededTitle(THREADS - 11))).toBeVisible()
  })
  client.dispose()
})
