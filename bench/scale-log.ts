// Scale of one thread's log (issue 20): a thread whose events.jsonl holds 300 MB of conversation (and 1 GB with
// SKEIN_BENCH_GB=1), seeded straight onto disk as the agent's transcript logs it (bench/lib/scale-home.ts):
// 4,000 items per 300 MB, every fourth a tool call with a ~300 KB output. Each size is served by a real core.
// Core alone: the first item/list window at the end, cold (the offset index events.idx built by streaming the log,
// by that request or by the warmer that indexes big logs after start, whichever comes first) and warm (a fresh core,
// the index on disk), its size on the wire, the time to page the whole thread end → start, and the core's peak RSS
// (VmHWM) through all of that; then a fresh core on the log without its index, left alone until the warmer has
// indexed it (the time from ready), and the first window after that; beside them the old whole-log read (readEventLog + fold, as
// Transcript.load did) in a process of its own, as the baseline. Browser, on a fresh core: a click on the thread's row → its last item on
// screen in the Conversation tab (timed inside the page), the core's peak RSS meanwhile, and the renderer's JS
// heap. Each figure is printed beside its linear expectation (the first size's figure scaled by size) and its target.
// A figure that fails (the core out of memory, a string too long, a crashed tab) is printed as its failure.
//
// Needs `npx electron-vite build` and Debian's Chromium at /usr/bin/chromium. Run:
//   npx tsx bench/scale-log.ts                   300 MB (about 2 minutes)
//   SKEIN_BENCH_GB=1 npx tsx bench/scale-log.ts  300 MB and 1 GB (several minutes more; needs ~1.5 GB of disk)
//   SKEIN_BENCH_LOG_MB=30,100 npx tsx bench/scale-log.ts   other sizes, in MB (the first is the linear base)
import { spawnSync } from 'node:child_process'
import { rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Page } from 'playwright-core'
import { DataDir } from '../src/main/core/store/data-dir'
import { LogIndex } from '../src/main/core/store/log-index'
import { benchDir, now, runBench } from './bench-utils'
import { startBenchCore, type BenchCore } from './core-process'
import { seedScaleHome, writeLongConversation } from './lib/scale-home'
import {
  attempt,
  bytesAsMb,
  jsHeapMb,
  launchChromiumPiped,
  megabytes,
  printScale,
  procStatusMb,
  rawRpc,
  seconds,
  verifySeed,
  type Figure,
  type Unit
} from './lib/scale-measure'

const MB = 1024 * 1024
const SIZES_MB = process.env.SKEIN_BENCH_LOG_MB
  ? process.env.SKEIN_BENCH_LOG_MB.split(',').map(Number)
  : process.env.SKEIN_BENCH_GB === '1'
    ? [300, 1024]
    : [300]
const ITEMS_PER_300_MB = 4000
const OPEN_TIMEOUT_MS = 90_000
const WINDOW = 200
const POLL_MS = 20

/**
 * What the core did before the offset index, for comparison: the whole log read into memory and folded into items
 * (store.readEvents + Transcript.load), in a node process of its own so its peak RSS is its own.
 */
async function wholeReadBaseline(log: string): Promise<{ ms: Figure; peak: Figure }> {
  const src = join(__dirname, '..', 'src', 'main', 'core', 'store', 'event-log.ts')
  const code = `
    const { readEventLog } = require(${JSON.stringify(src)})
    const { readFileSync } = require('node:fs')
    const t0 = performance.now()
    readEventLog(${JSON.stringify(log)}, { info() {}, warn() {}, error() {} }).then((log) => {
      const latest = new Map()
      for (const e of log.events) if (e.type === 'item.completed') latest.set(e.item.id, e.item)
      const ms = performance.now() - t0
      const hwm = Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024
      console.log(JSON.stringify({ ms, hwm, items: latest.size }))
    })`
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', '-e', code], {
    encoding: 'utf8',
    maxBuffer: 1 << 20
  })
  const line = /\{"ms".*\}/.exec(r.stdout)
  if (!line) {
    const why = `failed: ${(r.stderr.match(/(RangeError|Error|FATAL)[^\n]*/) ?? [r.signal ?? `exit ${r.status}`])[0]!.slice(0, 120)}`
    return { ms: { ok: false, why }, peak: { ok: false, why } }
  }
  const { ms, hwm } = JSON.parse(line[0]) as { ms: number; hwm: number }
  return { ms: { ok: true, value: ms }, peak: { ok: true, value: hwm } }
}

interface Measured {
  mb: number
  logBytes: number
  items: number
  seedMs: number
  rssStart: Figure
  listCold: Figure
  listWarm: Figure
  listBytes: Figure
  paged: Figure
  corePeakList: Figure
  /** A fresh core, the log without its index and nobody asking for it: ready → the warmer has indexed the whole log. */
  warmedAfterStart: Figure
  /** The first window once the warmer is done. */
  listAfterWarmer: Figure
  /** The old way (the whole log read and folded at once, as Transcript.load did): time and peak RSS in a process of its own. */
  baselineMs: Figure
  baselinePeak: Figure
  open: Figure
  corePeakOpen: Figure
  heap: Figure
}

