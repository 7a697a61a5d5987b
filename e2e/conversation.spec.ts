import { expect, test } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startModelServer, type ModelServer, type ScriptedStep } from '../test/helpers/model-server'
import { threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import {
  approvalCard,
  composer,
  lastText,
  openConversationTab,
  resultText,
  rows,
  sendMessage,
  toolResults,
  transcript
} from './support/conversation-page'
import { makeGitRepo } from './support/git-repo'
import { addRepository, createThread, screenshotBothThemes, threadRow } from './support/skein-page'
import { prepareTerminalPage, shownNotifications } from './support/terminal-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  cores = []
  servers = []
})

async function launch(respond: (body: any, index: number) => ScriptedStep, o: { apiKey?: string; envKey?: string } = {}) {
  const server = await startModelServer({ respond, apiKey: o.apiKey ?? 'test-key' })
  servers.push(server)
  const core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: o.envKey ?? 'test-key' } })
  cores.push(core)
  return { server, core }
}

/** The worktree of a thread, asked of the core the way the CLI would. */
const worktreeOf = async (core: CoreProcess, title: string): Promise<string> => (await threadNamed(core, title)).worktreePath

const STREAMED = 'I will add a friendly greeting to the README, then list the files to check the result.'

/** The model for the main scenario, decided from what the core sends. */
function mainScript(body: any): ScriptedStep {
  const results = toolResults(body)
  const by = (id: string) => results.find((r) => r.tool_use_id === id)
  if (by('toolu_edit'))
    return { text: 'Edited. Now listing the files.', toolUses: [{ id: 'toolu_ls', name: 'bash', input: { command: 'ls' } }] }
  if (by('toolu_ls')) {
    return {
      text: 'All done: **README.md** now greets you.\n\n- edited `README.md`\n- listed the files',
      usage: { input_tokens: 12_000, output_tokens: 800, cache_read_input_tokens: 3000, cache_creation_input_tokens: 1000 }
    }
  }
  if (by('toolu_write')) return { text: `Plan mode kept me from writing: ${resultText(by('toolu_write')!).slice(0, 60)}` }
  const text = lastText(body)
  if (text.includes('greeting')) {
    return {
      text: STREAMED,
      chunkSize: 4,
      delayMs: 60,
      toolUses: [
        {
          id: 'toolu_edit',
          name: 'edit_file',
          input: { path: 'README.md', old_string: '# demo-app\n', new_string: '# demo-app\n\nHello from the agent!\n' }
        }
      ]
    }
  }
  if (text.includes('notes file'))
    return {
      text: 'Writing the notes.',
      toolUses: [{ id: 'toolu_write', name: 'write_file', input: { path: 'notes.txt', content: 'notes\n' } }]
    }
  return { text: 'Investigation finished: nothing unusual found.' }
}

