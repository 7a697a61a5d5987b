import { expect, test } from '@playwright/test'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { startCore, type CoreProcess } from './support/core-process'
import { listBranches, makeGitRepo, makePlainFolder } from './support/git-repo'
import {
  addRepository,
  createThread,
  openNewThreadDialog,
  repoRow,
  screenshotBothThemes,
  threadMenu,
  threadRow,
  tree,
  treeOutline
} from './support/skein-page'

let cores: CoreProcess[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  cores = []
})
const launch = async (opts?: Parameters<typeof startCore>[0]) => {
  const core = await startCore(opts)
  cores.push(core)
  return core
}

test('repositories, threads, dashboard, rename, archive, and state that survives a core restart', async ({ page }) => {
  const alpha = makeGitRepo('alpha-app', ['feature/login', 'release/1.0'])
  const beta = makeGitRepo('beta-service')
  let core = await launch()
  await page.goto(core.url)

  await test.step('empty state invites adding a repository', async () => {
    await expect(page.getByRole('navigation', { name: 'Sidebar' }).getByText('Add a repository to get started')).toBeVisible()
  })

  await test.step('add two repositories through the dialog', async () => {
    await addRepository(page, alpha)
    await expect(repoRow(page, 'alpha-app')).toBeVisible()
    await expect(tree(page).getByText('No threads yet —')).toBeVisible()
    await addRepository(page, beta)
    await expect(repoRow(page, 'beta-service')).toBeVisible()
  })

  await test.step('new-thread dialog: opened with Ctrl/Cmd+N, defaults, completion, Escape closes', async () => {
    const dialog = await openNewThreadDialog(page, 'shortcut')
    await dialog.getByLabel('Repository', { exact: true }).selectOption({ label: 'alpha-app' })
    await expect(dialog.getByLabel('Base ref', { exact: true })).toHaveValue('main')
    const options = await dialog.locator('datalist option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))
    expect(options).toEqual(expect.arrayContaining(['main', 'feature/login', 'release/1.0']))
    await dialog.getByLabel('Title', { exact: true }).fill('Fix login redirect')
    await screenshotBothThemes(page, 'new-thread-dialog')
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
  })

  await test.step('create three threads in alpha-app and one in beta-service', async () => {
    await createThread(page, { via: 'shortcut', repo: 'alpha-app', title: 'Fix login redirect' })
    await createThread(page, { via: 'sidebar-button', repo: 'alpha-app', title: 'Investigate flaky CI', mode: 'local' })
    await createThread(page, { via: 'repo-menu', repo: 'alpha-app', title: 'Upgrade auth library', baseRef: 'feature/login' })
    await page.keyboard.press('ControlOrMeta+0')
    await createThread(page, { via: 'dashboard-button', repo: 'beta-service', title: 'Add rate limiting' })
    await expect(threadRow(page, 'Add rate limiting')).toHaveAttribute('aria-selected', 'true')
  })

  await test.step('sidebar groups threads under their repositories, most recent first', async () => {
    expect(await treeOutline(page)).toEqual([
      'alpha-app',
      '  Upgrade auth library (Idle)',
      '  Investigate flaky CI (Idle)',
      '  Fix login redirect (Idle)',
      'beta-service',
      '  Add rate limiting (Idle)'
    ])
    await screenshotBothThemes(page, 'sidebar-with-threads')
  })

  await test.step('the thread view shows branch, base ref, mode and worktree', async () => {
    await threadRow(page, 'Upgrade auth library').click()
    const header = page.locator('.thread-header')
    await expect(header.getByText('skein/upgrade-auth-library')).toBeVisible()
    await expect(header.getByText('feature/login')).toBeVisible()
    await expect(header.getByText('Worktree', { exact: true })).toBeVisible()
    // A thread without a CLI agent opens on the built-in agent's Conversation tab.
    await expect(page.getByRole('tab', { name: 'Conversation' })).toHaveAttribute('aria-selected', 'true')
    await page.getByRole('tab', { name: 'Overview' }).click()
    await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true')
    await screenshotBothThemes(page, 'thread-view')
  })

  await test.step('the worktree and the skein/<slug> branch exist on disk', async () => {
    for (const slug of ['fix-login-redirect', 'upgrade-auth-library']) {
      expect(listBranches(alpha, `skein/${slug}`)).toEqual([`skein/${slug}`])
    }
    expect(listBranches(beta, 'skein/*')).toEqual(['skein/add-rate-limiting'])
    expect(listBranches(alpha, 'skein/investigate-flaky-ci')).toEqual([]) // a local thread gets no branch
    const shownPath = (await page.locator('.thread-header .path-text').textContent())?.trim() ?? ''
    expect(shownPath.startsWith(join(core.home, 'worktrees'))).toBe(true)
    expect(statSync(shownPath).isDirectory()).toBe(true)
    expect(existsSync(join(shownPath, 'README.md'))).toBe(true)
    expect(findDirs(join(core.home, 'worktrees')).some((d) => d.endsWith('fix-login-redirect'))).toBe(true)
  })

  await test.step('dashboard lists live threads and filters by repository', async () => {
    await page
      .getByRole('navigation', { name: 'Sidebar' })
      .getByRole('button', { name: /^Dashboard/ })
      .click()
    const cards = page.getByRole('list', { name: 'Threads' }).getByRole('listitem')
    await expect(cards).toHaveCount(4)
    const repoFilter = page.getByRole('group', { name: 'Filter by repository' })
    await repoFilter.getByRole('button', { name: /beta-service/ }).click()
    await expect(cards).toHaveCount(1)
    await expect(cards.first()).toHaveAccessibleName('Add rate limiting')
    await repoFilter.getByRole('button', { name: /alpha-app/ }).click()
    await expect(cards).toHaveCount(3)
    await repoFilter.getByRole('button', { name: /All repositories/ }).click()
    await expect(cards).toHaveCount(4)
    await expect(page.getByRole('group', { name: 'Filter by status' }).getByRole('button', { name: /Idle/ })).toContainText('4')
    await screenshotBothThemes(page, 'dashboard')
    await page.getByRole('listitem', { name: 'Fix login redirect' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Fix login redirect' })).toBeVisible()
  })

  await test.step('Ctrl+Tab / Ctrl+Shift+Tab (and Alt+↓ / Alt+↑) cycle through live threads in sidebar order', async () => {
    await page.keyboard.press('Control+Tab') // Fix login redirect → Add rate limiting (next repo)
    await expect(page.getByRole('heading', { level: 1, name: 'Add rate limiting' })).toBeVisible()
    await page.keyboard.press('Control+Shift+Tab')
    await expect(page.getByRole('heading', { level: 1, name: 'Fix login redirect' })).toBeVisible()
    await page.keyboard.press('Alt+ArrowUp') // the browser-friendly alternative
    await expect(page.getByRole('heading', { level: 1, name: 'Investigate flaky CI' })).toBeVisible()
    await page.keyboard.press('Alt+ArrowDown')
    await expect(page.getByRole('heading', { level: 1, name: 'Fix login redirect' })).toBeVisible()
  })

  await test.step('rename one thread and archive another from the context menu', async () => {
    await threadMenu(page, 'Fix login redirect', 'Rename…')
    const rename = page.getByRole('dialog', { name: 'Rename thread' })
    await rename.getByLabel('Title', { exact: true }).fill('Fix OAuth login redirect')
    await rename.getByLabel('Title', { exact: true }).press('Enter')
    await expect(rename).toBeHidden()
    await expect(threadRow(page, 'Fix OAuth login redirect')).toBeVisible()
    await expect(page.getByRole('heading', { level: 1, name: 'Fix OAuth login redirect' })).toBeVisible()

    await threadMenu(page, 'Investigate flaky CI', 'Archive')
    await expect(threadRow(page, 'Investigate flaky CI')).toHaveCount(0)
    const archived = tree(page).getByRole('treeitem', { name: 'Archived (1)' })
    await expect(archived).toHaveAttribute('aria-expanded', 'false')
    await archived.click()
    await expect(threadRow(page, 'Investigate flaky CI')).toBeVisible()
  })

  await test.step('the core crashes: a banner says so; when it is back the page reconnects', async () => {
    await core.stop('SIGKILL')
    await expect(page.getByRole('alert').filter({ hasText: 'Disconnected from the Skein core — reconnecting…' })).toBeVisible()
    await page.screenshot({ path: join(__dirname, '..', 'test-results', 'screenshots', 'disconnected-light.png') })
    core = await launch({ home: core.home, port: core.port, token: core.token })
    await expect(page.getByText('Disconnected from the Skein core')).toBeHidden()
  })

  await test.step('after a reload the same state is back from disk', async () => {
    await page.reload()
    await expect(threadRow(page, 'Fix OAuth login redirect')).toBeVisible()
    expect(await treeOutline(page)).toEqual([
      'alpha-app',
      '  Upgrade auth library (Idle)',
      '  Fix OAuth login redirect (Idle)',
      'beta-service',
      '  Add rate limiting (Idle)',
      'Archived (1)',
      '  Investigate flaky CI (Archived)'
    ])
    await screenshotBothThemes(page, 'after-restart')
  })
})

test('the add-repository dialog shows the core’s error for a folder that is not a git repository', async ({ page }) => {
  const plain = makePlainFolder('just-a-folder')
  const core = await launch()
  await page.goto(core.url)
  await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: 'Add repository' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'Add repository' })
  await dialog.getByLabel('Repository path').fill(plain)
  await dialog.getByRole('button', { name: 'Add repository' }).click()
  await expect(dialog.getByRole('alert')).toContainText(`${plain} is not a git repository`)
  await expect(dialog.getByLabel('Repository path')).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog).toBeVisible()
  await screenshotBothThemes(page, 'add-repo-error')
  await dialog.getByLabel('Repository path').fill(join(plain, 'does-not-exist'))
  await dialog.getByLabel('Repository path').press('Enter')
  await expect(dialog.getByRole('alert')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})

function findDirs(root: string, depth = 3): string[] {
  if (depth === 0 || !existsSync(root)) return []
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => [join(root, e.name), ...findDirs(join(root, e.name), depth - 1)])
}
