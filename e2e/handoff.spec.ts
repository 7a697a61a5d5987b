import { expect, test, type Page } from '@playwright/test'
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { rows, transcript } from './support/conversation-page'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { agentConfigDirs, ClaudeSessionFile, stubClaudeBin, text, toolUse, writeCodexRollout } from './support/session-files'
import { addRepository, repoRow, screenshotBothThemes, threadRow } from './support/skein-page'
import { expectTerminalText, prepareTerminalPage, shellEnv } from './support/terminal-page'

const CLI_JS = resolve(__dirname, '../out/main/cli.js')

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  core = null
})

/** A core whose Claude Code and Codex sessions live in temp folders, with a stub `claude` first on its PATH. */
async function startHandoffCore(): Promise<{ core: CoreProcess; claudeDir: string; codexDir: string }> {
  const dirs = agentConfigDirs()
  // A key, so the composer shows (nothing here sends a message; the base URL goes nowhere).
  const model = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' }
  const started = await startCore({
    env: { ...shellEnv(), ...model, CLAUDE_CONFIG_DIR: dirs.claude, CODEX_HOME: dirs.codex, PATH: `${stubClaudeBin()}:${process.env.PATH}` }
  })
  core = started
  return { core: started, claudeDir: dirs.claude, codexDir: dirs.codex }
}

/** Runs the built `skein` CLI from a shell in `cwd`, against the core's SKEIN_HOME (no display: it never starts an app). */
function runCli(core: CoreProcess, cwd: string, args: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SKEIN_HOME: core.home }
  delete env.DISPLAY
  delete env.WAYLAND_DISPLAY
  return new Promise((done) => {
    execFile('/bin/sh', ['-c', `"${process.execPath}" "${CLI_JS}" ${args}`], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    )
  })
}

/** The session a person had in Claude Code: a prompt, a test run that failed, and the fix. */
function checkoutSession(cwd: string): ClaudeSessionFile {
  return new ClaudeSessionFile(cwd)
    .user('Why does checkout fail for guest users?')
    .assistant(text('Let me run the checkout tests first.'), toolUse('toolu_01', 'Bash', { command: 'npm test -- checkout' }))
    .toolResult('toolu_01', 'FAIL test/checkout.test.ts\n  ✕ guest checkout keeps the cart (12 ms)\n1 failing', true)
    .assistant(text('Guest carts had no id, so the session dropped them. I fixed it in **src/cart.ts**.'))
}

/** Marks the page, so a later check can tell it was never reloaded. */
const markPage = (page: Page) => page.evaluate(() => ((window as unknown as { __skeinMark: string }).__skeinMark = 'still here'))
const pageMark = (page: Page) => page.evaluate(() => (window as unknown as { __skeinMark?: string }).__skeinMark ?? null)

