import { expect, test } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FakeGithub } from '../test/helpers/fake-github'
import { startModelServer, type ModelServer } from '../test/helpers/model-server'
import {
  checkRow,
  commitIn,
  configureFakeGithub,
  dismissToasts,
  githubShapedRepo,
  logPane,
  logView,
  openCiTab,
  overall,
  runRow
} from './support/ci-page'
import { connectClient, threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { addRepository, createThread, screenshotBothThemes, threadRow } from './support/skein-page'
import { prepareTerminalPage, shownNotifications } from './support/terminal-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
let fakes: FakeGithub[] = []
test.afterEach(async () => {
  // What the core sent and what the fake answered must match GitHub's OpenAPI description.
  const violations = fakes.flatMap((f) => f.violations)
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  await Promise.all(fakes.map((f) => f.close()))
  cores = []
  servers = []
  fakes = []
  expect(violations).toEqual([])
})

async function launch(o: { github?: boolean } = {}) {
  const fake = await FakeGithub.start()
  fakes.push(fake)
  const model = await startModelServer({ respond: () => ({ text: 'I will fix the cart total.' }), apiKey: 'test-key' })
  servers.push(model)
  const env: Record<string, string> = { ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: 'test-key', SHELL: '/bin/bash' }
  if (o.github !== false) env.GITHUB_TOKEN = fake.token
  const core = await startCore({ env })
  cores.push(core)
  return { fake, model, core }
}

/** A long log with ANSI colours and one failure in the middle (the core shows the error's context and the tail, with gaps). */
function failingLog(): () => Iterable<string> {
  return function* () {
    yield '\x1b[36m$ npm test\x1b[0m\n'
    for (let i = 1; i < 30_000; i++) yield `step ${i}: \x1b[32mok\x1b[0m ${'·'.repeat(40)}\n`
    yield '\x1b[31;1mFAIL\x1b[0m src/cart.test.ts\n'
    yield '  expected total 42, got 41\n'
    yield 'npm ERR! Test failed.\n'
    for (let i = 1; i <= 30_000; i++) yield `cleanup ${i} ${'·'.repeat(40)}\n`
  }
}

test('a failing GitHub check: the panel, its log, sending it to the agent, then green after a new push', async ({ page }) => {
  const { fake, model, core } = await launch()
  fake.addRepo('acme/shop')
  const repo = githubShapedRepo('shop')
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'shop', title: 'Fix checkout' })
  const thread = await threadNamed(core, 'Fix checkout')

  await test.step('before a push the CI tab explains itself and offers a push and a local check', async () => {
    await openCiTab(page)
    await expect(page.getByRole('heading', { name: 'No CI for this thread yet' })).toBeVisible()
    await expect(page.getByText(`once ${thread.branch} is on its remote`)).toBeVisible()
    await expect(page.getByRole('button', { name: 'Run a local check' })).toBeVisible()
    await expect(overall(page)).toHaveText('No CI yet')
    await configureFakeGithub(page, fake.baseUrl)
  })

  const sha1 = commitIn(thread.worktreePath, 'cart.ts', 'export const total = 41\n', 'first try')
  fake.setCheckRun('acme/shop', sha1, {
    id: 101,
    name: 'test (ubuntu)',
    status: 'completed',
    conclusion: 'failure',
    started_at: new Date(Date.now() - 95_000).toISOString(),
    completed_at: new Date().toISOString(),
    log: failingLog()
  })
  fake.setCheckRun('acme/shop', sha1, { id: 102, name: 'lint', status: 'completed', conclusion: 'success', log: 'lint ok\n' })

  await test.step('Push branch: the panel shows the failing check of the pushed commit', async () => {
    await page.getByRole('button', { name: 'Push branch' }).click()
    await expect(overall(page)).toHaveText('Failed')
    await expect(page.locator('.ci-summary')).toContainText(`on ${sha1.slice(0, 7)}`)
    await expect(page.locator('.ci-summary')).toContainText('GitHub')
    await expect(checkRow(page, 'test (ubuntu)')).toHaveAttribute('data-state', 'failed')
    await expect(checkRow(page, 'test (ubuntu)').locator('.ci-duration')).toHaveText('1m 35s')
    await expect(checkRow(page, 'lint')).toHaveAttribute('data-state', 'passed')
    const link = checkRow(page, 'test (ubuntu)').getByRole('link', { name: 'Open test (ubuntu) on GitHub' })
    await expect(link).toHaveAttribute('href', 'https://github.com/acme/shop/actions/runs/1/job/101')
    await expect(link).toHaveAttribute('target', '_blank')
    await expect(page.getByRole('tab', { name: /^CI/ }).locator('.ci-dot')).toHaveAttribute('data-ci', 'failed')
    await expect(threadRow(page, 'Fix checkout').locator('.ci-dot-wrap')).toHaveAttribute('data-ci', 'failed')
    await expect(threadRow(page, 'Fix checkout')).toHaveAttribute('aria-label', /CI failed/)
    // The person watched it happen, so it is not news and no notification was shown.
    expect(await shownNotifications(page)).toEqual([])
    await dismissToasts(page)
    await screenshotBothThemes(page, 'ci-failing')
  })

  await test.step('the log opens with colours, line numbers and gaps; Jump to first error brings the error into view', async () => {
    await page.getByRole('button', { name: 'Show its log' }).click()
    const view = logView(page)
    await expect(view).toBeVisible()
    await expect(logPane(page)).toContainText('60,003 lines')
    await expect(view.locator('.log-gap').first()).toHaveText('… 29800 lines omitted …')
    const error = view.locator('.log-row[data-line="30001"]')
    await expect(error).toHaveCount(0) // far below: not rendered yet (virtualized)
    await logPane(page).getByRole('button', { name: 'Jump to first error' }).click()
    await expect(error).toBeInViewport()
    await expect(error).toHaveClass(/is-highlighted/)
    await expect(error).toHaveClass(/is-first-error/)
    await expect(error).toContainText('FAIL src/cart.test.ts')
    await expect(error.locator('.ansi-fg-1.ansi-bold')).toHaveText('FAIL')
    await expect(view.locator('.log-row[data-line="30000"] .ansi-fg-2')).toHaveText('ok')
    expect(await view.locator('.log-row').count()).toBeLessThan(200)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await logPane(page).getByRole('button', { name: 'Copy log' }).click()
    await expect(logPane(page).getByRole('button', { name: 'Copied' })).toBeVisible()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toContain('… 29800 lines omitted …\nstep 29800: ok')
    expect(copied).toContain('FAIL src/cart.test.ts\n  expected total 42, got 41')
    expect(copied).not.toContain('\x1b')
    await dismissToasts(page)
    await screenshotBothThemes(page, 'ci-log')
  })

  await test.step('Send failure to agent: a toast, and the agent gets the check, the commit and the error', async () => {
    await logPane(page).getByRole('button', { name: 'Send failure to agent' }).click()
    await expect(page.getByText('Sent the failure of test (ubuntu) to the built-in agent')).toBeVisible()
    await expect.poll(() => model.requests.length).toBeGreaterThan(0)
    const sent = JSON.stringify(model.requests.at(-1)!.body.messages)
    expect(sent).toContain('FAIL src/cart.test.ts')
    expect(sent).toContain('expected total 42, got 41')
    expect(sent).toContain('test (ubuntu)')
    expect(sent).toContain(sha1.slice(0, 7))
    expect(sent).not.toContain('\\u001b[31') // no ANSI codes reach the model
    await page.getByRole('button', { name: 'Open conversation' }).click()
    await expect(page.getByRole('tab', { name: 'Conversation' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByText('I will fix the cart total.')).toBeVisible()
    await openCiTab(page)
  })

  await test.step('a new commit with a passing check, pushed again: the panel and the sidebar dot turn green', async () => {
    const sha2 = commitIn(thread.worktreePath, 'cart.ts', 'export const total = 42\n', 'fix the total')
    fake.setCheckRun('acme/shop', sha2, { id: 201, name: 'test (ubuntu)', status: 'completed', conclusion: 'success', log: 'all good\n' })
    await page.locator('.ci-summary').getByRole('button', { name: 'Push' }).click()
    await expect(overall(page)).toHaveText('Passed')
    await expect(page.locator('.ci-summary')).toContainText(`on ${sha2.slice(0, 7)}`)
    await expect(checkRow(page, 'test (ubuntu)')).toHaveAttribute('data-state', 'passed')
    await expect(checkRow(page, 'lint')).toHaveCount(0)
    await expect(threadRow(page, 'Fix checkout').locator('.ci-dot-wrap')).toHaveAttribute('data-ci', 'passed')
    await expect(page.getByRole('tab', { name: /^CI/ }).locator('.ci-dot')).toHaveAttribute('data-ci', 'passed')
    // The old check's log is gone with its commit.
    await expect(page.getByText('That check is no longer among this thread’s checks.')).toBeVisible()
    await checkRow(page, 'test (ubuntu)').getByRole('button').first().click()
    await expect(logView(page)).toContainText('all good')
    await expect(logPane(page).getByRole('button', { name: 'Send failure to agent' })).toHaveCount(0)
    await dismissToasts(page)
    await screenshotBothThemes(page, 'ci-passing')
  })

  await test.step('a thread off screen fails: an OS notification, and it is marked until opened', async () => {
    const client = await connectClient(core)
    try {
      const other = await client.request('thread/create', { repoId: thread.repoId, title: 'Add coupons', mode: 'worktree' })
      const sha = commitIn(other.worktreePath, 'coupons.ts', 'export const coupons = []\n', 'coupons')
      fake.setCheckRun('acme/shop', sha, {
        id: 301,
        name: 'lint',
        status: 'completed',
        conclusion: 'failure',
        log: 'error: missing semicolon\n'
      })
      await client.request('review/push', { threadId: other.id })
    } finally {
      client.dispose()
    }
    await expect(threadRow(page, 'Add coupons')).toHaveAttribute('aria-label', /CI failed while you were away/)
    await expect(threadRow(page, 'Add coupons').locator('.ci-dot')).toHaveClass(/is-news/)
    await expect.poll(() => shownNotifications(page)).toEqual([expect.objectContaining({ title: 'Add coupons', body: 'CI failed: lint' })])
    await page
      .getByRole('button', { name: /^Dashboard/ })
      .first()
      .click()
    const card = page.getByRole('listitem', { name: /Add coupons/ })
    await expect(card.locator('.ci-dot-wrap')).toHaveAttribute('data-ci', 'failed')
    await expect(card).toContainText('CI failed')
    await expect(page.getByRole('listitem', { name: /Fix checkout/ })).toContainText('CI passed')
    await screenshotBothThemes(page, 'ci-dashboard')
    // The CI failed chip counts and lists the thread whose CI failed, and it leaves the one it was before.
    const chips = page.getByRole('group', { name: 'Filter by status' })
    const chip = (label: string) => chips.getByRole('button', { name: new RegExp(`^${label} \\d+$`) })
    await expect(chip('CI failed')).toHaveText(/1$/)
    await chip('CI failed').click()
    await expect(page.getByRole('list', { name: 'Threads' }).getByRole('listitem')).toHaveCount(1)
    await expect(card).toBeVisible()
    await chip('CI failed').click()
    await threadRow(page, 'Add coupons').click()
    await expect(threadRow(page, 'Add coupons')).toHaveAttribute('aria-label', /CI failed\)$/)
    await expect(threadRow(page, 'Add coupons').locator('.ci-dot')).not.toHaveClass(/is-news/)
  })
})

