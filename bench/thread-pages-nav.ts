// Issue 20, the window's side: a seeded home of SKEIN_BENCH_THREADS threads (default 100,000) served by a real
// core; Chromium's page load → first sidebar row painted, → the counts shown (the dashboard's "N live threads"),
// the renderer's JS heap then (after GC: only the first page is loaded), and a jump to the bottom of the tree
// → its rows painted (the pages down to them). Median of 3 fresh contexts. Needs `npx electron-vite build`.
//   npx tsx bench/thread-pages-nav.ts
import type { Page } from 'playwright-core'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { percentile } from './bench-utils'
import { startBenchCore, type BenchCore } from './core-process'
import { seedScaleHome } from './lib/scale-home'
import { jsHeapMb, launchChromiumPiped, paintedAtMs, rawRpc } from './lib/scale-measure'
import { epochNow, recordAppearances } from './page-timing'

const THREADS = Number(process.env.SKEIN_BENCH_THREADS ?? 100_000)

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'skein-bench-pages-'))
  const seeded = await seedScaleHome(home, { threads: THREADS, repos: 10 })
  const live = seeded.threads.filter((t) => t.status !== 'archived').length
  console.log(`seeded ${THREADS} threads in ${(seeded.seedMs / 1000).toFixed(1)} s`)
  // The tree's last thread row: the oldest live thread of the last repository (by name) that has any.
  const byName = [...seeded.repos].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
  const liveOf = (repoId: string) => seeded.threads.filter((t) => t.repoId === repoId && t.status !== 'archived')
  const lastLive = liveOf(byName.findLast((r) => liveOf(r.id).length > 0)!.id).at(-1)!.id
  const core = await startBenchCore(home)
  // The core alone: each page of live threads, as the window asks for them.
  const rpc = await rawRpc(core)
  const pageMs: number[] = []
  let cursor: string | undefined
  let limit = 300
  do {
    const r = await rpc.request('thread/list', { archived: 'exclude', limit, cursor })
    pageMs.push(r.ms)
    cursor = (r.result as { next: string | null }).next ?? undefined
    limit = 5000
  } while (cursor)
  rpc.close()
  console.log(`core: ${pageMs.length} pages, ms each: ${pageMs.map(Math.round).join(', ')}`)
  const chromium = await launchChromiumPiped()
  const rows: number[] = []
  const all: number[] = []
  const jumps: number[] = []
  let heap = 0
  let heapAfterJump = 0
  let busy = { idle: 0, updating: 0 }
  try {
    for (let i = 0; i < 3; i++) {
      const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      await recordAppearances(page, [{ name: 'rows', selector: `[role="tree"] [data-thread-id="${seeded.threads[0]!.id}"]` }])
      const start = epochNow()
      await page.goto(core.url)
      rows.push((await paintedAtMs(page, 'rows', 120_000)) - start)
      // The count is a text change (no mutation the recorder watches): polled every frame instead.
      const loaded = await page.waitForFunction(
        (text) => document.querySelector('.page-subtitle')?.textContent?.includes(text) && performance.timeOrigin + performance.now(),
        `${live.toLocaleString('en-US')} live threads`,
        { polling: 'raf', timeout: 120_000 }
      )
      all.push(((await loaded.jsonValue()) as number) - start)
      heap = await jsHeapMb(page)
      jumps.push(await jumpToBottom(page, lastLive))
      heapAfterJump = await jsHeapMb(page)
      if (i === 2) busy = await mainThreadPerUpdate(page, core, seeded.threads.filter((t) => t.status !== 'archived').slice(0, UPDATES))
      await context.close()
    }
  } finally {
    await chromium.close()
    // The core saves its index on the way out: removing the home before it has gone fails.
    const exited = once(core.child, 'exit')
    core.child.kill('SIGTERM')
    await exited
    rmSync(home, { recursive: true, force: true })
  }
  console.log(`page load → first sidebar row painted: ${percentile(rows, 50).toFixed(0)} ms (runs: ${rows.map(Math.round).join(', ')})`)
  console.log(`page load → "${live} live threads" counted: ${percentile(all, 50).toFixed(0)} ms (runs: ${all.map(Math.round).join(', ')})`)
  console.log(`renderer JS heap with the first page loaded (after GC): ${heap.toFixed(1)} MB`)
  console.log(
    `jump to the bottom of the tree → its rows painted: ${percentile(jumps, 50).toFixed(0)} ms (runs: ${jumps.map(Math.round).join(', ')}); ` +
      `heap after: ${heapAfterJump.toFixed(1)} MB`
  )
  console.log(
    `dashboard open, main-thread task time: idle ${busy.idle.toFixed(0)} ms over ${WINDOW_MS / 1000} s; ` +
      `${UPDATES} renames at ${1000 / GAP_MS}/s ${busy.updating.toFixed(0)} ms, ${(busy.updating / UPDATES).toFixed(1)} ms per update above idle`
  )
}

/** Scrolls the tree to its end and waits (every frame) until the row of `lastId` is painted and no placeholder is left: ms taken. */
async function jumpToBottom(page: Page, lastId: string): Promise<number> {
  const start = await page.evaluate(() => {
    const tree = document.querySelector('[role="tree"]')!
    tree.scrollTop = tree.scrollHeight
    return performance.now()
  })
  const done = await page.waitForFunction(
    (id) => {
      const tree = document.querySelector('[role="tree"]')!
      const shown = tree.querySelector(`[data-thread-id="${id}"]`) && !tree.querySelector('[data-testid="thread-placeholder"]')
      return shown && performance.now()
    },
    lastId,
    { polling: 'raf', timeout: 120_000 }
  )
  return ((await done.jsonValue()) as number) - start
}

const UPDATES = 50
const GAP_MS = 100
const WINDOW_MS = UPDATES * GAP_MS

/** The page's main-thread task time (Chromium's TaskDuration) over WINDOW_MS idle, then while threads are renamed. */
async function mainThreadPerUpdate(page: Page, core: BenchCore, threads: { id: string }[]): Promise<{ idle: number; updating: number }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const taskMs = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics')
    return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000
  }
  const t0 = await taskMs()
  await new Promise((r) => setTimeout(r, WINDOW_MS))
  const idle = (await taskMs()) - t0
  const rpc = await rawRpc(core)
  const t1 = await taskMs()
  for (const [n, t] of threads.entries()) {
    await rpc.request('thread/rename', { threadId: t.id, title: `Renamed ${n}` })
    await new Promise((r) => setTimeout(r, GAP_MS))
  }
  rpc.close()
  return { idle, updating: (await taskMs()) - t1 - idle }
}

void main()
