// Cold start of browser mode to an interactive sidebar, with 1,000 threads across 20 repositories.
// Needs `npm run build` and Debian's Chromium at /usr/bin/chromium.
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { createCore } from '../src/main/core/core'
import { memoryLogger } from '../src/main/core/logger'
import { DataDir } from '../src/main/core/store/data-dir'
import { ThreadStore } from '../src/main/core/store/thread-store'
import { defaultConversation } from '../src/shared/models'
import { DEFAULT_MODEL } from '../src/shared/pricing'
import { startBenchCore } from './core-process'
import { benchDir, makeBenchRepo, ms, now, runBench } from './bench-utils'

const REPOS = 20
const THREADS = 1000

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
      { id: `t${i.toString().padStart(5, '0')}`, repoId: repo.id, title: `Thread ${i}: investigate alert ${i * 7}`, slug: `thread-${i}`, mode: 'local', branch: 'main', baseRef: 'main', worktreePath: repo.path, status: statuses[i % statuses.length]!, statusMessage: null, createdAt: at, lastActivityAt: at, archivedAt: null, snapshotRef: null, agent: null, unread: false, conversation: defaultConversation(DEFAULT_MODEL), imported: null },
      repo
    )
    if (!made.ok) throw new Error(made.error.message)
  }
  await store.flush()
}

async function main(): Promise<void> {
  const home = benchDir('cold')
  await seed(home)
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })

  const t0 = now()
  const core = await startBenchCore(home)
  const url = core.url
  const tCore = now()
  await page.goto(url)
  const tLoaded = now()
  const firstThread = page.getByRole('treeitem', { name: /^Thread 0: / })
  await firstThread.waitFor({ state: 'visible' })
  const tSidebar = now()
  await firstThread.click()
  await page.getByRole('heading', { level: 1, name: /^Thread 0: / }).waitFor({ state: 'visible' })
  const tInteractive = now()
  const rows = await page.getByRole('treeitem').count()

  // Scroll the whole list: the frame rate while scrolling is what "smooth" means.
  // Passed as source text: tsx's helpers would not exist inside the page.
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

  console.log(`browser-mode cold start with ${THREADS} threads across ${REPOS} repositories (Chromium pre-launched)`)
  console.log(`  core process up, URL printed   ${ms(tCore - t0)}`)
  console.log(`  page loaded                    ${ms(tLoaded - t0)}`)
  console.log(`  sidebar rendered               ${ms(tSidebar - t0)}   (${rows} tree rows in the DOM: virtualized)`)
  console.log(`  sidebar interactive (click→view) ${ms(tInteractive - t0)}`)
  console.log(`  scrolling the full list: ${fps.toFixed(0)} frames/s (headless, software rendering)`)
  await browser.close()
  core.stop()
}

runBench(main)