test('local checks: configured, suggested and typed commands; live output, pass, fail and cancel', async ({ page }) => {
  const { core } = await launch({ github: false })
  const repo = makeGitRepo('tools')
  writeFileSync(
    join(repo, 'package.json'),
    JSON.stringify({ name: 'tools', scripts: { test: 'node -e "process.exit(0)"', lint: 'eslint .' } })
  )
  const { execFileSync } = await import('node:child_process')
  execFileSync('git', ['-C', repo, 'add', '-A'])
  execFileSync('git', ['-C', repo, '-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-qm', 'scripts'])
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'tools', title: 'Check locally' })
  const thread = await threadNamed(core, 'Check locally')
  await openCiTab(page)

  await test.step('commands found in the repository are offered', async () => {
    const suggested = page.getByRole('list', { name: 'Suggested checks' })
    await expect(suggested).toContainText('npm test')
    await expect(suggested).toContainText('package.json script "test"')
    await expect(suggested).toContainText('npm run lint')
  })

  await test.step('a typed command is added to the repository and passes when run', async () => {
    await page.getByRole('button', { name: 'Run a local check' }).click()
    const input = page.getByRole('textbox', { name: 'Check command' })
    await expect(input).toBeFocused()
    await input.fill('echo all-good && exit 0')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(page.getByRole('list', { name: 'Check commands' })).toContainText('echo all-good && exit 0')
    await expect(input).toHaveValue('')
    await page.getByRole('button', { name: 'Run echo all-good && exit 0' }).click()
    const run = runRow(page, 'echo all-good && exit 0')
    await expect(run).toHaveAttribute('data-state', 'passed')
    await expect(run).toContainText('exit 0')
    await expect(run).toContainText(/· [0-9a-f]{7}/)
    await expect(run).not.toContainText('uncommitted changes')
    await expect(logView(page)).toContainText('all-good')
    await expect(overall(page)).toHaveText('Passed')
  })

  await test.step('a failing command shows its exit code, output and the failure actions', async () => {
    await page.getByRole('textbox', { name: 'Check command' }).fill('echo bad-things >&2; exit 3')
    await page.getByRole('textbox', { name: 'Check command' }).press('Enter')
    const run = runRow(page, 'echo bad-things >&2; exit 3')
    await expect(run).toHaveAttribute('data-state', 'failed')
    await expect(run).toContainText('exit 3')
    await expect(logView(page)).toContainText('bad-things')
    await expect(logPane(page).getByRole('button', { name: 'Send failure to agent' })).toBeVisible()
    await expect(overall(page)).toHaveText('Failed')
    await expect(threadRow(page, 'Check locally').locator('.ci-dot-wrap')).toHaveAttribute('data-ci', 'failed')
  })

  await test.step('a long run streams its output live, marks uncommitted changes, and can be cancelled', async () => {
    writeFileSync(join(thread.worktreePath, 'scratch.txt'), 'not committed\n')
    const command = "printf 'live-start\\n'; sleep 1; printf 'live-more\\n'; sleep 60"
    await page.getByRole('textbox', { name: 'Check command' }).fill(command)
    await page.getByRole('textbox', { name: 'Check command' }).press('Enter')
    const run = runRow(page, command)
    await expect(run).toHaveAttribute('data-state', 'running')
    await expect(run).toContainText('uncommitted changes')
    await expect(logView(page)).toContainText('live-start')
    await expect(logView(page)).toContainText('live-more')
    await expect(overall(page)).toHaveText('Failed') // the earlier failure still counts while this runs
    await run.getByRole('button', { name: `Cancel ${command}` }).click()
    await expect(run).toHaveAttribute('data-state', 'cancelled')
    await expect(logPane(page).getByRole('button', { name: 'Cancel' })).toHaveCount(0)
    await expect(logView(page)).toContainText('live-more')
  })

  await test.step('without a remote, asking for hosted CI says there is no provider and offers the settings', async () => {
    await page.locator('.ci-summary').getByRole('button', { name: 'Refresh' }).click()
    const banner = page.locator('.ci-problem')
    await expect(banner).toHaveAttribute('data-problem', 'no-provider')
    await expect(banner).toContainText('No CI provider.')
    await expect(banner).toContainText('no remote')
    await banner.getByRole('button', { name: 'Configure CI…' }).click()
    await expect(page.getByRole('dialog', { name: 'CI settings' })).toBeVisible()
    await page.keyboard.press('Escape')
    await dismissToasts(page)
    await screenshotBothThemes(page, 'ci-local')
  })
})

