import { expect, test, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import {
  addRepository,
  createThread,
  openNewThreadDialog,
  repoRow,
  screenshotBothThemes,
  threadMenu,
  threadRow
} from './support/skein-page'

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
})

const du = (...paths: string[]) =>
  Number(
    execFileSync('du', ['-s', '-c', '-B1', ...paths], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1)!
      .split('\t')[0]
  )
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** Archives a thread from its menu and puts its folder back as it was: the leftover a failed removal leaves. */
async function archiveLeavingFolder(page: Page, title: string, wt: string): Promise<void> {
  const copy = join(mkdtempSync(join(tmpdir(), 'skein-e2e-copy-')), 'wt')
  execFileSync('cp', ['-a', wt, copy])
  await threadMenu(page, title, 'Archive')
  await expect(threadRow(page, title)).toHaveCount(0)
  await expect.poll(() => existsSync(wt)).toBe(false)
  execFileSync('cp', ['-a', copy, wt])
}

test('disk use shows per thread, per repository and on the dashboard; the budget warns; Clean up removes only what a snapshot holds', async ({
  page
}) => {
  core = await startCore()
  const repo = makeGitRepo('disk-app')
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'disk-app', title: 'Heavy build' })
  const heavy = await threadNamed(core, 'Heavy build')
  const shared = join(core.home, 'shared', heavy.repoId, 'node_modules')
  mkdirSync(join(shared, 'dep'), { recursive: true })
  writeFileSync(join(shared, 'dep', 'index.js'), randomBytes(3 * 1024 * 1024))
  symlinkSync(shared, join(heavy.worktreePath, 'node_modules'))
  mkdirSync(join(heavy.worktreePath, 'dist'))
  writeFileSync(join(heavy.worktreePath, 'dist', 'bundle.js'), randomBytes(2 * 1024 * 1024))

  await test.step('the Overview shows the worktree, the shared folder once, and the repository total after measuring again', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click()
    const row = page.locator('.detail-row').filter({ has: page.locator('dt', { hasText: /^Disk use$/ }) })
    await row.getByRole('button', { name: 'Details…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Disk use' })
    await dialog.getByRole('button', { name: 'Measure again' }).click()
    await expect(dialog.getByTestId('disk-total')).toHaveText(mb(du(heavy.worktreePath, shared)))
    await expect(dialog.getByRole('list', { name: 'Worktrees by size' })).toContainText('Heavy build')
    await expect(dialog.getByRole('list', { name: 'Worktrees by size' })).toContainText('Shared node_modules (used by 1)')
    await screenshotBothThemes(page, 'disk-dialog')
    await page.keyboard.press('Escape')
    await expect(row.getByTestId('overview-disk')).toContainText(`${mb(du(heavy.worktreePath))} in this worktree`)
    await expect(row.getByTestId('overview-disk')).toContainText(`+ shared node_modules ${mb(du(shared))}, counted once for 1 worktree`)
    await expect(row.getByTestId('overview-disk')).toContainText(`Repository total ${mb(du(heavy.worktreePath, shared))}`)
    await expect(repoRow(page, 'disk-app').getByTestId('repo-disk')).toHaveText(mb(du(heavy.worktreePath, shared)))
    await screenshotBothThemes(page, 'disk-overview')
  })

  await test.step('the dashboard shows each card’s disk use and the total', async () => {
    await page
      .getByRole('button', { name: /^Dashboard/ })
      .first()
      .click()
    await expect(page.locator(`[data-thread-id="${heavy.id}"]`).getByTestId('thread-disk')).toHaveText(mb(du(heavy.worktreePath)))
    await expect(page.getByTestId('dashboard-disk')).toContainText(`${mb(du(heavy.worktreePath, shared))} on disk`)
    await screenshotBothThemes(page, 'disk-dashboard')
  })

  await test.step('a budget below what one more worktree needs warns in New thread, with the numbers', async () => {
    await page.getByRole('button', { name: 'Disk…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Disk use' })
    await dialog.getByLabel('Disk budget').fill('6 MB')
    await dialog.getByRole('button', { name: 'Save budget' }).click()
    await expect(dialog.getByRole('button', { name: 'Saved' })).toBeVisible()
    await page.keyboard.press('Escape')
    const newThread = await openNewThreadDialog(page, 'shortcut')
    const warning = newThread.getByTestId('budget-warning')
    await expect(warning).toContainText(
      /Over the disk budget\. This repository's worktrees use [\d.]+ MB of its 6\.0 MB disk budget; a new worktree adds about [\d.]+ MB \(the median of its 1 worktree\), making [\d.]+ MB\./
    )
    await screenshotBothThemes(page, 'disk-budget-warning')
    await newThread.getByLabel('Where', { exact: true }).selectOption('local')
    await expect(warning).toBeHidden()
    await page.keyboard.press('Escape')
  })

  await test.step('Clean up removes an archived thread’s leftover that its snapshot holds, and keeps one with unsaved work', async () => {
    await createThread(page, { via: 'sidebar-button', repo: 'disk-app', title: 'Old work' })
    const old = await threadNamed(core!, 'Old work')
    writeFileSync(join(old.worktreePath, 'notes.md'), 'done\n')
    await createThread(page, { via: 'sidebar-button', repo: 'disk-app', title: 'Half done' })
    const half = await threadNamed(core!, 'Half done')
    writeFileSync(join(half.worktreePath, 'draft.md'), 'first draft\n')
    await archiveLeavingFolder(page, 'Old work', old.worktreePath)
    await archiveLeavingFolder(page, 'Half done', half.worktreePath)
    appendFileSync(join(half.worktreePath, 'draft.md'), 'written after the archive\n')
    const staleVenv = join(core!.home, 'shared', heavy.repoId, 'old-venv')
    mkdirSync(join(staleVenv, 'lib'), { recursive: true })
    writeFileSync(join(staleVenv, 'lib', 'site.py'), randomBytes(100_000))
    utimesSync(staleVenv, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000))

    await repoRow(page, 'disk-app').click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Disk use and clean up…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Disk use' })
    await dialog.getByRole('button', { name: 'Find leftovers' }).click()
    const list = dialog.getByRole('list', { name: 'Leftover folders' })
    const oldItem = list.locator(`li[data-path="${old.worktreePath}"]`)
    const halfItem = list.locator(`li[data-path="${half.worktreePath}"]`)
    await expect(oldItem).toContainText('Old work · Archived thread’s folder')
    await expect(oldItem).toContainText('Everything in it is in the verified snapshot')
    await expect(oldItem.getByRole('checkbox')).toBeChecked()
    await expect(halfItem).toContainText(`Kept: ${half.worktreePath}/draft.md is not in the snapshot`)
    await expect(halfItem.getByRole('checkbox')).toBeDisabled()
    const venvItem = list.locator(`li[data-path="${staleVenv}"]`)
    await expect(venvItem).toContainText('old-venv · Shared folder nothing uses')
    await expect(venvItem.getByRole('checkbox')).toBeChecked()
    // The shared node_modules the live thread links to is not offered.
    await expect(list.locator(`li[data-path="${shared}"]`)).toHaveCount(0)
    await screenshotBothThemes(page, 'disk-cleanup')
    await dialog.getByRole('button', { name: /^Remove 2 folders/ }).click()
    await expect(page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: /Freed/ }).first()).toBeVisible()
    await expect.poll(() => existsSync(old.worktreePath)).toBe(false)
    expect(existsSync(join(half.worktreePath, 'draft.md'))).toBe(true)
    expect(existsSync(staleVenv)).toBe(false)
    expect(existsSync(join(shared, 'dep', 'index.js'))).toBe(true)
    await expect(oldItem).toHaveCount(0)
    await expect(halfItem).toBeVisible()
  })
})
