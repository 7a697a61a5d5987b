import { expect, test, type Page } from '@playwright/test'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { startModelServer, type ModelServer } from '../test/helpers/model-server'
import { diffPane, expectDiffReady, makeReviewRepo, monacoDiff, openChangesTab, openDiff, put } from './support/changes-page'
import { threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { addRepository, createThread, screenshotBothThemes } from './support/skein-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  cores = []
  servers = []
})

/** A core (with a scripted model server) and a worktree thread on a fixture repository. */
async function setUp(page: Page, title: string) {
  const server = await startModelServer({ respond: () => ({ text: 'Done.' }), apiKey: 'test-key' })
  servers.push(server)
  const core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key' } })
  cores.push(core)
  const repo = makeReviewRepo('polish-app')
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'polish-app', title })
  return { core, server, repo, worktree: (await threadNamed(core, title)).worktreePath }
}

test('an added or a deleted file shows only its own lines: no phantom line on the empty side', async ({ page }) => {
  const { worktree } = await setUp(page, 'Drop obsolete')
  rmSync(join(worktree, 'obsolete.txt'))
  put(worktree, 'src/new.ts', 'export const fresh = 1\nexport const fresher = 2\n')
  await openChangesTab(page)
  const shown = (side: 'original' | 'modified', what: string) => monacoDiff(page).locator(`.editor.${side} ${what}`).filter({ visible: true })

  await test.step('deleted: one removed line, nothing added', async () => {
    await openDiff(page, 'obsolete.txt')
    await expectDiffReady(page)
    await expect(monacoDiff(page)).toHaveAttribute('data-empty-side', 'modified')
    await expect(shown('original', '.line-delete')).toHaveCount(1)
    await expect(shown('modified', '.line-insert')).toHaveCount(0)
    await expect(shown('modified', '.line-numbers')).toHaveCount(0)
    await expect(diffPane(page).locator('.change-count')).toHaveText('1 change')
    await screenshotBothThemes(page, 'polish-deleted-file')
  })

  await test.step('added: two added lines (not three), nothing removed, side by side and inline', async () => {
    await openDiff(page, 'src/new.ts')
    await expectDiffReady(page)
    await expect(monacoDiff(page)).toHaveAttribute('data-empty-side', 'original')
    await expect(shown('modified', '.line-insert')).toHaveCount(2)
    await expect(shown('original', '.line-delete')).toHaveCount(0)
    await expect(shown('original', '.line-numbers')).toHaveCount(0)
    await screenshotBothThemes(page, 'polish-added-file')
    await page.getByRole('radio', { name: 'Inline' }).click()
    await expect(monacoDiff(page)).toHaveAttribute('data-layout', 'inline')
    await expect(shown('modified', '.line-insert')).toHaveCount(2)
    await expect(monacoDiff(page).locator('.view-zones .line-delete, .inline-deleted-margin-view-zone').filter({ visible: true })).toHaveCount(0)
    await screenshotBothThemes(page, 'polish-added-file-inline')
    await openDiff(page, 'obsolete.txt')
    await expectDiffReady(page)
    await expect(shown('modified', '.line-insert')).toHaveCount(0)
    await screenshotBothThemes(page, 'polish-deleted-file-inline')
  })
})
