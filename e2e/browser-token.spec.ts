import { expect, test } from '@playwright/test'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { connectClient } from './support/core-client'
import { startCore, tempHome, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { addRepository, repoRow, screenshotBothThemes } from './support/skein-page'

let cores: CoreProcess[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  cores = []
})

test('an open tab reconnects by itself after the core restarts, with the token kept in SKEIN_HOME', async ({ page }) => {
  const home = tempHome()
  const first = await startCore({ home, token: null })
  cores.push(first)
  expect(first.token.length).toBeGreaterThanOrEqual(24)
  if (process.platform !== 'win32') expect(statSync(join(home, 'browser-token')).mode & 0o777).toBe(0o600)
  await page.goto(first.url)
  await expect(page.getByRole('navigation', { name: 'Sidebar' }).getByText('Add a repository to get started')).toBeVisible()
  // A mark on this very document: if the page reloaded, it is gone.
  await page.evaluate(() => ((window as unknown as { skeinMark: number }).skeinMark = 42))

  await test.step('the core dies with a terminal running a background job: the tab says it is reconnecting', async () => {
    const client = await connectClient(first)
    const repo = await client.request('repo/add', { path: makeGitRepo('before-crash') })
    const thread = await client.request('thread/create', { repoId: repo.id, title: 'Long job', mode: 'worktree' })
    const pty = await client.request('pty/open', { threadId: thread.id, kind: 'shell', cols: 80, rows: 24 })
    await client.request('pty/write', { ptyId: pty.id, data: 'setsid -f sleep 600\r' })
    client.dispose()
    await first.stop('SIGKILL')
    await expect(page.getByRole('alert').filter({ hasText: 'reconnecting' })).toBeVisible()
  })

  await test.step('the core comes back on the same port and home: the tab reconnects without a reload', async () => {
    const second = await startCore({ home, token: null, port: first.port })
    cores.push(second)
    expect(second.token).toBe(first.token)
    await expect(page.getByRole('alert').filter({ hasText: 'reconnecting' })).toBeHidden()
    expect(await page.evaluate(() => (window as unknown as { skeinMark?: number }).skeinMark)).toBe(42)
    // The restart ended what the dead core's terminal left running, and the tab is told once.
    await expect(page.getByRole('status').filter({ hasText: 'Cleaned up after an unexpected stop' })).toContainText(
      'ended the processes that 1 terminal left running'
    )
    await screenshotBothThemes(page, 'restart-cleanup-notice')
    // The reconnected tab really talks to the new core.
    const repo = makeGitRepo('after-restart')
    await addRepository(page, repo)
    await expect(repoRow(page, 'after-restart')).toBeVisible()
  })

  await test.step('a reload keeps working, and a link without the token gets a page that says what to do', async () => {
    await page.reload()
    await expect(repoRow(page, 'after-restart')).toBeVisible()
    const bare = await page.context().browser()!.newPage()
    const response = await bare.goto(`http://127.0.0.1:${first.port}/`)
    expect(response?.status()).toBe(401)
    await expect(bare.getByRole('heading', { name: 'Open Skein with its link' })).toBeVisible()
    await expect(bare.getByText('skein open THREAD')).toBeVisible()
    await bare.close()
  })
})
