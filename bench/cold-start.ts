// Cold start of browser mode to an interactive sidebar, with 1,000 threads across 20 repositories.
// Each run starts a fresh core on a fresh copy of the same seeded home (a start rewrites stale statuses).
// Baseline, measured in the same run: a bare Node HTTP server started the same way, serving a one-button page.
// Times of painting and clicking are taken inside the page (bench/page-timing.ts), not by Playwright's polling.
// Needs `npm run build` and Debian's Chromium at /usr/bin/chromium. BENCH_RUNS sets the number of runs (default 5).
import { spawn } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { createCore } from '../src/main/core/core'
import { memoryLogger } from '../src/main/core/logger'
import { DataDir } from '../src/main/core/store/data-dir'
import { ThreadStore } from '../src/main/core/store/thread-store'
import { storeThread } from '../test/helpers/thread-fixture'
import { startBenchCore } from './core-process'
import { epochNow, lastClickAt, paintedAt, recordAppearances } from './page-timing'
import { benchDir, makeBenchRepo, ms, percentile, runBench } from './bench-utils'

const REPOS = 20
const THREADS = 1000
const RUNS = Number(process.env.BENCH_RUNS ?? 5)

async function seed(home: string): Promise<void> {
  const core = await createCore({ home, logger: memoryLogger(), listenSocket: false })
  const repos = []
  for (let r = 0; r < REPOS; r++) {
    const added = await core.repos.add(makeBenchRepo(join(home, 'repos'), `service-${r}`, 3))
    if (!added.ok) throw new Error(added.error.message)
    repos.push(added.value)
  }
  await core.close()
  const store = await ThreadStore.open(new DataDir(home), memoryLogger())
  const statuses = ['idle', 'running', 'needs-attention', 'idle', 'error'] as const
  for (let i = 0; i < THREADS; i++) {
    const repo = repos[i % REPOS]!
    const at = Date.now() - i * 60_000
    // Local threads: the same records the core writes, without making 1,000 worktrees first.
    const made = await store.create(
      storeThread(`t${i.toString().padStart(5, '0')}`, {
        repoId: repo.id,
        title: `Thread ${i}: investigate alert ${i * 7}`,
        slug: `thread-${i}`,
        branch: 'main',
        worktreePath: repo.path,
        status: statuses[i % statuses.length]!,
        createdAt: at,
        lastActivityAt: at
      }),
      repo
    )
    if (!made.ok) throw new Error(made.error.message)
  }
  await store.flush()
}

// The raw floor: node starts, listens, prints its URL; the page loads and shows one button.
const RAW_SERVER = `const http = require('node:http')
const page = '<!doctype html><title>raw</title><button>Thread 0</button>'
const s = http.createServer((q, r) => { r.writeHead(200, { 'content-type': 'text/html' }); r.end(page) })
s.listen(0, '127.0.0.1', () => console.log('serving at http://127.0.0.1:' + s.address().port + '/'))`

async function rawRun(page: Page): Promise<{ up: number; interactive: number }> {
  await recordAppearances(page, [{ name: 'button', selector: 'button', text: 'Thread 0' }])
  const t0 = epochNow()
  const child = spawn(process.execPath, ['-e', RAW_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((res) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += String(d)
      const m = /serving at (\S+)/.exec(out)
      if (m) res(m[1]!)
    })
  })
  const up = epochNow() - t0
  await page.goto(url)
  const shown = await paintedAt(page, 'button')
  child.kill('SIGTERM')
  return { up, interactive: shown - t0 }
}

interface Run {
  core: number
  loaded: number
  sidebar: number
  /** The sidebar painted, plus click → thread view painted: when a person's click would have had its answer. */
  interactive: number
  /** The same as the harness sees it (Playwright waits by polling, so this includes its detection delays). */
  harness: number
}

