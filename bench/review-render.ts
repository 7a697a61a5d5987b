// The Changes tab in the renderer: (1) opening the tab on a change set of 1,000 files until its rows
// are on screen; (2) opening the diff of a 20,000-line file until Monaco shows the computed diff.
// Baselines: the same requests at the core alone (review/changes, review/file).
// Needs `npx electron-vite build` and Debian's Chromium at /usr/bin/chromium.
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { benchDir, git, makeBenchRepo, ms, now, percentile, runBench } from './bench-utils'
import { startBenchCore } from './core-process'
import { lastClickAt, paintedAt, recordAppearances, watchFor } from './page-timing'

const FILES = 1000
const BIG_LINES = 20_000
const RUNS = 5
const BIG = 'src/zz-big.ts'

const bigLine = (i: number, edited: boolean) =>
  edited ? `export const row${i} = compute(${i}, 'edited') // changed` : `export const row${i} = compute(${i})`

/** A repository with a 20,000-line file, and a worktree thread that adds 1,000 files and edits every 25th line of it. */
async function seed(home: string) {
  const repoPath = makeBenchRepo(home, 'repo', 5)
  writeFileSync(join(repoPath, BIG), `${Array.from({ length: BIG_LINES }, (_, i) => bigLine(i, false)).join('\n')}\n`)
  git(repoPath, 'add', '-A')
  git(repoPath, 'commit', '-q', '-m', 'big file')
  return repoPath
}

function editWorktree(worktree: string): void {
  mkdirSync(join(worktree, 'gen'), { recursive: true })
  for (let i = 0; i < FILES; i++)
    writeFileSync(join(worktree, 'gen', `f${String(i).padStart(4, '0')}.ts`), `export const generated${i} = ${i}\n`)
  writeFileSync(join(worktree, BIG), `${Array.from({ length: BIG_LINES }, (_, i) => bigLine(i, i % 25 === 0)).join('\n')}\n`)
}

const changesTab = (page: Page) => page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: /^Changes/ })
const row = (page: Page, path: string) => page.locator(`[role="option"][data-path="${path}"]`)

