import { expect, test } from '@playwright/test'
import { existsSync } from 'node:fs'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { addRepository, openNewThreadDialog, screenshotBothThemes, threadRow } from './support/skein-page'

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  core = null
})

test('a bad base ref yields an error thread with the core’s message; deleting asks first', async ({ page }) => {
  const repo = makeGitRepo('gamma-lib')
  core = await startCore()
  await page.clock.install() // the page's clock, so the relative times can be moved forward below
  await page.goto(core.url)
  await addRepository(page, repo)

  await test.step('create a thread from a base ref that does not exist', async () => {
    const dialog = await openNewThreadDialog(page, 'shortcut')
    await dialog.getByLabel('Title', { exact: true }).fill('Port to new API')
    await dialog.getByLabel('Base ref', { exact: true }).fill('no-such-branch')
    await dialog.getByLabel('Base ref', { exact: true }).press('Enter')
    await expect(dialog).toBeHidden()
  })

  await test.step('the error is shown in the header, the sidebar badge tooltip and a toast', async () => {
    await expect(page.getByRole('heading', { level: 1, name: 'Port to new API' })).toBeVisible()
    const banner = page.locator('.thread-header').getByRole('alert')
    await expect(banner).toContainText('Base ref "no-such-branch" does not exist in gamma-lib')
    const badge = threadRow(page, 'Port to new API').locator('[data-status="error"]')
    await expect(badge).toHaveText('Error')
    await expect(badge).toHaveAttribute('title', /no-such-branch/)
    await expect(page.locator('.toast-error')).toContainText('no-such-branch')
    await screenshotBothThemes(page, 'thread-error')
  })

  await test.step('relative last-activity times tick forward on their own', async () => {
    const time = threadRow(page, 'Port to new API').locator('time')
    await expect(time).toHaveText('now')
    await page.clock.fastForward('06:00')
    await expect(time).toHaveText('6m')
    await page.clock.fastForward('03:00:00')
    await expect(time).toHaveText('3h')
  })

  await test.step('delete from the "…" button, confirming first', async () => {
    await threadRow(page, 'Port to new API').hover()
    await threadRow(page, 'Port to new API').getByRole('button', { name: 'Actions for Port to new API' }).click()
    await page.getByRole('menuitem', { name: 'Delete…' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Delete thread?' })
    await expect(confirm).toContainText('is first saved to refs/skein/snapshots/')
    await expect(confirm).toContainText('branch skein/port-to-new-api is kept')
    await screenshotBothThemes(page, 'delete-confirm')
    await confirm.getByRole('button', { name: 'Delete thread' }).click()
    await expect(confirm).toBeHidden()
    await expect(threadRow(page, 'Port to new API')).toHaveCount(0)
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  })

  await test.step('deleting a worktree thread removes its folder; removing a repo with threads is refused', async () => {
    const dialog = await openNewThreadDialog(page, 'shortcut')
    await dialog.getByLabel('Title', { exact: true }).fill('Keep me')
    await dialog.getByLabel('Title', { exact: true }).press('Enter')
    await expect(page.getByRole('heading', { level: 1, name: 'Keep me' })).toBeVisible()
    const worktree = (await page.locator('.thread-header .path-text').textContent())?.trim() ?? ''
    expect(existsSync(worktree)).toBe(true)

    await page.getByRole('treeitem', { name: 'gamma-lib', exact: true }).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Remove repository' }).click()
    await expect(page.locator('.toast-error').filter({ hasText: 'Could not remove gamma-lib' })).toBeVisible()

    await page.getByRole('button', { name: 'Thread actions' }).click()
    await page.getByRole('menuitem', { name: 'Delete…' }).click()
    await page.getByRole('alertdialog', { name: 'Delete thread?' }).getByRole('button', { name: 'Delete thread' }).click()
    await expect(threadRow(page, 'Keep me')).toHaveCount(0)
    expect(existsSync(worktree)).toBe(false)
  })
})
