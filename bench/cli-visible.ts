// From `skein new "prompt" --agent shell` in a terminal to the thread's row in an open window.
// The real CLI process against a running browser-mode core, with Chromium already showing the app.
// Needs `npm run build` and Debian's Chromium at /usr/bin/chromium.
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { chromium, type Page } from 'playwright-core'
import { startBenchCore } from './core-process'
import { benchDir, makeBenchRepo, ms, percentile, runBench } from './bench-utils'

const CLI = resolve(__dirname, '../out/main/cli.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 10)

/** Wall-clock ms (epoch, sub-ms): the same clock in Node and in the page, so the two can be compared. */
const wall = (): number => performance.timeOrigin + performance.now()

/** Runs the CLI with SKEIN_HOME and no display (so it never starts an app); resolves with its exit time. */
function cli(args: string[], home: string, cwd: string): Promise<{ code: number; endedAt: number; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SKEIN_HOME: home }
  delete env.DISPLAY
  delete env.WAYLAND_DISPLAY
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += String(d)))
    child.stderr.on('data', (d) => (output += String(d)))
    child.once('error', fail)
    child.once('exit', (code) => done({ code: code ?? 1, endedAt: wall(), output }))
  })
}

/**
 * Watches the sidebar for a thread row with this title and records (in the page) the moment it
 * appears. A MutationObserver sees it in the frame it is added, without Playwright's polling.
 */
async function watchForRow(page: Page, title: string): Promise<void> {
  // Passed as source text: tsx's helpers would not exist inside the page.
  await page.evaluate(`(() => {
    const title = ${JSON.stringify(title)}
    window.__seenAt = null
    const found = () => [...document.querySelectorAll('[role="tree"] .thread-title')].some((el) => el.textContent === title)
    const observer = new MutationObserver(() => {
      if (window.__seenAt === null && found()) {
        window.__seenAt = performance.timeOrigin + performance.now()
        observer.disconnect()
      }
    })
    observer.observe(document.body, { childList: true, subtree: true, characterData: true })
  })()`)
}

async function main(): Promise<void> {
  const dir = benchDir('cli-visible')
  const repo = makeBenchRepo(dir, 'cli-repo', 200)
  const core = await startBenchCore(join(dir, 'home'))
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(core.url)
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ state: 'visible' })

  const baseline: number[] = []
  const visible: number[] = []
  const exited: number[] = []
  // One warm-up round (page chunks, git's first worktree in this repository), then the measured ones.
  // Interleaved, so machine noise hits the baseline and the real runs alike.
  for (let i = 0; i <= RUNS; i++) {
    // The raw cost of starting the CLI process at all: node, the bundle, argument parsing, exit.
    let t0 = wall()
    const help = await cli(['--help'], core.home, repo)
    if (help.code !== 0) throw new Error(`skein --help exited ${help.code}: ${help.output}`)
    if (i > 0) baseline.push(help.endedAt - t0)

    const title = `Bench run ${i}: check the health endpoint`
    await watchForRow(page, title)
    t0 = wall()
    const r = await cli(['new', title, '--agent', 'shell'], core.home, repo)
    if (r.code !== 0) throw new Error(`skein new exited ${r.code}: ${r.output}`)
    await page.waitForFunction(() => (window as unknown as { __seenAt: number | null }).__seenAt !== null, undefined, {
      timeout: 30_000,
      polling: 50
    })
    const seenAt = (await page.evaluate('window.__seenAt')) as number
    if (i > 0) {
      visible.push(seenAt - t0)
      exited.push(r.endedAt - t0)
    }
  }

  console.log(
    `skein new "…" --agent shell → thread row visible in an open Chromium window (${RUNS} runs after a warm-up; worktree threads, repo of 200 files)`
  )
  console.log(`  CLI process start alone (skein --help)   p50 ${ms(percentile(baseline, 50))}  p95 ${ms(percentile(baseline, 95))}`)
  console.log(`  skein new → row in the sidebar            p50 ${ms(percentile(visible, 50))}  p95 ${ms(percentile(visible, 95))}`)
  console.log(`  skein new → CLI exited                    p50 ${ms(percentile(exited, 50))}  p95 ${ms(percentile(exited, 95))}`)
  console.log(`  row p50 minus bare CLI start p50          ${ms(percentile(visible, 50) - percentile(baseline, 50))}`)
  await browser.close()
  core.stop()
}

runBench(main)