async function main(): Promise<void> {
  const home = benchDir('review-render')
  const repoPath = await seed(home)
  const core = await startBenchCore(home)
  const c = await core.client()
  const repo = await c.request('repo/add', { path: repoPath })
  const thread = await c.request('thread/create', { repoId: repo.id, title: 'Review bench' })
  editWorktree(thread.worktreePath)

  const coreChanges: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = now()
    const set = await c.request('review/changes', { threadId: thread.id })
    coreChanges.push(now() - t0)
    if (set.files.length !== FILES + 1) throw new Error(`expected ${FILES + 1} changed files, got ${set.files.length}`)
  }
  const coreWatch: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = now()
    await c.request('review/watch', { threadId: thread.id })
    coreWatch.push(now() - t0)
    await c.request('review/unwatch', { threadId: thread.id })
  }
  const coreFile: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = now()
    const diff = await c.request('review/file', { threadId: thread.id, path: BIG })
    coreFile.push(now() - t0)
    if (diff.kind !== 'text') throw new Error(`expected a text diff of ${BIG}, got ${diff.kind}`)
  }

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await recordAppearances(page, [])
  await page.goto(core.url)

  // (1) Tab click → rows of the 1,000-file list painted: after a page reload (cold), and on coming back to the tab (warm).
  // Timed inside the page (pointer press → the frame with the rows); the harness's own view is printed too.
  const cold: number[] = []
  const warm: number[] = []
  const harness: number[] = []
  const rows = [
    { name: 'first', selector: '[role="option"][data-path="gen/f0000.ts"]' },
    { name: 'twentieth', selector: '[role="option"][data-path="gen/f0020.ts"]' }
  ]
  const clickToRows = async () => Math.max(await paintedAt(page, 'first'), await paintedAt(page, 'twentieth')) - (await lastClickAt(page))
  for (let i = 0; i < RUNS; i++) {
    await page.reload()
    await page.getByRole('treeitem', { name: /^Review bench/ }).click()
    await page.getByRole('tab', { name: 'Overview' }).click()
    await page.getByRole('heading', { level: 1, name: 'Review bench' }).waitFor()
    await watchFor(page, rows)
    const t0 = now()
    await changesTab(page).click()
    await row(page, 'gen/f0000.ts').waitFor({ state: 'visible' })
    await row(page, 'gen/f0020.ts').waitFor({ state: 'visible' })
    harness.push(now() - t0)
    cold.push(await clickToRows())
    if (process.env.BENCH_VERBOSE) console.log(`  run ${i}: cold ${ms(cold.at(-1)!)} (harness ${ms(harness.at(-1)!)})`)
    await page.getByRole('tab', { name: 'Overview' }).click()
    await row(page, 'gen/f0020.ts').waitFor({ state: 'detached' })
    await watchFor(page, rows)
    await changesTab(page).click()
    await row(page, 'gen/f0020.ts').waitFor({ state: 'visible' })
    warm.push(await clickToRows())
  }
  const domRows = await page.locator('[role="option"]').count()

  // (2) Click on the 20,000-line file → Monaco's diff computed (in its worker) and shown.
  const opens: number[] = []
  let changes = 0
  await page.locator('.file-list').evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
  await row(page, BIG).waitFor({ state: 'visible' })
  for (let i = 0; i < RUNS; i++) {
    await row(page, 'gen/f0999.ts').click()
    await page.locator('.monaco-diff[data-diff-ready="true"]').waitFor()
    const t0 = now()
    await row(page, BIG).click()
    const diff = page.getByRole('region', { name: `Diff of ${BIG}` }).locator('.monaco-diff[data-diff-ready="true"]')
    await diff.waitFor()
    await page.locator('.editor.modified .view-lines .view-line').first().waitFor({ state: 'visible' })
    opens.push(now() - t0)
    changes = Number(await diff.getAttribute('data-changes'))
  }

  console.log(
    `Changes tab: ${FILES + 1} changed files; diff of a ${BIG_LINES.toLocaleString('en-US')}-line file with ${changes} changes (Chromium, headless, software rendering)`
  )
  console.log(
    `  core alone: review/changes of ${FILES + 1} files   p50 ${ms(percentile(coreChanges, 50))}  max ${ms(Math.max(...coreChanges))}`
  )
  console.log(
    `  core alone: review/watch (what the tab asks for)   p50 ${ms(percentile(coreWatch, 50))}  max ${ms(Math.max(...coreWatch))}`
  )
  console.log(
    `  core alone: review/file of the ${BIG_LINES.toLocaleString('en-US')}-line file   p50 ${ms(percentile(coreFile, 50))}  max ${ms(Math.max(...coreFile))}`
  )
  console.log(
    `  tab click → list rows painted, after a page reload   p50 ${ms(percentile(cold, 50))}  max ${ms(Math.max(...cold))}  (goal ≤ 200 ms; ${(percentile(cold, 50) / percentile(coreWatch, 50)).toFixed(1)}x review/watch alone)`
  )
  console.log(
    `    the same as Playwright sees it (click, then polling)   p50 ${ms(percentile(harness, 50))}  max ${ms(Math.max(...harness))}`
  )
  console.log(`  tab click → list rows painted, coming back to the tab   p50 ${ms(percentile(warm, 50))}  max ${ms(Math.max(...warm))}`)
  console.log(`  list rows in the DOM: ${domRows} of ${FILES + 1} (virtualized)`)
  console.log(
    `  click → ${BIG_LINES.toLocaleString('en-US')}-line diff computed and shown   first ${ms(opens[0]!)}  p50 ${ms(percentile(opens, 50))}  max ${ms(Math.max(...opens))}`
  )
  await browser.close()
  c.dispose()
  core.stop()
}

runBench(main)
