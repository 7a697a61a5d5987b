// Idle CPU with 50 open threads (40 worktrees, 10 local; 10 with a live shell), a browser window on the
// dashboard and then on a thread's terminal, each phase measured over BENCH_IDLE_SECONDS (default 20).
// Baselines, measured over the same windows: an idle Node process, and a second Chromium on about:blank.
// CPU time is read from /proc (utime + stime of each process and its descendants; 10 ms ticks), so it is
// the processes' own work and not the machine's load. Goal: ≤ 1% of one core. Linux only.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { benchDir, makeBenchRepo, runBench } from './bench-utils'
import { startBenchCore } from './core-process'

const THREADS = 50
const WORKTREES = 40
const SHELLS = 10
const SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20)
const TICK_MS = 1000 / 100

/** CPU ms of a process and all its descendants, from /proc. */
function treeCpuMs(root: number): number {
  const children = new Map<number, number[]>()
  let total = 0
  const stats = new Map<number, string[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const f = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')
      const pid = Number(name)
      stats.set(pid, f)
      const ppid = Number(f[1])
      children.set(ppid, [...(children.get(ppid) ?? []), pid])
    } catch {
      // gone meanwhile
    }
  }
  const queue = [root]
  while (queue.length) {
    const pid = queue.shift()!
    const f = stats.get(pid)
    if (f) total += (Number(f[11]) + Number(f[12])) * TICK_MS
    queue.push(...(children.get(pid) ?? []))
  }
  return total
}

/** A Chromium and the pid of its root process (its renderers, GPU and network processes are its descendants). */
async function launch(): Promise<{ browser: Browser; pid: number; close(): Promise<void> }> {
  const server = await chromium.launchServer({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  const browser = await chromium.connect(server.wsEndpoint())
  return { browser, pid: server.process().pid!, close: () => server.close() }
}

async function measure(pids: Record<string, number>): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, treeCpuMs(pid)]))
  await new Promise((r) => setTimeout(r, SECONDS * 1000))
  return Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, (treeCpuMs(pid) - before[k]!) / (SECONDS * 10)]))
}

async function main(): Promise<void> {
  const home = benchDir('idle')
  const core = await startBenchCore(home)
  const c = await core.client()
  const repos = []
  for (let r = 0; r < 5; r++) repos.push(await c.request('repo/add', { path: makeBenchRepo(home, `service-${r}`, 20) }))
  const threads = []
  for (let i = 0; i < THREADS; i++) {
    const t = await c.request('thread/create', {
      repoId: repos[i % repos.length]!.id,
      title: `Thread ${i}`,
      mode: i < WORKTREES ? 'worktree' : 'local'
    })
    threads.push(t)
    // The thread's session is a shell (the default agent profile), as a thread started with a shell has.
    if (i % (THREADS / SHELLS) === 0) await c.request('pty/open', { threadId: t.id, kind: 'agent', cols: 120, rows: 32 })
  }
  c.dispose()

  const app = await launch()
  const blank = await launch()
  const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(core.url)
  await page.getByRole('treeitem', { name: /^Thread 0\b/ }).waitFor()
  await (await blank.browser.newPage()).goto('about:blank')
  const idleNode = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' })
  process.on('exit', () => idleNode.kill())
  const pids = { core: core.child.pid!, app: app.pid, node: idleNode.pid!, blank: blank.pid }
  // Let start-up work (the first scans, the dashboard's first fetches) finish before measuring.
  await new Promise((r) => setTimeout(r, 5000))
  const dashboard = await measure(pids)

  await page.getByRole('treeitem', { name: /^Thread 0\b/ }).click()
  await page
    .getByRole('tablist', { name: 'Thread views' })
    .getByRole('tab', { name: /^Terminal/ })
    .click()
  await page
    .locator('.xterm-screen')
    .first()
    .waitFor()
    .catch(async (e) => {
      await page.screenshot({ path: '/tmp/speedprof/idle-fail.png' })
      throw e
    })
  await new Promise((r) => setTimeout(r, 3000))
  const terminal = await measure(pids)

  const pct = (v: number) => `${v.toFixed(2).padStart(6)} %`
  const row = (label: string, m: Record<string, number>) =>
    `  ${label.padEnd(34)} core ${pct(m.core!)} (idle node ${pct(m.node!)})   browser ${pct(m.app!)} (about:blank ${pct(m.blank!)})   total ${pct(m.core! + m.app!)}`
  console.log(
    `Idle CPU with ${THREADS} threads (${WORKTREES} worktrees, ${SHELLS} live shells), % of one core over ${SECONDS} s (goal ≤ 1 %)`
  )
  console.log(row('window on the dashboard', dashboard))
  console.log(row("window on a thread's terminal", terminal))
  await app.close()
  await blank.close()
  idleNode.kill()
  core.stop()
}

runBench(main)