/** The core's peak RSS so far, or why it cannot be read (the core died, e.g. out of memory). */
function peak(core: BenchCore): Figure {
  if (core.child.exitCode !== null || core.child.signalCode !== null)
    return { ok: false, why: `failed: the core exited (code ${core.child.exitCode}, signal ${core.child.signalCode})` }
  return { ok: true, value: procStatusMb(core.child.pid!, 'VmHWM') }
}

/** Waits until the sidecar's header covers the whole log (the warmer writes it last); the time it took. */
async function untilIndexed(log: string, sidecar: string, logBytes: number): Promise<number> {
  const t0 = now()
  while ((await LogIndex.coveredOnDisk(log, sidecar)) !== logBytes) {
    if (now() - t0 > OPEN_TIMEOUT_MS) throw new Error(`the log was not indexed after ${OPEN_TIMEOUT_MS / 1000} s`)
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
  return now() - t0
}

async function stop(core: BenchCore): Promise<void> {
  if (core.child.exitCode !== null || core.child.signalCode !== null) return
  core.stop()
  await new Promise((r) => core.child.once('exit', r))
}

/** Click on the thread's row → its last item on screen, timed in the page (item/list and rendering included). */
async function openToLastItem(page: Page, title: string, lastId: string): Promise<number> {
  // Passed as source text: tsx's helpers would not exist inside the page.
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const title = ${JSON.stringify(title)}, lastId = ${JSON.stringify(lastId)}, timeout = ${OPEN_TIMEOUT_MS}
    const row = [...document.querySelectorAll('[role="treeitem"]')].find((el) => (el.getAttribute('aria-label') || '').startsWith(title))
    if (!row) return reject(new Error('no sidebar row for ' + title))
    const start = performance.now()
    const check = () => {
      const el = document.querySelector('[data-item-id="' + lastId + '"]')
      const scroller = document.querySelector('.transcript-scroller')
      if (el && scroller) {
        const r = el.getBoundingClientRect()
        const s = scroller.getBoundingClientRect()
        if (r.height > 0 && r.bottom <= s.bottom + 1 && r.top >= s.top) return resolve(performance.now() - start)
      }
      if (performance.now() - start > timeout) {
        const items = document.querySelectorAll('[data-item-id]').length
        const shown = (document.querySelector('.transcript-scroller') || document.querySelector('main') || document.body).innerText
        return reject(new Error('the last item was not on screen after ' + timeout / 1000 + ' s (' + items + ' items in the DOM; the view shows: "' + shown.slice(0, 100).replace(/\\s+/g, ' ') + '")'))
      }
      requestAnimationFrame(check)
    }
    row.click()
    requestAnimationFrame(check)
  })`)) as number
}

async function measureSize(mb: number, chromium: Awaited<ReturnType<typeof launchChromiumPiped>>): Promise<Measured> {
  const home = benchDir(`scale-log-${mb}`)
  const t0 = now()
  const seeded = await seedScaleHome(home, { threads: 2, repos: 1 })
  // A multiple of 4, so the last item is a short notice (its id ends the answer).
  const items = 4 * Math.round((ITEMS_PER_300_MB * mb) / 300 / 4)
  const lastId = await writeLongConversation(seeded, 0, { bytes: mb * MB, items })
  const seedMs = now() - t0
  const dir = new DataDir(home)
  const logBytes = statSync(dir.eventsFile(seeded.threads[0]!.id)).size
  console.log(`  ${mb} MB: seeded a ${bytesAsMb.format(logBytes)} log of ${items} items in ${seconds.format(seedMs)} at ${home}`)
  const big = seeded.threads[0]!

  // Core alone. Cold: no offset index yet (events.idx is built by streaming the log). Warm: a fresh core, the index
  // on disk. Then every window from the end to the start, and the core's peak RSS meanwhile.
  const sidecar = join(dirname(dir.eventsFile(big.id)), 'events.idx')
  rmSync(sidecar, { force: true })
  let core = await startBenchCore(home)
  const rssStart = await attempt(() => core.rssMb())
  await verifySeed(core, seeded, statSync(dir.indexFile))
  let rpc = await rawRpc(core)
  let bytes = 0
  const firstWindow = async () => {
    const r = await rpc.request('item/list', { threadId: big.id, anchor: 'end', limit: WINDOW })
    if (!r.tail.includes(`"${lastId}"`))
      throw new Error(
        `the answer (${bytesAsMb.format(r.bytes)}, ending ${JSON.stringify(r.tail.slice(-60))}) lacks the last item ${lastId}`
      )
    bytes = r.bytes
    return r.ms
  }
  const listCold = await attempt(firstWindow)
  rpc.close()
  await stop(core)
  core = await startBenchCore(home)
  rpc = await rawRpc(core)
  const listWarm = await attempt(firstWindow)
  const paged = await attempt(async () => {
    const t0 = now()
    let before: string | null = null
    let seen = 0
    do {
      const r = await rpc.request('item/list', { threadId: big.id, limit: WINDOW, ...(before ? { before } : {}) })
      const page = r.result as { items: unknown[]; before: string | null }
      seen += page.items.length
      before = page.before
    } while (before)
    if (seen !== items) throw new Error(`paged ${seen} items of ${items}`)
    return now() - t0
  })
  const corePeakList = peak(core)
  rpc.close()
  await stop(core)
  // Warmed: a fresh core on the log without its index, and no request for the thread until the warmer is done.
  rmSync(sidecar, { force: true })
  core = await startBenchCore(home)
  const warmedAfterStart = await attempt(() => untilIndexed(dir.eventsFile(big.id), sidecar, logBytes))
  rpc = await rawRpc(core)
  const listAfterWarmer = warmedAfterStart.ok ? await attempt(firstWindow) : warmedAfterStart
  rpc.close()
  await stop(core)
  const baseline = await wholeReadBaseline(dir.eventsFile(big.id))

  // Browser, on a fresh core (its peak is the page's doing alone): the other thread open, then a click on the big one.
  core = await startBenchCore(home)
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.setDefaultTimeout(OPEN_TIMEOUT_MS)
  // What the page went through, to tell a crashed tab from a slow one.
  const events: string[] = []
  page.on('crash', () => events.push('the renderer crashed'))
  page.on('pageerror', (e) => events.push(`page error: ${e.message.slice(0, 100)}`))
  page.on('console', (m) => m.type() === 'error' && events.push(`console: ${m.text().slice(0, 100)}`))
  let open = await attempt(async () => {
    await page.goto(`${core.url}&thread=${seeded.threads[1]!.id}`)
    await page.getByRole('heading', { level: 1, name: seeded.threads[1]!.title }).waitFor()
    return openToLastItem(page, big.title, lastId)
  })
  if (!open.ok && events.length > 0) open = { ok: false, why: `${open.why} (${[...new Set(events)].slice(0, 3).join('; ')})` }
  const corePeakOpen = peak(core)
  const heap = open.ok ? await attempt(() => jsHeapMb(page)) : open
  await context.close().catch(() => undefined)
  await stop(core)
  rmSync(home, { recursive: true, force: true })
  return {
    mb,
    logBytes,
    items,
    seedMs,
    rssStart,
    listCold,
    listWarm,
    listBytes: listCold.ok ? { ok: true, value: bytes } : listCold,
    paged,
    corePeakList,
    warmedAfterStart,
    listAfterWarmer,
    baselineMs: baseline.ms,
    baselinePeak: baseline.peak,
    open,
    corePeakOpen,
    heap
  }
}

async function main(): Promise<void> {
  console.log(`Scale of one thread's log: ${SIZES_MB.map((m) => `${m} MB`).join(', ')} (${ITEMS_PER_300_MB} items per 300 MB)`)
  const chromium = await launchChromiumPiped()
  const results: Measured[] = []
  for (const mb of SIZES_MB) results.push(await measureSize(mb, chromium))
  await chromium.close()

  const sizeLabel = (n: number) => `${n} MB log`
  const table = (label: string, unit: Unit, pick: (m: Measured) => Figure, target: number | null) =>
    printScale({ label, unit, sizeLabel, rows: results.map((m) => ({ size: m.mb, figure: pick(m) })), target })
  console.log(`\nFigures beside their linear expectation (from the ${SIZES_MB[0]} MB figure) and the target (set for 1 GB):`)
  table('seeding the log (bench only)', seconds, (m) => ({ ok: true, value: m.seedMs }), null)
  table('core RSS after start', megabytes, (m) => m.rssStart, null)
  table('item/list first window at the end, cold (offset index built)', seconds, (m) => m.listCold, null)
  table('item/list first window at the end, warm (fresh core, index on disk)', seconds, (m) => m.listWarm, null)
  table('no index at start: core ready → the warmer has indexed the log', seconds, (m) => m.warmedAfterStart, null)
  table('item/list first window at the end once the warmer is done', seconds, (m) => m.listAfterWarmer, null)
  table(`item/list window of ${WINDOW} on the wire`, bytesAsMb, (m) => m.listBytes, null)
  table('paging the whole thread end → start, warm', seconds, (m) => m.paged, null)
  table('core peak RSS (VmHWM): cold window, then paging end → start', megabytes, (m) => m.corePeakList, 200)
  table('baseline, the old whole-log read (readEventLog + fold): time', seconds, (m) => m.baselineMs, null)
  table('baseline, the old whole-log read: peak RSS', megabytes, (m) => m.baselinePeak, null)
  table('browser: click on the thread → last item on screen (Conversation tab)', seconds, (m) => m.open, 1000)
  table('core peak RSS (VmHWM) serving the page', megabytes, (m) => m.corePeakOpen, 200)
  table('renderer JS heap with the thread open (after GC)', megabytes, (m) => m.heap, 100)
}

runBench(main)