test('built-in agent: streaming, approvals with diffs, commands, usage, plan mode and fan-out', async ({ page }) => {
  const repo = makeGitRepo('demo-app')
  const { core, server } = await launch(mainScript)
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'demo-app', title: 'Greet people' })
  const worktree = await worktreeOf(core, 'Greet people')

  await test.step('a thread without a CLI agent opens on the Conversation tab', async () => {
    await expect(page.getByRole('tab', { name: 'Conversation' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByText('Talk to the built-in agent')).toBeVisible()
    await expect(page.getByRole('radio', { name: 'Ask' })).toHaveAttribute('aria-checked', 'true')
  })

  await test.step('the reply streams in: partial text with a caret, then the whole text', async () => {
    await page.getByRole('button', { name: 'Attach files…' }).click()
    await page.getByLabel('File to attach (worktree-relative path)').fill('./README.md')
    await page.keyboard.press('Enter')
    await expect(page.getByRole('list', { name: 'Attached files' }).getByRole('listitem')).toHaveText(['README.md'])
    await page.keyboard.press('Escape')
    await sendMessage(page, 'Please add a greeting to the README')
    await expect(page.getByRole('list', { name: 'Attached files' })).toBeHidden()
    await expect(rows(page, 'user').first()).toContainText('Please add a greeting to the README')
    await expect.poll(() => server.requests.length).toBeGreaterThan(0)
    expect(lastText(server.requests[0].body)).toContain('<file path="README.md">')
    const assistant = rows(page, 'assistant').first()
    await expect(assistant).toContainText('I will add')
    const partial = await assistant.innerText()
    expect(partial.length).toBeLessThan(STREAMED.length)
    await expect(assistant.locator('.stream-caret')).toBeVisible()
    await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible()
    await composer(page).fill('Also keep it short')
    await page.getByRole('button', { name: 'Steer' }).click()
    await expect(page.getByRole('list', { name: 'Queued for the agent' })).toContainText('Also keep it short')
    await expect(assistant).toContainText(STREAMED)
  })

  await test.step('edit_file asks for approval with a diff; the thread needs attention', async () => {
    const card = approvalCard(page)
    await expect(card).toBeVisible()
    await expect(card.locator('.diff-add').filter({ hasText: 'Hello from the agent!' })).toHaveText('+Hello from the agent!')
    await expect(card.getByText('README.md').first()).toBeVisible()
    await expect(threadRow(page, 'Greet people')).toHaveAttribute('aria-label', /Needs attention/)
    await expect(page.locator('.thread-header .badge')).toHaveText('Needs attention')
    await screenshotBothThemes(page, 'conversation-approval')
    expect(readFileSync(join(worktree, 'README.md'), 'utf8')).not.toContain('Hello from the agent')
    await card.getByRole('button', { name: 'Approve', exact: true }).click()
    await expect.poll(() => readFileSync(join(worktree, 'README.md'), 'utf8')).toContain('Hello from the agent!')
    // The steer reaches the agent at its next step and joins the transcript.
    await expect(rows(page, 'user').filter({ hasText: 'Also keep it short' })).toBeVisible()
    await expect(page.getByRole('list', { name: 'Queued for the agent' })).toBeHidden()
    await expect.poll(() => server.requests.some((r) => JSON.stringify(r.body.messages).includes('Also keep it short'))).toBe(true)
    await expect(transcript(page).locator('.approval-done').first()).toContainText('Approved once')
    await expect(rows(page, 'tool').first()).toContainText('Edited')
  })

  await test.step('bash asks too (ask mode); Enter approves; its output shows', async () => {
    const card = approvalCard(page)
    await expect(card).toBeVisible()
    await expect(card.getByLabel('Command')).toContainText('ls')
    await expect(card.getByRole('button', { name: 'Approve', exact: true })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(card).toBeHidden()
    const ls = rows(page, 'tool').filter({ hasText: 'Ran' })
    await expect(ls).toContainText('ls')
    await expect(ls.locator('.tool-output')).toContainText('README.md')
  })

  await test.step('the turn ends with text, usage and cost', async () => {
    const last = rows(page, 'assistant').last()
    await expect(last).toContainText('All done: README.md now greets you.')
    await expect(last.locator('strong')).toHaveText('README.md')
    await expect(last.locator('li')).toHaveCount(2)
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Stop' })).toBeHidden()
    const usage = page.getByRole('group', { name: /^Usage:/ })
    await expect(usage).toContainText(/in\s+\d/)
    await expect(usage.locator('.usage-cost')).toHaveText(/^\$\d+\.\d{4}$/)
    await expect(usage.locator('.usage-cost')).not.toHaveText('$0.0000')
    await last.hover()
    await expect(last.locator('.msg-usage')).toContainText('12k in')
    await expect(threadRow(page, 'Greet people')).toHaveAttribute('aria-label', /Finished/)
    // Overview tells the same story as the Conversation tab.
    await page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: 'Overview' }).click()
    await expect(page.getByTestId('overview-builtin-agent')).toHaveText(/^Built-in agent \(.+\), \d+ turns? · \$\d+\.\d\d$/)
    await expect(page.locator('.overview')).not.toContainText('No session yet')
    await openConversationTab(page)
  })

  await test.step('in Plan mode a write is refused and nothing is created', async () => {
    await page.getByRole('radio', { name: 'Plan' }).click()
    await expect(page.getByRole('radio', { name: 'Plan' })).toHaveAttribute('aria-checked', 'true')
    await sendMessage(page, 'Create a notes file')
    const write = rows(page, 'tool').filter({ has: page.locator('[data-tool="write_file"]') })
    await expect(write.locator('.tool-row')).toHaveClass(/is-error/)
    await expect(write.locator('.tool-output')).toContainText(/plan/i)
    await expect(rows(page, 'assistant').last()).toContainText('Plan mode kept me from writing')
    expect(existsSync(join(worktree, 'notes.txt'))).toBe(false)
    await screenshotBothThemes(page, 'conversation-tools')
  })

  await test.step('fan out three investigations from one prompt', async () => {
    await page.keyboard.press('ControlOrMeta+0')
    await page.getByRole('main').getByRole('button', { name: 'Investigate…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Investigate' })
    await expect(dialog).toBeVisible()
    // The example rows are placeholders, not values: each is filled in here.
    await expect(dialog.getByLabel('Investigation 1 title')).toHaveValue('')
    await expect(dialog.getByLabel('Investigation 1 title')).toHaveAttribute('placeholder', 'e.g. CI logs')
    await dialog.getByLabel('Prompt').fill('Checkout is slow since yesterday. Find out why.')
    for (const [i, title, focus] of [
      [1, 'CI logs', 'Check the CI logs'],
      [2, 'Cloud service', 'Check the cloud service'],
      [3, 'Recent commits', 'Read the recent commits']
    ] as const) {
      await dialog.getByLabel(`Investigation ${i} title`).fill(title)
      await dialog.getByLabel(`Investigation ${i} focus`).fill(focus)
    }
    await dialog.getByRole('button', { name: 'Add investigation' }).click()
    await expect(dialog.getByLabel('Investigation 4 title')).toBeFocused()
    await dialog.getByRole('button', { name: 'Remove investigation 4' }).click()
    await expect(dialog.getByRole('radio', { name: /^Local/ })).toBeChecked()
    await expect(dialog.getByRole('radio', { name: 'Plan' })).toHaveAttribute('aria-checked', 'true')
    await screenshotBothThemes(page, 'fanout-dialog')
    await dialog.getByRole('button', { name: 'Start 3 investigations' }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
    await expect(page.getByRole('group', { name: 'Filter by repository' }).getByRole('button', { name: /demo-app/ })).toHaveAttribute(
      'aria-pressed',
      'true'
    )
    const cards = page.getByRole('list', { name: 'Threads' })
    for (const title of ['CI logs', 'Cloud service', 'Recent commits'])
      await expect(cards.getByRole('listitem', { name: new RegExp(title) })).toBeVisible()
  })
})

