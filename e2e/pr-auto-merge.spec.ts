import { expect, test } from '@playwright/test'
import { FakeGithub } from '../test/helpers/fake-github'
import { FakeGithubAutoMerge } from '../test/helpers/fake-github-auto-merge'
import { FakeGithubPulls } from '../test/helpers/fake-github-pulls'
import { FakeGithubThreads } from '../test/helpers/fake-github-threads'
import { commitIn, configureFakeGithub, dismissToasts, git, hostedGithubRepo, openCiTab } from './support/ci-page'
import { threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { addRepository, createThread, screenshotBothThemes, threadRow } from './support/skein-page'
import { prepareTerminalPage } from './support/terminal-page'

let cores: CoreProcess[] = []
let fakes: FakeGithub[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(fakes.map((f) => f.close()))
  cores = []
  fakes = []
})

test("GitHub's own auto-merge from the thread: offered while a required review is missing, cancelled, turned on again, merged by GitHub once approved", async ({
  page
}) => {
  const fake = await FakeGithub.start()
  fakes.push(fake)
  const pulls = FakeGithubPulls.attach(fake)
  const auto = FakeGithubAutoMerge.attach(fake, pulls, FakeGithubThreads.attach(fake))
  auto.configure('acme/cart', { allowAutoMerge: true, requiredApprovals: 1 })
  const core = await startCore({ env: { SHELL: '/bin/bash', GITHUB_TOKEN: fake.token } })
  cores.push(core)
  const { repo, bare } = hostedGithubRepo('cart')
  pulls.setRemote('acme/cart', bare)

  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'cart', title: 'Round the cart total', profile: 'Shell' })
  const thread = await threadNamed(core, 'Round the cart total')
  const sha = commitIn(thread.worktreePath, 'cart.ts', 'export const total = (n: number) => Math.round(n * 100) / 100\n', 'Round the total')
  fake.setCheckRun('acme/cart', sha, { id: 1, name: 'test', status: 'completed', conclusion: 'success', log: 'ok\n' })

  await openCiTab(page)
  await configureFakeGithub(page, fake.baseUrl)
  // Pushed from the app, as a person would; the pull request was opened on GitHub.
  await page.getByRole('button', { name: 'Push branch' }).click()
  const remoteTip = () => {
    try {
      return git(bare, 'rev-parse', '--verify', '-q', `refs/heads/${thread.branch}`)
    } catch {
      return null // not pushed yet
    }
  }
  await expect.poll(remoteTip).toBe(sha)
  pulls.addPull('acme/cart', { title: 'Round the cart total', head: { ref: thread.branch!, sha } })
  const panel = page.getByRole('region', { name: 'Pull request #1' })
  const note = panel.locator('.pr-auto-merge')

  await test.step('blocked only by a required review: Merge… offers to let GitHub merge it when ready', async () => {
    await panel.getByRole('button', { name: 'Read #1 from GitHub again' }).click()
    await expect(panel).toContainText('The check passed')
    const mergeButton = panel.getByRole('button', { name: 'Merge…' })
    await expect(mergeButton).toBeEnabled()
    await mergeButton.click()
    const confirm = panel.getByRole('group', { name: 'Confirm merge' })
    await expect(confirm).toContainText(`Merge ${thread.branch} into main at ${sha.slice(0, 7)} when its checks pass and reviews allow it?`)
    await dismissToasts(page)
    await screenshotBothThemes(page, 'pr-merge-when-ready')
    await confirm.getByRole('button', { name: 'Merge when ready' }).click()
    await expect(note).toContainText('Auto-merge on (merge) — GitHub will merge when the checks pass and reviews allow it')
    expect(pulls.pull('acme/cart', 1)).toMatchObject({ merged: false, autoMerge: { expectedHead: sha } })
    await expect(panel.getByRole('button', { name: 'Merge…' })).toHaveCount(0)
    await dismissToasts(page)
    await screenshotBothThemes(page, 'pr-auto-merge-on')
  })

  await test.step('Cancel auto-merge turns it off on GitHub; it can be turned on again', async () => {
    await note.getByRole('button', { name: 'Cancel auto-merge' }).click()
    await expect(note).toHaveCount(0)
    expect(pulls.pull('acme/cart', 1)!.autoMerge).toBeNull()
    await panel.getByRole('button', { name: 'Merge…' }).click()
    await panel.getByRole('group', { name: 'Confirm merge' }).getByRole('button', { name: 'Merge when ready' }).click()
    await expect(note).toBeVisible()
  })

  await test.step('the approval arrives: GitHub merges at the head it was given, and the thread shows it merged', async () => {
    pulls.review('acme/cart', 1, 'octocat', 'APPROVED')
    expect(auto.merged).toEqual([{ fullName: 'acme/cart', number: 1, sha, method: 'merge' }])
    await panel.getByRole('button', { name: 'Read #1 from GitHub again' }).click()
    await expect(panel).toHaveAttribute('data-pr-state', 'merged')
    await expect(note).toHaveCount(0)
    await expect(threadRow(page, 'Round the cart total')).toHaveAttribute('aria-label', /pull request #1 merged/)
    await dismissToasts(page)
    await screenshotBothThemes(page, 'pr-auto-merged')
  })
})