test('skein handoff from a shell shows the imported thread in the open window; continue in Claude Code, in a terminal, or in a fork', async ({
  page,
  context
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const repo = makeGitRepo('shop-api')
  const { core, claudeDir } = await startHandoffCore()
  const session = checkoutSession(repo)
  session.write(claudeDir)
  const short = session.sessionId.slice(0, 8)

  await prepareTerminalPage(page)
  await page.goto(core.url)
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  await markPage(page)

  let threadId = ''
  await test.step('`skein handoff --last` in the repository imports the session; the window shows it at once, selected', async () => {
    const run = await runCli(core, repo, 'handoff --last')
    expect(run.code, run.stderr).toBe(0)
    threadId = run.stdout.trim()
    expect(threadId).toMatch(/\S/)
    expect(run.stderr).toContain(`claude --resume ${session.sessionId}`)
    await expect(page.getByRole('heading', { level: 1, name: 'Why does checkout fail for guest users?' })).toBeVisible()
    await expect(threadRow(page, 'Why does checkout fail for guest users?')).toHaveAttribute('aria-selected', 'true')
    await expect(repoRow(page, 'shop-api')).toBeVisible()
    expect(await pageMark(page)).toBe('still here')
  })

  await test.step('the transcript: the imported notice, the prompt, the reply and the tool row', async () => {
    await expect(page.getByRole('tab', { name: 'Conversation' })).toHaveAttribute('aria-selected', 'true')
    const notice = rows(page, 'notice').first()
    await expect(notice).toContainText(`Imported from Claude Code session ${session.sessionId}`)
    await expect(rows(page, 'user').first()).toContainText('Why does checkout fail for guest users?')
    await expect(rows(page, 'assistant').first()).toContainText('Let me run the checkout tests first.')
    const tool = rows(page, 'tool').first()
    await expect(tool).toContainText('Ran')
    await expect(tool.locator('.tool-target')).toHaveText('npm test -- checkout')
    await expect(tool.locator('.tool-row')).toHaveClass(/is-error/)
    await expect(tool.locator('.tool-output')).toContainText('guest checkout keeps the cart')
    await expect(rows(page, 'assistant').last().locator('strong')).toHaveText('src/cart.ts')
  })

  await test.step('the imported marker: in the thread header and above the conversation, full id on hover', async () => {
    const meta = page.locator('.thread-header .imported-meta')
    await expect(meta).toContainText(`Imported from Claude Code · ${short}`)
    const row = page.getByRole('treeitem', { name: /^Why does checkout fail for guest users\? \(imported from Claude Code, / })
    await expect(row.locator('.source-mark.source-claude')).toBeVisible()
    await expect(meta.locator('.imported-label')).toHaveAttribute('title', new RegExp(session.sessionId))
    const banner = page.getByRole('note', { name: 'Imported session' })
    await expect(banner).toContainText(`Imported from Claude Code · ${short}`)
    await expect(banner).toContainText("Writing below continues with Skein's built-in agent")
    await expect(page.getByLabel('Message to the agent')).toHaveAttribute('placeholder', /built-in agent: it reads the imported transcript/)
    await screenshotBothThemes(page, 'handoff-imported-thread')
    await banner.getByRole('button', { name: 'Copy session id' }).click()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(session.sessionId)
  })

  await test.step('"Continue in terminal" (thread menu) copies the resume command and shows it', async () => {
    await page.getByRole('button', { name: 'Thread actions' }).click()
    const menu = page.getByRole('menu')
    await expect(menu.getByRole('menuitem', { name: 'Continue in Claude Code' })).toBeVisible()
    await expect(menu.getByRole('menuitem', { name: 'Fork into worktree' })).toBeVisible()
    await screenshotBothThemes(page, 'handoff-thread-menu')
    await menu.getByRole('menuitem', { name: /^Continue in terminal/ }).click()
    const expected = `cd ${repo} && claude --resume ${session.sessionId}`
    await expect(page.locator('.toast').filter({ hasText: 'paste it in a terminal' })).toContainText(expected)
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected)
  })

  await test.step('the Overview tab names the session and the command that resumes it', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click()
    const details = page.locator('.details')
    await expect(details.locator('.detail-row', { hasText: 'Imported from' })).toContainText(`Claude Code${session.sessionId}`)
    await expect(details.locator('.detail-row', { hasText: 'Resume with' })).toContainText(
      `cd ${repo} && claude --resume ${session.sessionId}`
    )
    await page.getByRole('tab', { name: 'Conversation' }).click()
  })

  await test.step('"Continue in Claude Code" resumes the session in its CLI, in the Terminal tab', async () => {
    await page.getByRole('note', { name: 'Imported session' }).getByRole('button', { name: 'Continue in Claude Code' }).click()
    await expect(page.getByRole('tab', { name: 'Terminal' })).toHaveAttribute('aria-selected', 'true')
    await expectTerminalText(page, `stub claude in ${repo} with args: --resume ${session.sessionId}`)
    await screenshotBothThemes(page, 'handoff-continue-in-claude')
  })

  await test.step('"Fork into worktree" makes a worktree thread with a copy of the conversation, and opens it', async () => {
    await page.getByRole('tab', { name: 'Conversation' }).click()
    await page.getByRole('note', { name: 'Imported session' }).getByRole('button', { name: 'Fork into worktree' }).click()
    const forkTitle = 'Why does checkout fail for guest users? (fork)'
    await expect(page.getByRole('heading', { level: 1, name: forkTitle })).toBeVisible()
    await expect(threadRow(page, forkTitle)).toHaveAttribute('aria-selected', 'true')
    await expect(page.locator('.thread-header .mode-pill')).toHaveText('Worktree')
    await expect(rows(page, 'user').first()).toContainText('Why does checkout fail for guest users?')
    await expect(page.locator('.thread-header .imported-meta')).toHaveCount(0)

    // A thread of Skein's own continues in a terminal through `skein attach`.
    const forkId = await threadRow(page, forkTitle).getAttribute('data-thread-id')
    expect(forkId).toBeTruthy()
    expect(forkId).not.toBe(threadId)
    await threadRow(page, forkTitle).click({ button: 'right' })
    await page
      .getByRole('menu', { name: `Actions for ${forkTitle}` })
      .getByRole('menuitem', { name: /^Continue in terminal/ })
      .click()
    await expect(page.locator('.toast').filter({ hasText: `skein attach ${forkId}` })).toBeVisible()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`skein attach ${forkId}`)
  })
  expect(await pageMark(page)).toBe('still here')
  await expect(transcript(page)).toBeVisible()
})

