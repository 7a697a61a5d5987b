import { expect, test } from '@playwright/test'
import { FakeGithub } from '../test/helpers/fake-github'
import { FakeGithubPulls } from '../test/helpers/fake-github-pulls'
import { startModelServer, type ModelServer } from '../test/helpers/model-server'
import { commitIn, configureFakeGithub, dismissToasts, git, hostedGithubRepo, openCiTab, overall } from './support/ci-page'
import { threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { addRepository, createThread, screenshotBothThemes, threadRow } from './support/skein-page'
import { prepareTerminalPage } from './support/terminal-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
let fakes: FakeGithub[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  await Promise.all(fakes.map((f) => f.close()))
  cores = []
  servers = []
  fakes = []
})

test('from a thread with commits to a pull request: drafted, created, and shown in the thread, the sidebar and the dashboard', async ({
  page
}) => {
  const fake = await FakeGithub.start()
  fakes.push(fake)
  const pulls = FakeGithubPulls.attach(fake)
  const model = await startModelServer({
    respond: () => ({ text: 'The checkout total now adds tax once, and a test covers it.' }),
    apiKey: 'test-key'
  })
  servers.push(model)
  const core = await startCore({
    env: { ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: 'test-key', SHELL: '/bin/bash', GITHUB_TOKEN: fake.token }
  })
  cores.push(core)
  const { repo, bare } = hostedGithubRepo('shop')
  pulls.setRemote('acme/shop', bare)
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, {
    via: 'sidebar-button',
    repo: 'shop',
    title: 'Fix checkout total',
    prompt: 'The checkout total adds tax twice. Fix it and add a test.'
  })
  await expect(page.getByText('The checkout total now adds tax once, and a test covers it.')).toBeVisible()
  const thread = await threadNamed(core, 'Fix checkout total')
  await openCiTab(page)
  await configureFakeGithub(page, fake.baseUrl)
  commitIn(thread.worktreePath, 'cart.ts', 'export const total = (n: number) => n * 1.2\n', 'Add tax once')
  const sha = commitIn(thread.worktreePath, 'cart.test.ts', 'test("total", () => {})\n', 'Test the total')
  fake.setCheckRun('acme/shop', sha, { id: 1, name: 'test', status: 'completed', conclusion: 'success', log: 'ok\n' })
  fake.setCheckRun('acme/shop', sha, { id: 2, name: 'lint', status: 'completed', conclusion: 'success', log: 'ok\n' })

  const dialog = page.getByRole('dialog', { name: 'Create pull request' })
  await test.step('Create pull request: the dialog drafts the title and body from the thread, editable', async () => {
    await expect(page.locator('.pr-panel-empty')).toContainText(`No pull request for ${thread.branch} yet.`)
    // The thread's actions offer it too.
    await page.getByRole('button', { name: 'Thread actions' }).click()
    await expect(page.getByRole('menuitem', { name: 'Create pull request…' })).toBeVisible()
    await page.keyboard.press('Escape')
    await page.locator('.pr-panel-empty').getByRole('button', { name: 'Create pull request' }).click()
    await expect(dialog).toBeVisible()
    await expect(dialog.getByLabel('Title')).toHaveValue('Fix checkout total')
    const body = dialog.getByLabel(/^Description/)
    await expect(body).toHaveValue(/^## Task\n\n> The checkout total adds tax twice\. Fix it and add a test\./)
    await expect(body).toHaveValue(/## Summary\n\nThe checkout total now adds tax once, and a test covers it\./)
    await expect(body).toHaveValue(/## Commits\n\n- [0-9a-f]{7} Add tax once\n- [0-9a-f]{7} Test the total/)
    await expect(dialog.getByLabel('Merge into')).toHaveValue('main')
    await expect(dialog).toContainText(`From ${thread.branch} (2 commits) on GitHub. Skein pushes the branch first.`)
    await dialog.getByLabel('Title').fill('Fix the checkout total: tax once')
    await dialog.getByLabel(/^Reviewers/).fill('octocat')
    await dialog.getByLabel(/^Labels/).fill('bug, checkout')
    await dismissToasts(page)
    await screenshotBothThemes(page, 'pr-create-dialog')
  })

  await test.step('create: the branch is pushed and the pull request opened; the thread shows it with its checks', async () => {
    await dialog.getByRole('button', { name: 'Create pull request' }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByText('Opened pull request #1')).toBeVisible()
    expect(git(bare, 'rev-parse', `refs/heads/${thread.branch}`)).toBe(sha)
    const p = pulls.pull('acme/shop', 1)!
    expect(p).toMatchObject({ title: 'Fix the checkout total: tax once', labels: ['bug', 'checkout'], requestedReviewers: ['octocat'] })
    const panel = page.getByRole('region', { name: 'Pull request #1' })
    await expect(panel.getByRole('link', { name: '#1' })).toHaveAttribute('href', 'https://github.com/acme/shop/pull/1')
    await expect(panel).toContainText('Fix the checkout total: tax once')
    await expect(panel.locator('.pr-state')).toHaveText('Open')
    await expect(panel).toContainText('Review requested from octocat')
    // GitHub works out mergeability on the first read; Refresh reads it again.
    await panel.getByRole('button', { name: 'Read #1 from GitHub again' }).click()
    await expect(panel).toContainText('Ready to merge')
    await expect(overall(page)).toHaveText('Passed')
    await expect(panel).toContainText('All 2 checks passed')
    await expect(page.locator('.thread-header .pr-chip')).toContainText('#1Open')
    await expect(threadRow(page, 'Fix checkout total').locator('.pr-badge')).toHaveText('#1')
    await expect(threadRow(page, 'Fix checkout total')).toHaveAttribute('aria-label', /pull request #1 open/)
    await dismissToasts(page)
    await screenshotBothThemes(page, 'pr-thread')
  })

  await test.step('a review arrives: the thread shows it approved, and ready', async () => {
    pulls.review('acme/shop', 1, 'octocat', 'APPROVED')
    const panel = page.getByRole('region', { name: 'Pull request #1' })
    await panel.getByRole('button', { name: 'Read #1 from GitHub again' }).click()
    await expect(panel).toContainText('Approved by octocat')
    await expect(panel).toHaveAttribute('data-pr-state', 'open')
    await expect(panel).toHaveClass(/pr-tone-ready/)
  })

  await test.step('a second Create shows the pull request the branch has, never a second one', async () => {
    await page.getByRole('button', { name: 'Thread actions' }).click()
    await expect(page.getByRole('menuitem', { name: 'Open pull request #1' })).toBeVisible()
    await page.keyboard.press('Escape')
    expect(pulls.pulls.get('acme/shop')!.length).toBe(1)
  })

  await test.step('the dashboard shows the pull request and its checks on the card', async () => {
    await page
      .getByRole('button', { name: /^Dashboard/ })
      .first()
      .click()
    const card = page.getByRole('listitem', { name: /Fix checkout total/ })
    await expect(card.locator('.pr-badge')).toContainText('#1Open')
    await expect(card.locator('.pr-badge')).toHaveAttribute(
      'aria-label',
      /^Pull request #1: open, ready to merge, approved by octocat, all 2 checks passed$/
    )
    await expect(card).toContainText('CI passed')
    await screenshotBothThemes(page, 'pr-dashboard')
    await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'List' }).click()
    await expect(page.getByRole('listitem', { name: /Fix checkout total/ }).locator('.pr-badge')).toContainText('#1')
    await screenshotBothThemes(page, 'pr-dashboard-list')
    await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Cards' }).click()
  })

  await test.step('merge from the thread: asked once more, merged at the head shown, then shown as merged everywhere', async () => {
    await threadRow(page, 'Fix checkout total').click()
    await page.getByRole('tab', { name: /^CI/ }).click()
    const panel = page.getByRole('region', { name: 'Pull request #1' })
    await panel.getByRole('button', { name: 'Merge…' }).click()
    const confirm = panel.getByRole('group', { name: 'Confirm merge' })
    await expect(confirm).toContainText('Merge skein/fix-checkout-total into main at ')
    await dismissToasts(page)
    await screenshotBothThemes(page, 'pr-merge-confirm')
    await confirm.getByRole('button', { name: 'Merge #1' }).click()
    await expect(panel).toHaveAttribute('data-pr-state', 'merged')
    expect(pulls.pulls.get('acme/shop')![0]!.merged).toBe(true)
    await expect(panel.getByRole('button', { name: 'Merge…' })).toHaveCount(0)
    await expect(threadRow(page, 'Fix checkout total')).toHaveAttribute('aria-label', /pull request #1 merged/)
    await dismissToasts(page)
    await screenshotBothThemes(page, 'pr-merged')
  })
})
