import { expect, test, type Locator, type Page } from '@playwright/test'
import { FakeGithub } from '../test/helpers/fake-github'
import { startModelServer, type ModelServer, type ScriptedStep } from '../test/helpers/model-server'
import { commitIn, dismissToasts, git, githubShapedRepo, openCiTab, overall } from './support/ci-page'
import { connectClient, threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { addRepository, createThread, screenshotBothThemes } from './support/skein-page'
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

/** What each of the agent's two replies uses: $0.01 of input and $0.02 of output on the default model, so $0.06 in all. */
const USAGE = { input_tokens: 5000, output_tokens: 2000 }

/** The autopilot's section of the CI tab. */
const autopilot = (page: Page): Locator => page.locator('section.autopilot')
/** An attempt in the section's list. */
const attempt = (page: Page, n: number): Locator =>
  autopilot(page)
    .getByRole('list', { name: 'Autopilot attempts' })
    .getByRole('listitem', { name: `Attempt ${n}`, exact: true })

test('the CI autopilot: switched on in the CI panel, an attempt goes from failed to green; then it gives up, and says why', async ({
  page
}) => {
  const fake = await FakeGithub.start()
  fakes.push(fake)
  fake.addRepo('acme/shop')
  // The scripted agent: what it answers next, one function per request (it may act on the world first).
  const script: (() => ScriptedStep)[] = []
  const model = await startModelServer({ respond: () => script.shift()?.() ?? { text: 'Done.' }, apiKey: 'test-key' })
  servers.push(model)
  const core = await startCore({
    env: { ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: 'test-key', SHELL: '/bin/bash', GITHUB_TOKEN: fake.token }
  })
  cores.push(core)
  const repo = githubShapedRepo('shop')
  git(repo, 'config', 'user.name', 'E2E')
  git(repo, 'config', 'user.email', 'e2e@example.com')
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'shop', title: 'Fix checkout' })
  const thread = await threadNamed(core, 'Fix checkout')
  const client = await connectClient(core)
  try {
    // The agent commits its fix with a command; in auto mode it needs no approval for that.
    await client.request('thread/configure', { threadId: thread.id, permissionMode: 'auto' })
    await client.request('ci/configure', { repoId: thread.repoId, override: { provider: 'github', baseUrl: fake.baseUrl } })
  } finally {
    client.dispose()
  }

  const sha1 = commitIn(thread.worktreePath, 'cart.ts', 'export const total = 41\n', 'first try')
  fake.setCheckRun('acme/shop', sha1, {
    id: 101,
    name: 'test (ubuntu)',
    status: 'completed',
    conclusion: 'failure',
    log: 'FAIL src/cart.test.ts\n  expected total 42, got 41\n'
  })
  await openCiTab(page)
  await page.getByRole('button', { name: 'Push branch' }).click()
  await expect(overall(page)).toHaveText('Failed')

  let sha2 = ''
  await test.step('switched on while CI fails, it sends the failure and the agent commits a fix, which is pushed', async () => {
    await expect(autopilot(page).getByRole('status')).toContainText('Off.')
    await expect(page.locator('.autopilot-badge')).toHaveCount(0)
    script.push(
      () => ({
        toolUses: [
          {
            name: 'bash',
            input: { command: "printf 'export const total = 42\\n' > cart.ts && git add -A && git commit -qm 'fix the total'" }
          }
        ],
        usage: USAGE
      }),
      () => {
        // The fix is committed: its checks start on the fake GitHub (running until the test says otherwise).
        sha2 = git(thread.worktreePath, 'rev-parse', 'HEAD')
        fake.setCheckRun('acme/shop', sha2, { id: 102, name: 'test (ubuntu)', status: 'in_progress', conclusion: null })
        return { text: 'The total was off by one; fixed and committed.', usage: USAGE }
      }
    )
    await autopilot(page).getByRole('switch', { name: 'Autopilot' }).click()
    await expect(autopilot(page).getByRole('switch', { name: 'Autopilot' })).toHaveAttribute('aria-checked', 'true')
    await expect(page.locator('.autopilot-badge')).toContainText('Autopilot')
    await expect(attempt(page, 1)).toContainText('Failure sent')
    await expect(attempt(page, 1)).toContainText('Pushed')
    await expect(attempt(page, 1).locator('li[data-state="active"]')).toHaveText('Checks running')
    await expect(attempt(page, 1)).toContainText(`Agent committed ${sha2.slice(0, 7)}`)
    await expect(autopilot(page).getByRole('status')).toHaveText('Attempt 1 of 3: waiting for CI on the fix.')
    await expect(page.locator('.ci-summary')).toContainText(`on ${sha2.slice(0, 7)}`)
    const sent = JSON.stringify(model.requests[0]!.body.messages)
    expect(sent).toContain("Skein's CI autopilot, attempt 1 of 3")
    expect(sent).toContain('expected total 42, got 41')
    await dismissToasts(page)
    await screenshotBothThemes(page, 'autopilot-attempt')
  })

  await test.step('the fake reports green: the attempt passes, with its cost', async () => {
    fake.setCheckRun('acme/shop', sha2, { id: 102, name: 'test (ubuntu)', status: 'completed', conclusion: 'success', log: 'ok\n' })
    await expect(attempt(page, 1)).toContainText('Checks passed')
    await expect(attempt(page, 1)).toHaveAttribute('data-outcome', 'passed')
    await expect(attempt(page, 1).locator('.autopilot-cost')).toHaveText('$0.06')
    await expect(overall(page)).toHaveText('Passed')
    await expect(autopilot(page).getByRole('status')).toHaveText('Fixed: checks passed on the pushed fix.')
    await expect(autopilot(page)).toContainText('Spent $0.06 of $5.00.')
    await dismissToasts(page)
    await screenshotBothThemes(page, 'autopilot-passed')
  })

  await test.step('with one attempt allowed, a failure the agent cannot fix makes it give up: a toast says why', async () => {
    await autopilot(page).getByRole('button', { name: 'Autopilot settings' }).click()
    const form = autopilot(page).getByRole('form', { name: 'Autopilot settings' })
    await form.getByLabel('Attempts').fill('1')
    await form.getByLabel('Budget (USD)').fill('2.50')
    await screenshotBothThemes(page, 'autopilot-settings')
    await form.getByRole('button', { name: 'Save' }).click()
    await expect(form).toBeHidden()
    await expect(autopilot(page)).toContainText('Up to 1 attempt · budget $2.50 · auto-merge off')

    script.push(() => ({ text: 'I cannot see what is wrong with the coupon code.' }))
    const sha3 = commitIn(thread.worktreePath, 'coupons.ts', 'export const coupons = [\n', 'coupons')
    fake.setCheckRun('acme/shop', sha3, {
      id: 103,
      name: 'lint',
      status: 'completed',
      conclusion: 'failure',
      log: 'error: unexpected end\n'
    })
    await page.locator('.ci-summary').getByRole('button', { name: 'Push' }).click()
    const toast = page.getByRole('alert').filter({ hasText: 'Autopilot gave up on “Fix checkout”' })
    await expect(toast).toBeVisible()
    await expect(toast).toContainText('Gave up after 1 attempt: the agent made no change in the last one.')
    await expect(attempt(page, 1)).toContainText('Agent made no change')
    await expect(autopilot(page).locator('.autopilot-gave-up')).toContainText('Gave up after 1 attempt')
    await expect(page.locator('.autopilot-badge')).toHaveAttribute('data-phase', 'gave-up')
    await screenshotBothThemes(page, 'autopilot-gave-up')
    await toast.getByRole('button', { name: 'Show CI' }).click()
    await expect(toast).toBeHidden()
  })
})
