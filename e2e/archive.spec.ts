import { expect, test } from '@playwright/test'
import { chmodSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { addRepository, createThread, screenshotBothThemes, threadMenu, threadRow, tree } from './support/skein-page'

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
})

test('archive keeps .env, modes and empty folders, says what bulk it left out, and restore brings it all back', async ({ page }) => {
  core = await startCore()
  const repo = makeGitRepo('keep-app')
  writeFileSync(join(repo, '.gitignore'), '.env\nnode_modules/\n')
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'keep-app', title: 'Keep my secrets' })
  const wt = (await threadNamed(core, 'Keep my secrets')).worktreePath
  writeFileSync(join(wt, '.gitignore'), '.env\nnode_modules/\n')
  writeFileSync(join(wt, '.env'), 'API_TOKEN=local-only\r\n')
  chmodSync(join(wt, '.env'), 0o600)
  mkdirSync(join(wt, 'empty', 'nested'), { recursive: true })
  mkdirSync(join(wt, 'node_modules', 'huge'), { recursive: true })
  writeFileSync(join(wt, 'node_modules', 'huge', 'blob.bin'), '')
  truncateSync(join(wt, 'node_modules', 'huge', 'blob.bin'), 60 * 1024 * 1024)

  await test.step('archiving warns that node_modules was left out, with its size', async () => {
    await threadMenu(page, 'Keep my secrets', 'Archive')
    const toast = page.getByRole('alert').filter({ hasText: 'leaving out what can be regenerated' })
    await expect(toast).toBeVisible()
    await expect(toast).toContainText('node_modules (60 MB, 1 file): git-ignored and over 50 MB')
    await expect(threadRow(page, 'Keep my secrets')).toHaveCount(0)
    expect(() => statSync(wt)).toThrow()
  })

  await test.step('the archived thread shows what its snapshot holds', async () => {
    await tree(page).getByRole('treeitem', { name: 'Archived (1)' }).click()
    await threadRow(page, 'Keep my secrets').click()
    await page.getByRole('tab', { name: 'Overview' }).click()
    const snapshot = page.locator('.detail-row').filter({ has: page.locator('dt', { hasText: /^Snapshot$/ }) })
    await expect(snapshot).toContainText(/files?, .* saved/)
    await expect(snapshot).toContainText('Left out node_modules (60 MB, 1 file)')
    await screenshotBothThemes(page, 'archive-overview')
  })

  await test.step('restore brings back .env byte for byte with its mode, and the empty folders', async () => {
    await page.getByRole('button', { name: 'Restore' }).click()
    await expect(page.getByRole('button', { name: 'Archive' })).toBeVisible()
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('API_TOKEN=local-only\r\n')
    expect(statSync(join(wt, '.env')).mode & 0o777).toBe(0o600)
    expect(statSync(join(wt, 'empty', 'nested')).isDirectory()).toBe(true)
  })
})