test('problems reading GitHub CI are explained with what to do', async ({ page }) => {
  const { fake, core } = await launch()
  fake.addRepo('acme/shop')
  const repo = githubShapedRepo('shop')
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'shop', title: 'Not pushed yet' })
  await openCiTab(page)
  await configureFakeGithub(page, fake.baseUrl)

  await test.step('not pushed: Check now says so and offers the push', async () => {
    await page.getByRole('button', { name: 'Check now' }).click()
    const banner = page.locator('.ci-problem')
    await expect(banner).toHaveAttribute('data-problem', 'not-pushed')
    await expect(banner).toContainText('Branch not pushed.')
    await expect(banner.getByRole('button', { name: 'Push branch' })).toBeVisible()
  })

  await test.step('a token without access (403)', async () => {
    const thread = await threadNamed(core, 'Not pushed yet')
    commitIn(thread.worktreePath, 'a.txt', 'a\n', 'a')
    fake.forbidden = true
    await page.locator('.ci-problem').getByRole('button', { name: 'Push branch' }).click()
    const banner = page.locator('.ci-problem')
    await expect(banner).toHaveAttribute('data-problem', 'forbidden')
    await expect(banner).toHaveAttribute('role', 'alert')
    await expect(banner).toContainText('Access refused.')
    await expect(banner).toContainText('403')
  })

  await test.step('rate-limited: says until when', async () => {
    fake.forbidden = false
    fake.rate.remaining = 0
    await page.locator('.ci-problem').getByRole('button', { name: 'Try again' }).click()
    const banner = page.locator('.ci-problem')
    await expect(banner).toHaveAttribute('data-problem', 'rate-limited')
    await expect(banner).toContainText(/Rate-limited until \d{2}:\d{2}\./)
    await dismissToasts(page)
    await screenshotBothThemes(page, 'ci-rate-limited')
  })
})