test('Import sessions view: list, filter, preview, import, update, empty state and the core’s errors', async ({ page }) => {
  const repo = makeGitRepo('web-shop')
  const other = makeGitRepo('empty-repo')
  const { core, claudeDir, codexDir } = await startHandoffCore()
  const now = Date.now()
  const older = new ClaudeSessionFile(repo, now - 26 * 3600_000)
    .user('Add a dark mode toggle to the settings page')
    .assistant(text('I will look at the settings page.'), toolUse('toolu_a', 'Read', { file_path: join(repo, 'src/settings.tsx') }))
    .toolResult('toolu_a', 'export function Settings() {}')
    .assistant(text('Added the toggle.'))
  older.write(claudeDir)
  mkdirSync(join(repo, 'packages'))
  const newest = checkoutSession(join(repo, 'packages'))
  newest.write(claudeDir, now - 5 * 60_000)
  const gone = new ClaudeSessionFile(join(repo, 'deleted-folder'), now - 50 * 3600_000)
    .user('Clean up the old scripts')
    .assistant(text('Done.'))
  gone.write(claudeDir)
  new ClaudeSessionFile(other.replace('empty-repo', 'elsewhere'), now - 3600_000).user('Not in this repository').write(claudeDir)
  writeCodexRollout(codexDir, repo, {
    prompt: 'List the TODO comments',
    command: 'git grep -n TODO',
    output: 'src/cart.ts:3: // TODO: tax',
    reply: 'There is one TODO, in src/cart.ts.'
  })

  await page.goto(core.url)
  await addRepository(page, repo)
  await addRepository(page, other)

  const dialog = page.getByRole('dialog', { name: 'Import sessions' })
  const list = dialog.getByRole('listbox', { name: 'Sessions' })
  const options = list.getByRole('option')
  const preview = dialog.getByRole('region', { name: 'Preview' })

  await test.step('the repository menu opens the view, listing the sessions that ran in it (newest first)', async () => {
    await repoRow(page, 'web-shop').click({ button: 'right' })
    await page.getByRole('menu').getByRole('menuitem', { name: 'Import sessions…' }).click()
    await expect(dialog).toBeVisible()
    await expect(options).toHaveCount(4)
    await expect(options.nth(0)).toContainText('Why does checkout fail for guest users?')
    await expect(options.nth(0)).toContainText('Claude Code')
    await expect(options.nth(0)).toContainText('in packages')
    await expect(options.nth(0).locator('time')).toHaveText('5 minutes ago')
    await expect(options.nth(0).locator('time')).toHaveAttribute('title', /^Started .+\nLast active .+/)
    await expect(options.nth(0).locator('.session-size')).toHaveText(/^\d+(\.\d)? KB$/)
    await expect(options.filter({ hasText: 'Codex' })).toContainText('List the TODO comments')
    await expect(list).not.toContainText('Not in this repository')
    await expect(list).toBeFocused()
    await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true')
  })

  await test.step('filter by source', async () => {
    const chips = dialog.getByRole('group', { name: 'Filter by source' })
    await chips.getByRole('button', { name: /^Codex/ }).click()
    await expect(options).toHaveCount(1)
    await expect(options.first()).toContainText('List the TODO comments')
    await expect(preview).toContainText('git grep -n TODO')
    await chips.getByRole('button', { name: /^Claude Code/ }).click()
    await expect(options).toHaveCount(3)
    await expect(list).not.toContainText('List the TODO comments')
    await chips.getByRole('button', { name: /^All/ }).click()
    await expect(options).toHaveCount(4)
  })

  await test.step('arrows move the selection and the preview follows', async () => {
    await list.focus()
    await page.keyboard.press('Home')
    await page.keyboard.press('ArrowDown')
    await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true')
    await expect(options.nth(0)).toHaveAttribute('aria-selected', 'false')
    const second = (await options.nth(1).locator('.session-prompt').innerText()).trim()
    await expect(preview.getByRole('heading', { level: 3 })).toHaveText(second)
    await page.keyboard.press('ArrowUp')
    await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true')
    await expect(preview.getByRole('heading', { level: 3 })).toHaveText('Why does checkout fail for guest users?')
    await expect(preview).toContainText(newest.sessionId)
    await expect(preview.locator('.pv-user').first()).toContainText('Why does checkout fail for guest users?')
    await expect(preview.locator('.pv-tool').first()).toContainText('npm test -- checkout')
    await expect(preview.locator('.pv-assistant').first()).toContainText('Let me run the checkout tests first.')
    await expect(preview.locator('.pv-assistant').last()).toContainText('I fixed it in src/cart.ts.')
    await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeEnabled()
  })

  await test.step('the core’s message when a session cannot be imported', async () => {
    await options.filter({ hasText: 'Clean up the old scripts' }).click()
    await expect(preview.getByRole('heading', { level: 3 })).toHaveText('Clean up the old scripts')
    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(dialog.getByRole('alert')).toContainText(`ran in ${join(repo, 'deleted-folder')}, which does not exist any more`)
    await expect(dialog).toBeVisible()
  })

  await test.step('Enter imports the selected session and opens its thread', async () => {
    await options.nth(0).click()
    await expect(dialog.getByRole('alert')).toHaveCount(0)
    await page.keyboard.press('Enter')
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('heading', { level: 1, name: 'Why does checkout fail for guest users?' })).toBeVisible()
    await expect(page.locator('.toast').filter({ hasText: 'Imported “Why does checkout fail for guest users?”' })).toContainText(
      `Claude Code session ${newest.sessionId.slice(0, 8)}`
    )
    await expect(rows(page, 'tool').first()).toContainText('npm test -- checkout')
    await expect(page.locator('.thread-header .imported-meta')).toContainText('Imported from Claude Code')
  })

  await test.step('opened again, the session shows as imported, and its button says Update', async () => {
    await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: 'Import sessions…' }).click()
    await expect(dialog).toBeVisible()
    await expect(dialog.getByRole('combobox', { name: 'Repository' })).toHaveValue(/.+/)
    const imported = options.filter({ hasText: 'Why does checkout fail for guest users?' })
    await expect(imported.locator('.imported-badge')).toHaveText('Imported')
    await expect(options.filter({ hasText: 'Imported' })).toHaveCount(1)
    await expect(imported).toHaveAttribute('aria-selected', 'true')
    await expect(dialog.getByRole('button', { name: 'Update', exact: true })).toBeVisible()
    await expect(preview).toContainText('Imported as Why does checkout fail for guest users?')
    await screenshotBothThemes(page, 'handoff-import-view')
    // The session went on in Claude Code meanwhile: Update brings what it gained.
    newest.user('And for logged-in users?').assistant(text('Logged-in carts keep their id: nothing to change there.'))
    newest.write(claudeDir, Date.now() - 60_000)
    await dialog.getByRole('button', { name: 'Update', exact: true }).click()
    await expect(dialog).toBeHidden()
    await expect(page.locator('.toast').filter({ hasText: 'Updated “Why does checkout fail for guest users?”' })).toContainText(
      '2 new or changed of'
    )
    await expect(page.locator('.thread-row')).toHaveCount(1)
    // The open conversation takes them in at its end, without being opened again.
    await expect(rows(page, 'assistant').last()).toContainText('Logged-in carts keep their id')
    await expect(rows(page, 'user').last()).toContainText('And for logged-in users?')
  })

  await test.step('a repository without sessions says where Skein looks; Esc closes the view', async () => {
    await page
      .getByRole('navigation', { name: 'Sidebar' })
      .getByRole('button', { name: /^Dashboard/ })
      .click()
    await page.getByRole('main').getByRole('button', { name: 'Import sessions…' }).click()
    await expect(dialog).toBeVisible()
    await dialog.getByRole('combobox', { name: 'Repository' }).selectOption({ label: 'empty-repo' })
    await expect(list).toContainText('No Claude Code or Codex sessions ran in this repository')
    await expect(list).toContainText('~/.claude/projects')
    await expect(list).toContainText('~/.codex/sessions')
    await expect(options).toHaveCount(0)
    await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled()
    await screenshotBothThemes(page, 'handoff-import-empty')
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  })

  await test.step('the Imported badge opens the thread the session was imported into', async () => {
    await page.getByRole('main').getByRole('button', { name: 'Import sessions…' }).click()
    await dialog.getByRole('combobox', { name: 'Repository' }).selectOption({ label: 'web-shop' })
    await options
      .filter({ hasText: 'Why does checkout fail' })
      .getByRole('button', { name: /^Imported/ })
      .click()
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('heading', { level: 1, name: 'Why does checkout fail for guest users?' })).toBeVisible()
  })
})

