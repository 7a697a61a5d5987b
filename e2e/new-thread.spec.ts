import { expect, test } from '@playwright/test'
import { startModelServer, type ModelServer } from '../test/helpers/model-server'
import { connectClient, threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { lastText, rows, toolResults } from './support/conversation-page'
import { makeGitRepo } from './support/git-repo'
import { addRepository, openNewThreadDialog, screenshotBothThemes, threadRow } from './support/skein-page'
import { expectPrompt, expectTerminalText, prepareTerminalPage, shellEnv, terminalTabs, terminalText } from './support/terminal-page'

let core: CoreProcess | null = null
let server: ModelServer | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  await server?.close()
  core = null
  server = null
})

const PROMPT_FIRST_LINE = 'Fix the flaky login test. It times out on CI about once a day.'
const PROMPT_SECOND_LINE = 'Run the tests first.'
const threadTabs = (page: import('@playwright/test').Page) => page.getByRole('tablist', { name: 'Thread views' })

test('New thread is prompt first: the built-in agent by default, a derived title, a shell, a CLI agent', async ({ page }) => {
  const repo = makeGitRepo('shop-app', ['release/1.0'])
  server = await startModelServer({
    apiKey: 'test-key',
    respond: (body) =>
      lastText(body).startsWith('Just answer')
        ? { text: 'It is 42.' }
        : toolResults(body).length > 0
          ? { text: 'Done: the answer is 42.' }
          : { text: 'Let me run something first.', toolUses: [{ name: 'bash', input: { command: 'echo hello-$((6*7))' } }] }
  })
  core = await startCore({ env: { ...shellEnv(), ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key' } })
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)

  await test.step('Ctrl/Cmd+N opens the dialog on the prompt; the title follows the prompt; Shift+Enter is a new line', async () => {
    const dialog = await openNewThreadDialog(page, 'shortcut')
    const prompt = dialog.getByRole('textbox', { name: 'Prompt' })
    const title = dialog.getByLabel('Title', { exact: true })
    await expect(dialog.getByLabel('Agent', { exact: true })).toHaveValue('builtin')
    await expect(dialog.getByLabel('Permissions', { exact: true })).toHaveValue('ask')
    await expect(dialog.getByLabel('Where', { exact: true })).toHaveValue('worktree')
    await expect(dialog.getByLabel('Base ref', { exact: true })).toHaveValue('main')
    await expect(dialog.getByLabel('Repository', { exact: true })).toHaveValue(/.+/)
    await screenshotBothThemes(page, 'new-thread-empty')
    // Nothing to go on yet: Enter says what is missing, and nothing is created.
    await prompt.press('Enter')
    await expect(dialog.getByRole('alert')).toContainText('Type what the agent should do')
    await page.keyboard.type(PROMPT_FIRST_LINE)
    await expect(title).toHaveValue('Fix the flaky login test')
    await expect(dialog.getByText('from the prompt')).toBeVisible()
    await prompt.press('Shift+Enter')
    await page.keyboard.type(PROMPT_SECOND_LINE)
    await expect(prompt).toHaveValue(`${PROMPT_FIRST_LINE}\n${PROMPT_SECOND_LINE}`)
    await expect(title).toHaveValue('Fix the flaky login test')
    await dialog.getByLabel('Permissions', { exact: true }).selectOption('auto')
    await expect(dialog.getByText(/^Works in a new worktree: .*Auto: /)).toBeVisible()
    await screenshotBothThemes(page, 'new-thread-prompt')
  })

  await test.step('Enter creates the thread: it opens on its Conversation, with the prompt as the first message', async () => {
    await page.getByRole('dialog', { name: 'New thread' }).getByRole('textbox', { name: 'Prompt' }).press('Enter')
    await expect(page.getByRole('dialog', { name: 'New thread' })).toBeHidden()
    await expect(page.getByRole('heading', { level: 1, name: 'Fix the flaky login test' })).toBeVisible()
    await expect(threadTabs(page).getByRole('tab').first()).toHaveText('Conversation')
    await expect(threadTabs(page).getByRole('tab', { name: 'Conversation' })).toHaveAttribute('aria-selected', 'true')
    await expect(rows(page, 'user').first()).toContainText(PROMPT_FIRST_LINE)
    await expect(rows(page, 'user').first()).toContainText(PROMPT_SECOND_LINE)
    await expect(rows(page, 'assistant').last()).toContainText('Done: the answer is 42.')
    // The model got the prompt, whole, as the thread's first user message.
    expect(lastText(server!.requests[0]!.body)).toContain(`${PROMPT_FIRST_LINE}\n${PROMPT_SECOND_LINE}`)
    expect(server!.requests[0]!.body.messages).toHaveLength(1)
    await expect(page.getByRole('radio', { name: 'Auto' })).toHaveAttribute('aria-checked', 'true')
    const thread = await threadNamed(core!, 'Fix the flaky login test')
    expect(thread).toMatchObject({ mode: 'worktree', baseRef: 'main', agent: null, conversation: { permissionMode: 'auto' } })
  })

  await test.step('Overview, the sidebar and the terminal tell the same story: the built-in agent, and its own shell', async () => {
    await expect(threadRow(page, 'Fix the flaky login test')).toHaveAttribute('aria-label', /Finished/)
    await threadTabs(page).getByRole('tab', { name: 'Overview' }).click()
    await expect(page.getByTestId('overview-builtin-agent')).toHaveText(/^Built-in agent \(.+\), 1 turn/)
    await expect(page.locator('.overview')).not.toContainText('No session yet')
    await threadTabs(page).getByRole('tab', { name: 'Terminal' }).click()
    await expect(terminalTabs(page).getByRole('tab', { name: /^Agent shell/ })).toHaveAttribute('aria-selected', 'true')
    // One agent per thread: the built-in agent's thread offers no second agent, only plain terminals.
    await expect(terminalTabs(page).getByRole('tab', { name: 'Start agent' })).toHaveCount(0)
    await expectTerminalText(page, 'hello-42')
    await expectTerminalText(page, '$ echo hello-$((6*7))')
    const shown = await terminalText(page)
    expect(shown).not.toMatch(/SKEIN|skein-agent|\\137/)
    await screenshotBothThemes(page, 'new-thread-agent-shell')
  })

  await test.step('before the built-in agent runs a command its Terminal tab says so; extra shells are "Terminal N"', async () => {
    const dialog = await openNewThreadDialog(page, 'shortcut')
    await dialog.getByRole('textbox', { name: 'Prompt' }).fill('Just answer: what is six times seven?')
    await dialog.getByRole('textbox', { name: 'Prompt' }).press('Enter')
    await expect(page.getByRole('heading', { level: 1, name: 'Just answer: what is six times seven?' })).toBeVisible()
    await expect(rows(page, 'assistant').last()).toContainText('It is 42.')
    await threadTabs(page).getByRole('tab', { name: 'Terminal' }).click()
    await expect(page.getByRole('heading', { name: 'No terminal yet' })).toBeVisible()
    await expect(terminalTabs(page).getByRole('tab')).toHaveCount(0)
    await screenshotBothThemes(page, 'new-thread-no-terminal-yet')
    await page.getByRole('button', { name: 'New terminal' }).click()
    await expect(terminalTabs(page).getByRole('tab', { name: 'Terminal 1' })).toHaveAttribute('aria-selected', 'true')
    await expectPrompt(page)
  })

  await test.step('a title typed by hand stays when the prompt changes, until "Use the prompt\'s"', async () => {
    // From the sidebar: the terminal has focus, and app shortcuts from a terminal are another change.
    const dialog = await openNewThreadDialog(page, 'sidebar-button')
    await dialog.getByLabel('Title', { exact: true }).fill('My own title')
    await dialog.getByRole('textbox', { name: 'Prompt' }).fill('Add rate limiting to the API')
    await expect(dialog.getByLabel('Title', { exact: true })).toHaveValue('My own title')
    await dialog.getByRole('button', { name: "Use the prompt's" }).click()
    await expect(dialog.getByLabel('Title', { exact: true })).toHaveValue('Add rate limiting to the API')
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
  })

  await test.step('"Just a shell": no prompt needed, nothing typed into it; it opens on its terminal and is Idle', async () => {
    const dialog = await openNewThreadDialog(page, 'shortcut')
    await dialog.getByLabel('Agent', { exact: true }).selectOption({ label: 'Just a shell' })
    await expect(dialog.getByLabel('Permissions', { exact: true })).toHaveCount(0)
    const prompt = dialog.getByRole('textbox', { name: 'Prompt' })
    await expect(prompt).toHaveAttribute('placeholder', /nothing is typed into the shell/)
    await expect(prompt).not.toHaveAttribute('placeholder', /do first/)
    await prompt.fill('watch the dev server')
    await expect(dialog.getByLabel('Title', { exact: true })).toHaveValue('watch the dev server')
    await prompt.press('Enter')
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('heading', { level: 1, name: 'watch the dev server' })).toBeVisible()
    await expect(threadTabs(page).getByRole('tab').first()).toHaveText('Terminal')
    await expect(threadTabs(page).getByRole('tab', { name: 'Terminal' })).toHaveAttribute('aria-selected', 'true')
    await expect(terminalTabs(page).getByRole('tab', { name: 'Shell' })).toBeVisible()
    await expectPrompt(page)
    expect(await terminalText(page)).not.toContain('watch the dev server')
    await expect(threadRow(page, 'watch the dev server')).toHaveAttribute('aria-label', /\(Idle\)/)
  })

  await test.step('a CLI agent that takes prompts starts in the terminal with the prompt; its terminal is the main tab', async () => {
    // Claude Code and Codex are not installed here; a custom command marked as taking prompts goes the same way.
    const client = await connectClient(core!)
    const { repos } = await client.request('repo/list', {})
    await client.request('profile/configure', {
      repoId: repos[0]!.id,
      customCommand: `sh -c 'printf "agent got: %s\\n" "$0"; exec sleep 600'`,
      customAcceptsPrompt: true
    })
    client.dispose()
    const dialog = await openNewThreadDialog(page, 'shortcut')
    await dialog.getByLabel('Agent', { exact: true }).selectOption({ label: 'Custom' })
    await expect(dialog.locator('.nt-note', { hasText: /starts in the Terminal tab with the prompt/ })).toBeVisible()
    await expect(dialog.getByRole('textbox', { name: 'Prompt' })).toHaveAttribute('placeholder', 'What should Custom do?')
    await dialog.getByRole('textbox', { name: 'Prompt' }).fill('Summarise the README')
    await dialog.getByRole('textbox', { name: 'Prompt' }).press('Enter')
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('heading', { level: 1, name: 'Summarise the README' })).toBeVisible()
    await expect(threadTabs(page).getByRole('tab').first()).toHaveText('Terminal')
    await expect(threadTabs(page).getByRole('tab', { name: 'Conversation' })).toHaveCount(0)
    await expectTerminalText(page, 'agent got: Summarise the README')
    await threadTabs(page).getByRole('tab', { name: 'Overview' }).click()
    await expect(page.locator('.overview')).toContainText('Custom')
    await expect(page.getByTestId('overview-builtin-agent')).toHaveCount(0)
  })
})