test('a pending approval survives a reload, notifies when off screen, and can be denied with a message; Stop interrupts', async ({
  page
}) => {
  const repo = makeGitRepo('demo-app')
  const denied: string[] = []
  const { core } = await launch((body) => {
    const result = toolResults(body).find((r) => r.tool_use_id === 'toolu_test')
    if (result) {
      denied.push(resultText(result))
      return { text: 'Understood, I will not run the tests.' }
    }
    if (lastText(body).includes('story')) return { text: 'Once upon a time '.repeat(40), slow: true }
    // Slow enough that the person is on the dashboard when the approval arrives.
    return {
      text: 'Let me run the tests.',
      chunkSize: 2,
      delayMs: 150,
      toolUses: [{ id: 'toolu_test', name: 'bash', input: { command: 'npm test' } }]
    }
  })
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  // A plain shell beside the agent: at its prompt it is Idle, never "Waiting for input" or urgent.
  await createThread(page, { via: 'sidebar-button', repo: 'demo-app', title: 'Plain shell', profile: 'Shell' })
  await expect(threadRow(page, 'Plain shell')).toHaveAttribute('aria-label', /\(Idle\)/)
  await createThread(page, { via: 'sidebar-button', repo: 'demo-app', title: 'Run tests' })

  await test.step('an approval requested while the dashboard shows raises an OS notification', async () => {
    await sendMessage(page, 'Run the test suite')
    await page.keyboard.press('ControlOrMeta+0')
    await expect
      .poll(async () => (await shownNotifications(page)).map((n) => n.body))
      .toContainEqual(expect.stringMatching(/^Needs approval: /))
    await expect(
      page
        .getByRole('list', { name: 'Threads' })
        .getByRole('listitem', { name: /Run tests/ })
        .locator('.badge')
    ).toHaveText('Needs attention')
  })

  await test.step('the dashboard counts only the approval as needing attention; the shell is Idle', async () => {
    const chips = page.getByRole('group', { name: 'Filter by status' })
    const chip = (label: string) => chips.getByRole('button', { name: new RegExp(`^${label} \\d+$`) })
    await expect(chip('Needs attention')).toHaveText(/Needs attention\s*1/)
    await expect(chip('Needs attention')).toHaveClass(/is-urgent/)
    await expect(chip('Waiting for input')).toHaveText(/0$/)
    await expect(chip('Idle')).toHaveText(/1$/)
    await expect(chip('Finished')).toHaveText(/0$/)
    await expect(chip('Exited')).toHaveText(/0$/)
    await expect(chip('CI failed')).toHaveText(/0$/)
    const cards = page.getByRole('list', { name: 'Threads' })
    await expect(cards.getByRole('listitem', { name: /Plain shell/ }).locator('.badge')).toHaveText('Idle')
    await expect(threadRow(page, 'Plain shell')).not.toHaveAttribute('data-unread', 'true')
    await screenshotBothThemes(page, 'dashboard-states')
    await chip('Needs attention').click()
    await expect(cards.getByRole('listitem')).toHaveCount(1)
    await chip('Needs attention').click()
    await expect(cards.getByRole('listitem')).toHaveCount(2)
    await threadRow(page, 'Run tests').click()
    await expect(approvalCard(page)).toBeVisible()
  })

  await test.step('the pending card comes back after a reload', async () => {
    await page.reload()
    await openConversationTab(page)
    await expect(approvalCard(page)).toBeVisible()
    await expect(approvalCard(page).getByLabel('Command')).toContainText('npm test')
  })

  await test.step('Escape goes to Deny; the message reaches the agent', async () => {
    await approvalCard(page).getByRole('button', { name: 'Approve', exact: true }).focus()
    await page.keyboard.press('Escape')
    const message = approvalCard(page).getByLabel(/Tell the agent why/)
    await expect(message).toBeFocused()
    await message.fill('Not now, the database is down')
    await page.keyboard.press('Enter')
    await expect(transcript(page).locator('.approval-done')).toContainText('Denied')
    await expect(rows(page, 'assistant').last()).toContainText('Understood, I will not run the tests.')
    expect(denied.join('\n')).toContain('Not now, the database is down')
  })

  await test.step('Stop interrupts a streaming reply', async () => {
    await sendMessage(page, 'Tell me a long story')
    await expect(rows(page, 'assistant').last()).toContainText('Once upon a time')
    await page.getByRole('button', { name: 'Stop' }).hover()
    await composer(page).press('Escape')
    await expect(page.getByText('Press Escape again to stop the agent')).toBeVisible()
    await composer(page).press('Escape')
    await expect(rows(page, 'notice').filter({ hasText: /Interrupted/ })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible()
  })
})

test('without an API key the composer points to Settings; a rejected key reads well and Retry works', async ({ page }) => {
  const repo = makeGitRepo('demo-app')
  const { core } = await launch(() => ({ text: 'Hello! The key works.' }), { envKey: '', apiKey: 'good-key' })
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'demo-app', title: 'Keyless' })

  await test.step('a clear message instead of the composer', async () => {
    await expect(page.getByText('Add your Anthropic API key to use the built-in agent')).toBeVisible()
    await expect(composer(page)).toBeHidden()
    await page.getByRole('button', { name: 'Open Settings' }).click()
  })

  await test.step('Settings: where the key comes from, the storage warning, the endpoint', async () => {
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await expect(dialog).toBeVisible()
    await expect(dialog.getByText('No API key yet')).toBeVisible()
    await expect(dialog.getByRole('note')).toContainText('in memory')
    await expect(dialog.getByLabel('API endpoint')).toHaveValue(/127\.0\.0\.1/)
    await expect(dialog.getByLabel('Anthropic API key')).toHaveAttribute('type', 'password')
    await dialog.getByLabel('Anthropic API key').fill('wrong-key')
    await screenshotBothThemes(page, 'settings-dialog')
    await dialog.getByRole('button', { name: 'Save key' }).click()
    await expect(dialog).toBeHidden()
  })

  await test.step('a rejected key shows as an error item; a good key and Retry finish the turn', async () => {
    await sendMessage(page, 'Say hello')
    const error = rows(page, 'error').last()
    await expect(error).toContainText(/rejected/i)
    await screenshotBothThemes(page, 'conversation-error')
    await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: 'Settings' }).click()
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await expect(dialog.getByText('Kept in memory for this session only')).toBeVisible()
    await expect(dialog.getByLabel('Anthropic API key')).toHaveValue('')
    await dialog.getByLabel('Anthropic API key').fill('good-key')
    await dialog.getByRole('button', { name: 'Save key' }).click()
    await expect(dialog).toBeHidden()
    await error.getByRole('button', { name: 'Retry' }).click()
    await expect(rows(page, 'assistant').last()).toContainText('Hello! The key works.')
  })
})
