// Scale of the thread list (issue 20): SKEIN_HOMEs of 10k, 50k (and 100k) threads seeded straight onto disk
// in the store's own format (bench/lib/scale-home.ts), each served by a real core (`node out/main/serve.js`).
// At each size: start-up to ready (the URL printed: the store loaded, skein.sock and HTTP listening), RSS after
// the start, the search index's first build (waited for), thread/list's first page (300, as the window asks)
// p50/p95 over the WebSocket with its size on the wire and every live thread in pages of 5,000 (and at the core
// alone, in process, the whole list and the first page of 200),
// Chromium's navigation to the sidebar's rows and its JS heap, then idle CPU over 10 s after opening 50 threads
// in the window one after another (Ctrl+Tab).
// Each figure is printed beside its linear expectation (the smallest size's figure scaled by size) and its target.
// Before measuring, each seed is checked against what the core read: thread/list and repo/list counts, two
// threads field for field, and threads/index.json left untouched by the start (every entry taken as fresh).
//
// Needs `npx electron-vite build` and Debian's Chromium at /usr/bin/chromium. Run:
//   npx tsx bench/scale-threads.ts                                    10k and 50k (about 3 minutes)
//   SKEIN_BENCH_SIZES=10000,50000,100000 npx tsx bench/scale-threads.ts   the full set (about 6 minutes more)
// BENCH_RUNS sets thread/list samples per size (default 20); SKEIN_BENCH_KEEP=1 keeps the seeded homes.
import { spawn } from 'node:child_process'
import { rmSync, statSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { createCore } from '../src/main/core/core'
import { memoryLogger } from '../src/main/core/logger'
import { DataDir } from '../src/main/core/store/data-dir'
import { benchDir, now, percentile, runBench } from './bench-utils'
import { startBenchCore } from './core-process'
import { seedScaleHome } from './lib/scale-home'
import {
  attempt,
  bytesAsMb,
  idleCpu,
  jsHeapMb,
  launchChromium,
  megabytes,
  millis,
  percent,
  paintedAtMs,
  printScale,
  rawRpc,
  type RawRpc,
  seconds,
  verifySeed,
  type Figure
} from './lib/scale-measure'
import { epochNow, recordAppearances } from './page-timing'

const SIZES = (process.env.SKEIN_BENCH_SIZES ?? '10000,50000').split(',').map(Number)
const REPOS = 20
const LIST_RUNS = Number(process.env.BENCH_RUNS ?? 20)
const NAV_RUNS = 3
const OPEN_THREADS = 50
const IDLE_SECONDS = 10
const PAGE_TIMEOUT_MS = 180_000
/** The page size of the first `thread/list` page measured at the core. */
const PAGE_LIMIT = 200

interface Measured {
  size: number
  seedMs: number
  startup: Figure
  searchBuild: Figure
  rss: Figure
  listP50: Figure
  listP95: Figure
  listBytes: Figure
  allPages: Figure
  atCoreP50: Figure
  atCoreP95: Figure
  pageP50: Figure
  pageP95: Figure
  nav: Figure
  domRows: number
  navRuns: number[]
  heap: Figure
  heapOpen: Figure
  idleCore: Figure
  idleBrowser: Figure
  idleNode: Figure
}

/** Waits until the search index is ready and its count stops moving (a first build has ended); returns the ms waited. */
async function searchSettled(rpc: RawRpc): Promise<number> {
  const t = now()
  let last = -1
  for (;;) {
    const { result } = await rpc.request('search/status', {})
    const st = result as { state: string; threads: number }
    if (st.state === 'ready' && st.threads > 0 && st.threads === last) return now() - t
    last = st.threads
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Opens `count` threads one after another (the first by its row, then Ctrl+Tab), each until its heading shows. */
async function openThreads(page: Page, firstId: string, count: number): Promise<void> {
  await page.locator(`[role="tree"] [data-thread-id="${firstId}"]`).click()
  let title = await page.getByRole('heading', { level: 1 }).first().innerText()
  for (let i = 1; i < count; i++) {
    await page.keyboard.press('Control+Tab')
    await page.waitForFunction((prev) => {
      const h = document.querySelector('h1')
      return h !== null && h.textContent !== prev
    }, title)
    title = await page.getByRole('heading', { level: 1 }).first().innerText()
  }
}

async function measureSize(size: number, chromium: Awaited<ReturnType<typeof launchChromium>>): Promise<Measured> {
  const home = benchDir(`scale-${size}`)
  const seeded = await seedScaleHome(home, { threads: size, repos: REPOS })
  const index = statSync(new DataDir(home).indexFile)
  console.log(`  ${size} threads: seeded in ${seconds.format(seeded.seedMs)} (index ${bytesAsMb.format(index.size)}) at ${home}`)

  // A start rewrites nothing in this seed (checked below), so each start sees the same home.
  const t0 = now()
  const core = await startBenchCore(home)
  const startup: Figure = { ok: true, value: now() - t0 }
  const rss = await attempt(() => core.rssMb())
  await verifySeed(core, seeded, index)

  const rpc = await rawRpc(core)
  // A fresh home's first start builds the search index from every log, once: timed on its own, and waited for,
  // so it is not counted in the figures below (idle CPU above all).
  const searchBuild = await attempt(() => searchSettled(rpc))
  const samples: number[] = []
  let bytes = 0
  // What the window asks now: the first 300 live threads, then the rest in pages of 5,000 (a whole list of 100k
  // threads is 67 MB, more than the core queues for one client, and no client asks for it any more).
  const list = await attempt(async () => {
    for (let i = 0; i < LIST_RUNS; i++) {
      const r = await rpc.request('thread/list', { limit: 300 })
      samples.push(r.ms)
      bytes = r.bytes
    }
    return samples.length
  })
  const allPages = await attempt(async () => {
    const t = now()
    let cursor: string | null = null
    do {
      const page: { result: unknown } = await rpc.request('thread/list', { limit: 5000, ...(cursor ? { cursor } : {}) })
      cursor = (page.result as { next: string | null }).next
    } while (cursor)
    return now() - t
  })
  rpc.close()
  const fromSamples = (p: number): Figure => (list.ok ? { ok: true, value: percentile(samples, p) } : list)

  // Navigation: a fresh context each time (nothing cached, no remembered thread), page load → first row painted.
  const firstRow = `[role="tree"] [data-thread-id="${seeded.threads[0]!.id}"]`
  const navs: number[] = []
  let page: Page | null = null
  const nav = await attempt(async () => {
    for (let i = 0; i < NAV_RUNS; i++) {
      await page?.context().close()
      const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } })
      page = await context.newPage()
      page.setDefaultTimeout(PAGE_TIMEOUT_MS)
      await recordAppearances(page, [{ name: 'rows', selector: firstRow }])
      const start = epochNow()
      await page.goto(core.url)
      navs.push((await paintedAtMs(page, 'rows', PAGE_TIMEOUT_MS)) - start)
    }
    return percentile(navs, 50)
  })
  const domRows = page ? await (page as Page).locator('[role="tree"] [role="treeitem"]').count() : 0
  const heap = await attempt(() => jsHeapMb(page!))

  const idleNode = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' })
  let idle: Record<string, number> | null = null
  const opened = await attempt(async () => {
    await openThreads(page!, seeded.threads[0]!.id, OPEN_THREADS)
    // Let what opening started (first reads, terminals' first output) end before the idle window.
    await new Promise((r) => setTimeout(r, 3000))
    idle = await idleCpu({ core: core.child.pid!, browser: chromium.pid, node: idleNode.pid! }, IDLE_SECONDS)
    return OPEN_THREADS
  })
  idleNode.kill()
  const idleFigure = (k: string): Figure => (idle ? { ok: true, value: idle[k]! } : (opened as Figure))
  const heapOpen = opened.ok ? await attempt(() => jsHeapMb(page!)) : opened
  await (page as Page | null)?.context().close()

  core.stop()
  await new Promise((r) => core.child.once('exit', r))

  // At the core alone, as bench/thread-list.ts measures it: the same frame dispatched in this process
  // (validation and serialization, no socket), on a core started on the same home.
  const atCore: number[] = []
  const firstPage: number[] = []
  const inProcess = await attempt(async () => {
    const c = await createCore({ home, logger: memoryLogger(), listenSocket: false })
    try {
      const frame = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'thread/list', params: { includeArchived: true } })
      for (let i = 0; i < LIST_RUNS; i++) {
        const t = now()
        await c.rpc.dispatch(frame)
        atCore.push(now() - t)
      }
      // The first page the sidebar asks for: live threads, most recently active first.
      const page = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'thread/list', params: { limit: PAGE_LIMIT } })
      for (let i = 0; i < LIST_RUNS; i++) {
        const t = now()
        await c.rpc.dispatch(page)
        firstPage.push(now() - t)
      }
    } finally {
      await c.close()
    }
    return atCore.length
  })
  if (!process.env.SKEIN_BENCH_KEEP) rmSync(home, { recursive: true, force: true })
  return {
    size,
    seedMs: seeded.seedMs,
    startup,
    searchBuild,
    rss,
    listP50: fromSamples(50),
    listP95: fromSamples(95),
    listBytes: list.ok ? { ok: true, value: bytes } : list,
    allPages,
    atCoreP50: inProcess.ok ? { ok: true, value: percentile(atCore, 50) } : inProcess,
    atCoreP95: inProcess.ok ? { ok: true, value: percentile(atCore, 95) } : inProcess,
    pageP50: inProcess.ok ? { ok: true, value: percentile(firstPage, 50) } : inProcess,
    pageP95: inProcess.ok ? { ok: true, value: percentile(firstPage, 95) } : inProcess,
    nav,
    domRows,
    navRuns: navs,
    heap,
    heapOpen,
    idleCore: idleFigure('core'),
    idleBrowser: idleFigure('browser'),
    idleNode: idleFigure('node')
  }
}