test('a real Claude Code 2.1 session (progress records, parallel tool calls) imports whole: report, transcript and cost', async ({
  page
}) => {
  const repo = makeGitRepo('spotter')
  const { core, claudeDir } = await startHandoffCore()
  // A session recorded by Claude Code 2.1.38 (test/fixtures/sessions/SOURCES.md). Only its folder is
  // changed, to this test's repository, so it can be imported here.
  const recorded = readFileSync(resolve(__dirname, '../test/fixtures/sessions/claude/subagent.jsonl'), 'utf8').replaceAll(
    '/home/marco/projects/spotter',
    repo
  )
  const sessionId = '491e126e-1e71-469c-ade2-fcc8af567c74'
  mkdirSync(join(claudeDir, 'projects', '-spotter'), { recursive: true })
  writeFileSync(join(claudeDir, 'projects', '-spotter', `${sessionId}.jsonl`), recorded)

  await page.goto(core.url)
  await addRepository(page, repo)
  const dialog = page.getByRole('dialog', { name: 'Import sessions' })
  const preview = dialog.getByRole('region', { name: 'Preview' })

  await test.step('the preview says what the import will bring in', async () => {
    await repoRow(page, 'spotter').click({ button: 'right' })
    await page.getByRole('menu').getByRole('menuitem', { name: 'Import sessions…' }).click()
    await expect(dialog.getByRole('listbox', { name: 'Sessions' }).getByRole('option')).toHaveCount(1)
    await expect(preview.locator('.import-report-line')).toHaveText('2 prompts, 7 replies, 16 tool calls, 1 interruption')
    await expect(preview.getByRole('alert', { name: 'Import warnings' })).toHaveCount(0)
  })

  await test.step('Import: every prompt, reply and tool call is in the transcript, with the cost in the header', async () => {
    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(dialog).toBeHidden()
    await expect(page.locator('.toast').filter({ hasText: 'Imported' })).toContainText('2 prompts, 7 replies, 16 tool calls')
    await expect(page.getByRole('note', { name: 'Imported session' })).toContainText('2 prompts, 7 replies, 16 tool calls, 1 interruption')
    await expect(page.locator('.conversation-header .usage-cost')).toHaveText('$0.4227')
    await expect(rows(page, 'user').last()).toContainText('create the beads')
    await screenshotBothThemes(page, 'imported-real-session')
    // The transcript opens at its end; at the top is the first prompt, a plugin's slash command.
    await page.locator('.transcript-scroller').evaluate((el) => (el.scrollTop = 0))
    await expect(rows(page, 'user').first()).toContainText('/handgemacht:create-beads websearch')
    await expect(rows(page, 'tool').first()).toContainText('WebFetch')
  })
})
