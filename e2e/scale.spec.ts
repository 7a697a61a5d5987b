import { expect, test } from '@playwright/test'
import { connectClient } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { screenshotBothThemes, threadRow, tree } from './support/skein-page'

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  core = null
})

test('1,000+ threads stay virtualized in the sidebar and dashboard, and other clients’ changes appear at once', async ({ page }) => {
  core = await startCore()
  const client = await connectClient(core)
  const big = await client.request('repo/add', { path: makeGitRepo('monorepo') })
  const small = await client.request('repo/add', { path: makeGitRepo('docs-site') })
  for (let batch = 0; batch < 21; batch++) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        client.request('thread/create', { repoId: batch % 2 ? small.id : big.id, title: `Task ${batch * 50 + i + 1}`, mode: 'local' })
      )
    )
  }

  await page.goto(core.url)
  await expect(page.getByText('1,050 live threads in 2 repositories')).toBeVisible()

  await test.step('only the rows in view are in the DOM', async () => {
    const rendered = await tree(page).locator('[role="treeitem"]').count()
    expect(rendered).toBeGreaterThan(10)
    expect(rendered).toBeLessThan(80)
    const cards = await page.getByRole('list', { name: 'Threads' }).getByRole('listitem').count()
    expect(cards).toBeGreaterThan(6)
    expect(cards).toBeLessThan(120)
    await screenshotBothThemes(page, 'dashboard-1000')
  })

  await test.step('keyboard navigation reaches the end of the list', async () => {
    await tree(page).getByRole('treeitem', { name: 'docs-site', exact: true }).focus()
    await page.keyboard.press('End')
    const last = tree(page).locator('[role="treeitem"]:focus')
    await expect(last).toHaveAttribute('aria-level', '2')
    await page.keyboard.press('Home')
    await expect(tree(page).locator('[role="treeitem"]:focus')).toHaveAccessibleName('docs-site')
    await page.keyboard.press('ArrowLeft') // folds docs-site
    await expect(tree(page).getByRole('treeitem', { name: 'docs-site', exact: true })).toHaveAttribute('aria-expanded', 'false')
    await page.keyboard.press('ArrowRight')
    await expect(tree(page).getByRole('treeitem', { name: 'docs-site', exact: true })).toHaveAttribute('aria-expanded', 'true')
  })

  await test.step('a thread created and renamed by another client shows up without reloading', async () => {
    const created = await client.request('thread/create', { repoId: small.id, title: 'Made from the CLI', mode: 'local' })
    await expect(threadRow(page, 'Made from the CLI')).toBeVisible()
    await expect(page.getByText('1,051 live threads in 2 repositories')).toBeVisible()
    await client.request('thread/rename', { threadId: created.id, title: 'Renamed from the CLI' })
    await expect(threadRow(page, 'Renamed from the CLI')).toBeVisible()
    await client.request('thread/delete', { threadId: created.id })
    await expect(threadRow(page, 'Renamed from the CLI')).toHaveCount(0)
  })

  await test.step('a collapsed repository stays collapsed after a reload', async () => {
    const docs = tree(page).getByRole('treeitem', { name: 'docs-site', exact: true })
    await docs.click()
    await expect(docs).toHaveAttribute('aria-expanded', 'false')
    await page.reload()
    await expect(docs).toHaveAttribute('aria-expanded', 'false')
    await expect(tree(page).getByRole('treeitem', { name: 'monorepo', exact: true })).toHaveAttribute('aria-expanded', 'true')
  })
  client.dispose()
})