async function main(): Promise<void> {
  console.log(`Scale of the thread list: ${SIZES.join(', ')} threads over ${REPOS} repositories (10% archived, 2% in error)`)
  const chromium = await launchChromium()
  const results: Measured[] = []
  for (const size of SIZES) results.push(await measureSize(size, chromium))
  await chromium.close()

  const sizeLabel = (n: number) => `${n.toLocaleString('en-US')}`
  const table = (
    label: string,
    unit: Parameters<typeof printScale>[0]['unit'],
    pick: (m: Measured) => Figure,
    target: number | null,
    fixed = false
  ) => printScale({ label, unit, sizeLabel, rows: results.map((m) => ({ size: m.size, figure: pick(m) })), target, fixed })
  console.log('\nFigures beside their linear expectation (from the smallest size) and the target:')
  table('seeding the home (bench only)', seconds, (m) => ({ ok: true, value: m.seedMs }), null)
  table('core start-up to ready (URL printed)', seconds, (m) => m.startup, 1000)
  table('search index built from every log, first start only (in the background, after ready)', seconds, (m) => m.searchBuild, null)
  table('core RSS after start', megabytes, (m) => m.rss, null)
  table(`first page of thread/list (limit ${PAGE_LIMIT}) at the core (in-process dispatch) p50`, millis, (m) => m.pageP50, 10)
  table(`first page of thread/list (limit ${PAGE_LIMIT}) at the core p95`, millis, (m) => m.pageP95, 10)
  table('whole thread/list (no limit) at the core (in-process dispatch) p50', millis, (m) => m.atCoreP50, null)
  table('whole thread/list (no limit) at the core p95', millis, (m) => m.atCoreP95, null)
  table('first page (limit 300) of thread/list, round trip over the WebSocket p50', millis, (m) => m.listP50, null)
  table('first page (limit 300) of thread/list, round trip over the WebSocket p95', millis, (m) => m.listP95, null)
  table('first page (limit 300) of thread/list on the wire', bytesAsMb, (m) => m.listBytes, null)
  table('every live thread in pages of 5,000 over the WebSocket (as the window loads them)', seconds, (m) => m.allPages, null)
  table('browser: page load → first sidebar row painted (median of 3)', seconds, (m) => m.nav, 1000)
  console.log(`    sidebar rows in the DOM: ${results.map((m) => `${sizeLabel(m.size)}: ${m.domRows}`).join(', ')}`)
  console.log(
    `    each run: ${results.map((m) => `${sizeLabel(m.size)}: ${m.navRuns.map((v) => seconds.format(v)).join(' / ')}`).join('; ')}`
  )
  table('renderer JS heap after load (after GC)', megabytes, (m) => m.heap, null)
  table(`renderer JS heap after opening ${OPEN_THREADS} threads`, megabytes, (m) => m.heapOpen, null)
  table(
    `idle CPU of the core, ${IDLE_SECONDS} s after opening ${OPEN_THREADS} threads (% of one core)`,
    percent,
    (m) => m.idleCore,
    1,
    true
  )
  table('idle CPU of Chromium (all its processes), same window', percent, (m) => m.idleBrowser, 1, true)
  table('idle CPU of a bare Node process, same window (baseline)', percent, (m) => m.idleNode, null, true)
}

runBench(main)
