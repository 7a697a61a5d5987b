import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { addRepository, createThread, repoRow, screenshotBothThemes, threadRow } from './support/skein-page'
import { expectTerminalText, prepareTerminalPage } from './support/terminal-page'

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
})

function commit(repo: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, rel)), { recursive: true })
    writeFileSync(join(repo, rel), text)
  }
  execFileSync('git', ['add', '-A'], { cwd: repo })
  execFileSync('git', ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'environment'], { cwd: repo })
}

test('a new thread shows its setup running, then the agent starts; a failing setup names its command and opens its log', async ({
  page
}) => {
  core = await startCore()
  const repo = makeGitRepo('env-app')
  // The setup waits for a file the test makes, so "Setting up" is on screen for as long as the test looks.
  const gate = join(dirname(repo), 'go')
  commit(repo, {
    '.gitignore': '.env\n',
    '.skein/environment.json': JSON.stringify({
      copy: ['.env'],
      setup: ['echo "installing deps"', `while [ ! -f ${gate} ]; do sleep 0.05; done`, 'echo ready > ready.txt']
    })
  })
  writeFileSync(join(repo, '.env'), 'API_KEY=dev\n')
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)

  await test.step('the thread says "Setting up" in its header, the sidebar and the notice', async () => {
    await createThread(page, { via: 'sidebar-button', repo: 'env-app', title: 'Add search', profile: 'Shell' })
    await expect(page.locator('.thread-header .badge')).toHaveAttribute('data-state', 'setting-up')
    await expect(threadRow(page, 'Add search').locator('.badge')).toHaveAttribute('data-state', 'setting-up')
    await expect(page.getByRole('status').filter({ hasText: 'Setting up this worktree…' })).toBeVisible()
    const t = await threadNamed(core!, 'Add search')
    expect(t.agent).toBeNull()
    expect(readFileSync(join(t.worktreePath, '.env'), 'utf8')).toBe('API_KEY=dev\n')
    await screenshotBothThemes(page, 'environment-setting-up')
  })

  await test.step('the dashboard shows "Setting up" as its own state', async () => {
    await page
      .getByRole('navigation', { name: 'Sidebar' })
      .getByRole('button', { name: /^Dashboard/ })
      .click()
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
    await expect(page.getByRole('group', { name: 'Filter by status' }).getByRole('button', { name: /^Setting up \d+$/ })).toHaveText(/1$/)
    await expect(page.locator('.thread-card.state-setting-up')).toHaveCount(1)
    await screenshotBothThemes(page, 'environment-dashboard-setting-up')
    await threadRow(page, 'Add search').click()
  })

  await test.step('its output is live in the Setup terminal', async () => {
    await page.getByRole('button', { name: 'Show setup output' }).click()
    await expect(page.getByRole('tab', { name: 'Terminal', exact: true })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByRole('tab', { name: /^Setup/ })).toHaveAttribute('aria-selected', 'true')
    await expectTerminalText(page, 'installing deps')
    await expectTerminalText(page, '[setup 2/3]')
  })

  await test.step('when setup ends, the notice goes and the agent starts', async () => {
    writeFileSync(gate, '')
    await expect(page.getByText('Setting up this worktree…')).toBeHidden()
    await expect(page.locator('.thread-header .badge')).not.toHaveAttribute('data-state', 'setting-up')
    await expect.poll(async () => (await threadNamed(core!, 'Add search')).agent?.profileId ?? null).toBe('shell')
    expect(existsSync(join((await threadNamed(core!, 'Add search')).worktreePath, 'ready.txt'))).toBe(true)
    await page.getByRole('tab', { name: 'Overview' }).click()
    const row = page.locator('.detail-row').filter({ has: page.locator('dt', { hasText: /^Setup$/ }) })
    await expect(row).toContainText(/Finished in \d+ s · Copied 1 file \(\.env\)/)
  })

  await test.step('a failing setup names the command and shows its log; the thread stays usable', async () => {
    commit(repo, {
      '.skein/environment.json': JSON.stringify({ setup: ['echo fetching', 'echo "npm ERR! missing lockfile" >&2; exit 1'] })
    })
    await createThread(page, { via: 'sidebar-button', repo: 'env-app', title: 'Broken setup', profile: 'Shell' })
    const notice = page.getByRole('alert').filter({ hasText: 'Setup failed' })
    await expect(notice).toBeVisible()
    await expect(notice).toContainText('Setup command 2 of 2 failed (exit code 1)')
    await notice.getByText('Last lines of the setup log').click()
    await expect(notice.locator('pre')).toContainText('npm ERR! missing lockfile')
    await expect.poll(async () => (await threadNamed(core!, 'Broken setup')).agent?.profileId ?? null).toBe('shell')
    await screenshotBothThemes(page, 'environment-setup-failed')
    await notice.getByRole('button', { name: 'Open the Setup terminal' }).click()
    await expect(page.getByRole('tab', { name: 'Terminal', exact: true })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByRole('tab', { name: /^Setup/ })).toHaveAttribute('aria-selected', 'true')
  })
})

test('the Environment editor offers what it found, imports it, and saves the file', async ({ page }) => {
  core = await startCore()
  const repo = makeGitRepo('conductor-app')
  commit(repo, {
    'conductor.json': JSON.stringify({ scripts: { setup: 'npm ci', run: 'npm run dev', archive: 'docker compose down' } }),
    '.worktreeinclude': '.env\n'
  })
  await page.goto(core.url)
  await addRepository(page, repo)
  await repoRow(page, 'conductor-app').click({ button: 'right' })
  await page.getByRole('menu').getByRole('menuitem', { name: 'Environment…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Environment' })
  await expect(dialog).toBeVisible()
  const found = dialog.getByRole('region', { name: 'Found in this repository' })
  await expect(found).toContainText('Conductor')
  await expect(found).toContainText('1 setup command · run command · archive command')
  await expect(found).toContainText('Claude Code')
  await dialog.getByRole('button', { name: 'Import Conductor' }).click()
  await expect(dialog.getByLabel('Setup commands')).toHaveValue('npm ci')
  await expect(dialog.getByLabel('Run command')).toHaveValue('npm run dev')
  await dialog.getByRole('button', { name: 'Add a folder' }).click()
  await dialog.getByLabel('Shared folder 1').fill('node_modules')
  await screenshotBothThemes(page, 'environment-editor')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  expect(JSON.parse(readFileSync(join(repo, '.skein/environment.json'), 'utf8'))).toMatchObject({
    setup: ['npm ci'],
    run: { command: 'npm run dev' },
    archive: 'docker compose down',
    share: [{ path: 'node_modules', mode: 'symlink' }]
  })
})