async function coldRun(page: Page, template: string): Promise<Run> {
  const home = benchDir('cold-run')
  cpSync(template, home, { recursive: true })
  await recordAppearances(page, [
    { name: 'sidebar', selector: '[data-thread-id="t00000"]' },
    { name: 'view', selector: 'h1', text: 'Thread 0: ' }
  ])
  const t0 = epochNow()
  const core = await startBenchCore(home)
  const tCore = epochNow()
  await page.goto(core.url)
  const tLoaded = epochNow()
  const firstThread = page.getByRole('treeitem', { name: /^Thread 0: / })
  await firstThread.click()
  await page.getByRole('heading', { level: 1, name: /^Thread 0: / }).waitFor({ state: 'visible' })
  const tHarness = epochNow()
  const sidebar = await paintedAt(page, 'sidebar')
  const clickToView = (await paintedAt(page, 'view')) - (await lastClickAt(page))
  core.stop()
  await new Promise((res) => core.child.once('exit', res))
  rmSync(home, { recursive: true, force: true })
  return { core: tCore - t0, loaded: tLoaded - t0, sidebar: sidebar - t0, interactive: sidebar - t0 + clickToView, harness: tHarness - t0 }
}

async function main(): Promise<void> {
  const template = benchDir('cold')
  await seed(template)
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  const runs: Run[] = []
  const raws: { up: number; interactive: number }[] = []
  for (let i = 0; i < RUNS; i++) {
    // A fresh page each time: nothing cached from the previous run's origin (each core has its own port).
    const rawPage = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    raws.push(await rawRun(rawPage))
    await rawPage.close()
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    runs.push(await coldRun(page, template))
    if (i < RUNS - 1) await page.close()
  }
  const page = browser.contexts()[0]!.pages().at(-1)!
  const rows = await page.getByRole('treeitem').count()

  // Scroll the whole list: the frame rate while scrolling is what "smooth" means.
  // Passed as source text: tsx's helpers would not exist inside the page.
  const core = await startBenchCore(template)
  await page.goto(core.url)
  await page.getByRole('treeitem', { name: /^Thread 0: / }).waitFor({ state: 'visible' })
  const fps = (await page.evaluate(`(async () => {
    const tree = document.querySelector('[role="tree"]')
    let frames = 0
    const start = performance.now()
    await new Promise((done) => {
      const step = () => {
        frames++
        tree.scrollTop += 400
        if (tree.scrollTop + tree.clientHeight >= tree.scrollHeight - 2 || performance.now() - start > 5000) done()
        else requestAnimationFrame(step)
      }
      requestAnimationFrame(step)
    })
    return (frames * 1000) / (performance.now() - start)
  })()`)) as number

  const med = (f: (r: Run) => number) => percentile(runs.map(f), 50)
  const rawUp = percentile(
    raws.map((r) => r.up),
    50
  )
  const rawInteractive = percentile(
    raws.map((r) => r.interactive),
    50
  )
  const row = (label: string, f: (r: Run) => number, base: number) =>
    `  ${label.padEnd(36)} median ${ms(med(f)).padStart(11)}  min ${ms(Math.min(...runs.map(f))).padStart(11)}  max ${ms(Math.max(...runs.map(f))).padStart(11)}  (${(med(f) / base).toFixed(1)}x raw)`
  console.log(
    `browser-mode cold start with ${THREADS} threads across ${REPOS} repositories, ${RUNS} runs (Chromium pre-launched; goal ≤ 1 s to interactive)`
  )
  console.log(`  raw: bare node HTTP server up        median ${ms(rawUp).padStart(11)}`)
  console.log(`  raw: + one-button page painted       median ${ms(rawInteractive).padStart(11)}`)
  console.log(row('core process up, URL printed', (r) => r.core, rawUp))
  console.log(row('page loaded', (r) => r.loaded, rawInteractive))
  console.log(row(`sidebar painted (${rows} rows in the DOM)`, (r) => r.sidebar, rawInteractive))
  console.log(row('interactive (+ click → view painted)', (r) => r.interactive, rawInteractive))
  console.log(row('interactive as Playwright sees it', (r) => r.harness, rawInteractive))
  console.log(`  scrolling the full list: ${fps.toFixed(0)} frames/s (headless, software rendering)`)
  await browser.close()
  core.stop()
}

runBench(main)
