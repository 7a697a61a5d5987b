import { expect, test, type Page } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startModelServer, type ModelServer, type ScriptedStep } from '../test/helpers/model-server'
import type { Thread } from '../src/shared/models'
import { connectClient } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { composer, lastText, rows, sendMessage, toolResults, transcript } from './support/conversation-page'
import { makeGitRepo } from './support/git-repo'
import { addRepository, createThread, screenshotBothThemes, threadRow } from './support/skein-page'
import { expectPrompt, focusTerminal, prepareTerminalPage, runCommand, shellEnv } from './support/terminal-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  cores = []
  servers = []
})

/** The three turns: each asks for one file, which the agent writes (auto mode: no approval). */
const TURNS = [
  { prompt: 'Turn one: create one.txt', file: 'one.txt' },
  { prompt: 'Turn two: create two.txt', file: 'two.txt' },
  { prompt: 'Turn three: create three.txt', file: 'three.txt' }
]

/** The model: writes the file a turn asks for, then says so; anything else (the forks' prompts) gets a plain reply. */
function script(body: any): ScriptedStep {
  const done = toolResults(body).find((r) => r.tool_use_id.startsWith('toolu_write_'))
  if (done) return { text: `Wrote ${done.tool_use_id.slice('toolu_write_'.length)}.txt.` }
  const text = lastText(body)
  const turn = TURNS.find((t) => text.includes(t.prompt))
  if (turn) {
    const name = turn.file.replace('.txt', '')
    return {
      text: `Creating ${turn.file}.`,
      toolUses: [{ id: `toolu_write_${name}`, name: 'write_file', input: { path: turn.file, content: `${name}\n` } }]
    }
  }
  return { text: 'Trying that approach now.' }
}

/** The threads the core lists, fresh. */
async function listThreads(core: CoreProcess): Promise<Thread[]> {
  const client = await connectClient(core)
  try {
    return (await client.request('thread/list', {})).threads
  } finally {
    client.dispose()
  }
}

const tab = (page: Page, name: string) => page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name })

test('checkpoints: the timeline, rewind from the transcript with a preview and Undo, fork one turn into two approaches', async ({
  page
}) => {
  const repo = makeGitRepo('rewind-app')
  const server = await startModelServer({ respond: script, apiKey: 'test-key' })
  servers.push(server)
  const core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key' } })
  cores.push(core)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'rewind-app', title: 'Three files' })
  const parent = (await listThreads(core)).find((t) => t.title === 'Three files')!
  const worktree = parent.worktreePath
  const onDisk = (file: string) => existsSync(join(worktree, file))

  await test.step('three turns in auto mode, each writing a file', async () => {
    await page.getByRole('radio', { name: 'Auto' }).click()
    await expect(page.getByRole('radio', { name: 'Auto' })).toHaveAttribute('aria-checked', 'true')
    for (const turn of TURNS) {
      await sendMessage(page, turn.prompt)
      await expect(rows(page, 'assistant').filter({ hasText: `Wrote ${turn.file}.` })).toBeVisible()
      await expect(page.getByRole('button', { name: 'Stop' })).toBeHidden()
      expect(onDisk(turn.file)).toBe(true)
    }
  })

  await test.step('the Timeline lists a checkpoint before each turn; Checkpoint now (and its shortcut) adds one', async () => {
    await tab(page, 'Timeline').click()
    const list = page.getByRole('list', { name: 'Checkpoints of Three files' })
    await expect(list.getByRole('listitem')).toHaveCount(3)
    await expect(list.getByRole('listitem').last()).toContainText('Before a turn')
    await page.getByRole('button', { name: /Checkpoint now/ }).click()
    await expect(list.getByRole('listitem')).toHaveCount(4)
    await expect(list.getByRole('listitem').first()).toContainText('Taken by you')
    await page.keyboard.press('ControlOrMeta+Shift+K')
    await expect(list.getByRole('listitem')).toHaveCount(5)
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: /Checkpoint \d+ taken/ })
        .first()
    ).toBeVisible()
    await screenshotBothThemes(page, 'checkpoints-timeline')
    // They go by themselves; the dialogs' screenshots are taken without them.
    await expect(page.getByRole('status').filter({ hasText: /Checkpoint \d+ taken/ })).toHaveCount(0)
  })

  await test.step('"Rewind to before this message" on turn two previews the files it removes', async () => {
    await tab(page, 'Conversation').click()
    const second = rows(page, 'user').filter({ hasText: TURNS[1].prompt })
    await second.hover()
    await second.getByRole('button', { name: 'Rewind to before this message…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Rewind to before this message' })
    await expect(dialog).toBeVisible()
    await expect(dialog.getByRole('radio', { name: 'Code and conversation' })).toHaveAttribute('aria-checked', 'true')
    await expect(dialog.getByTestId('rewind-summary')).toContainText('2 files will change')
    const files = dialog.getByRole('list', { name: 'Files the rewind changes' })
    await expect(files.getByRole('button')).toHaveCount(2)
    await expect(files).toContainText('two.txt')
    await expect(files).toContainText('three.txt')
    await expect(files).not.toContainText('one.txt')
    // The selected file's diff: now (left) against the checkpoint (right), where the file does not exist.
    await expect(dialog.locator('.monaco-diff[data-diff-ready="true"]')).toBeVisible()
    await screenshotBothThemes(page, 'checkpoints-rewind-preview')
    await dialog.getByRole('button', { name: 'Rewind', exact: true }).click()
    await expect(dialog).toBeHidden()
  })

  await test.step('the files of turns two and three are gone; the turns fold as rewound; the prompt is back in the box', async () => {
    const toast = page.getByRole('status').filter({ hasText: /Rewound to checkpoint \d+/ })
    await expect(toast).toBeVisible()
    await toast.hover() // a toast with an action stays while pointed at
    await expect.poll(() => [onDisk('one.txt'), onDisk('two.txt'), onDisk('three.txt')]).toEqual([true, false, false])
    const fold = transcript(page).getByRole('button', { name: /2 rewound turns/ })
    await expect(fold).toBeVisible()
    await expect(rows(page, 'user').filter({ hasText: TURNS[2].prompt })).toHaveCount(0)
    await expect(composer(page)).toHaveValue(TURNS[1].prompt)
    await screenshotBothThemes(page, 'checkpoints-rewound')
    await fold.click()
    await expect(transcript(page).locator('.transcript-row[data-rewound]').filter({ hasText: TURNS[2].prompt })).toBeVisible()
    await expect(transcript(page).locator('.rewound-tag')).toHaveCount(2)
    await toast.hover()
    await screenshotBothThemes(page, 'checkpoints-rewound-open')
  })

  await test.step('Undo puts the files and the turns back', async () => {
    await page
      .getByRole('status')
      .filter({ hasText: /Rewound to checkpoint \d+/ })
      .getByRole('button', { name: 'Undo' })
      .click()
    await expect(page.getByRole('status').filter({ hasText: 'Rewind undone' })).toBeVisible()
    await expect.poll(() => [onDisk('one.txt'), onDisk('two.txt'), onDisk('three.txt')]).toEqual([true, true, true])
    await expect(transcript(page).locator('[data-kind="rewound"]')).toHaveCount(0)
    await expect(transcript(page).locator('.transcript-row[data-rewound]')).toHaveCount(0)
    await expect(composer(page)).toHaveValue('')
  })

  await test.step('"Rewind to here" at the end of turn one previews the same two files', async () => {
    const endOfOne = rows(page, 'assistant').filter({ hasText: 'Wrote one.txt.' })
    await endOfOne.hover()
    await endOfOne.getByRole('button', { name: 'Rewind to here…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Rewind to the end of this turn' })
    await expect(dialog.getByTestId('rewind-summary')).toContainText('2 files will change')
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    // The last turn's end has nothing after it to rewind.
    const endOfThree = rows(page, 'assistant').filter({ hasText: 'Wrote three.txt.' })
    await endOfThree.hover()
    await expect(endOfThree.getByRole('button', { name: 'Fork from here…' })).toBeVisible()
    await expect(endOfThree.getByRole('button', { name: 'Rewind to here…' })).toHaveCount(0)
  })

  await test.step('Fork from the end of turn one, with two approaches: two threads, linked both ways', async () => {
    const endOfOne = rows(page, 'assistant').filter({ hasText: 'Wrote one.txt.' })
    await endOfOne.hover()
    await endOfOne.getByRole('button', { name: 'Fork from here…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Fork “Three files”' })
    await expect(dialog).toBeVisible()
    await dialog.getByRole('textbox', { name: 'Prompt' }).fill('Approach A: keep one file')
    await dialog.getByRole('button', { name: 'Add another approach' }).click()
    await dialog.getByRole('textbox', { name: 'Approach 2' }).fill('Approach B: split it up')
    await expect(dialog.getByRole('textbox', { name: 'Approach 1' })).toHaveValue('Approach A: keep one file')
    await screenshotBothThemes(page, 'checkpoints-fork-dialog')
    await dialog.getByRole('button', { name: 'Fork 2 threads' }).click()
    await expect(dialog).toBeHidden()

    await expect.poll(async () => (await listThreads(core)).filter((t) => t.forkedFrom?.threadId === parent.id).length).toBe(2)
    const forks = (await listThreads(core)).filter((t) => t.forkedFrom?.threadId === parent.id).sort((a, b) => a.createdAt - b.createdAt)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(forks[0].title)
    for (const fork of forks) {
      await expect(threadRow(page, fork.title).getByTestId('forked-from-mark')).toBeVisible()
      await expect(threadRow(page, fork.title)).toHaveAttribute('aria-label', /forked from “Three files”/)
      expect(existsSync(join(fork.worktreePath, 'one.txt'))).toBe(true)
      expect(existsSync(join(fork.worktreePath, 'two.txt'))).toBe(false)
      expect(existsSync(join(fork.worktreePath, 'three.txt'))).toBe(false)
    }
    await expect(threadRow(page, 'Three files').getByTestId('forks-count')).toHaveText('2')
    await expect(threadRow(page, 'Three files')).toHaveAttribute('aria-label', /2 forks/)
    // Each fork got its own prompt as its first message.
    await expect(rows(page, 'user').last()).toContainText(/Approach [AB]/)
    await screenshotBothThemes(page, 'checkpoints-forks-sidebar')

    // The link back: the fork mark opens the parent.
    await threadRow(page, forks[0].title).getByTestId('forked-from-mark').click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Three files')
  })

  await test.step('the timeline and overview of the parent name the forks', async () => {
    await tab(page, 'Timeline').click()
    const at = page.getByRole('listitem', { name: /^Checkpoint 2:/ })
    await expect(at).toContainText('Forked into')
    await expect(at.getByRole('button', { name: /Approach A/ })).toBeVisible()
    await screenshotBothThemes(page, 'checkpoints-timeline-forks')
    await tab(page, 'Overview').click()
    const details = page.getByRole('main').locator('.fork-details')
    await expect(details).toContainText('2 forks:')
    await expect(details.getByRole('button', { name: /Approach B/ })).toBeVisible()
    await screenshotBothThemes(page, 'checkpoints-overview')
  })

  await test.step('the dashboard shows the links too, and Settings the pruning', async () => {
    await page.keyboard.press('ControlOrMeta+0')
    await expect(
      page
        .getByRole('main')
        .getByRole('button', { name: /^Forked from “Three files”/ })
        .first()
    ).toBeVisible()
    await expect(page.getByRole('main').getByRole('button', { name: '2 forks' })).toBeVisible()
    await screenshotBothThemes(page, 'checkpoints-dashboard')
    await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'List' }).click()
    await expect(page.getByRole('main').getByRole('button', { name: /^Forked from “Three files”/ })).toHaveCount(2)
    await screenshotBothThemes(page, 'checkpoints-dashboard-list')
    await page.getByRole('main').getByRole('button', { name: '2 forks' }).click()
    await page.getByRole('menu', { name: 'Forks of Three files' }).getByRole('menuitem').first().click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Three files \(fork\)/)
    await page.getByRole('button', { name: 'Settings' }).click()
    const settings = page.getByRole('dialog', { name: 'Settings' })
    const pruning = settings.getByRole('group', { name: 'Checkpoints' })
    await expect(pruning.getByRole('spinbutton', { name: 'Checkpoints kept per thread' })).toHaveValue('200')
    await pruning.getByRole('spinbutton', { name: 'Days checkpoints are kept' }).fill('14')
    await pruning.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Checkpoint pruning saved' })).toBeVisible()
    const client = await connectClient(core)
    expect(await client.request('checkpoint/settings', {})).toEqual({ maxPerThread: 200, maxAgeDays: 14 })
    client.dispose()
  })
})

test('a thread without built-in turns: checkpoint from a focused terminal, rewind the code from the Timeline', async ({ page }) => {
  const repo = makeGitRepo('shell-app')
  const core = await startCore({ env: shellEnv() })
  cores.push(core)
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'shell-app', title: 'Shell work', profile: 'Shell' })
  const worktree = (await listThreads(core)).find((t) => t.title === 'Shell work')!.worktreePath
  const notes = () => (existsSync(join(worktree, 'notes.txt')) ? readFileSync(join(worktree, 'notes.txt'), 'utf8') : null)

  await test.step('Ctrl/⌘+Shift+K in the focused terminal takes a checkpoint (it never reaches the shell)', async () => {
    await expectPrompt(page)
    await focusTerminal(page)
    await runCommand(page, "printf 'first\\n' > notes.txt")
    await expect.poll(notes).toBe('first\n')
    await page.keyboard.press('ControlOrMeta+Shift+K')
    await expect(page.getByRole('status').filter({ hasText: /Checkpoint \d+ taken/ })).toContainText('1 file uncommitted')
    await runCommand(page, "printf 'second\\nthird\\n' > notes.txt")
    await expect.poll(notes).toBe('second\nthird\n')
  })

  await test.step('Rewind… from the Timeline: code only, with the reason; the preview shows the file going back', async () => {
    await tab(page, 'Timeline').click()
    const row = page.getByRole('listitem', { name: /Saved by hand/ })
    await expect(row).toContainText('1 file uncommitted')
    await row.getByRole('button', { name: /^Rewind to checkpoint/ }).click()
    const dialog = page.getByRole('dialog', { name: /^Rewind to checkpoint \d+$/ })
    await expect(dialog.getByRole('radio', { name: 'Code only' })).toHaveAttribute('aria-checked', 'true')
    await expect(dialog.getByRole('radio', { name: 'Code and conversation' })).toBeDisabled()
    await expect(dialog.getByRole('radio', { name: 'Conversation only' })).toBeDisabled()
    await expect(dialog).toContainText('no turns in this thread to rewind')
    const files = dialog.getByRole('list', { name: 'Files the rewind changes' })
    await expect(files.getByRole('button')).toHaveCount(1)
    await expect(files.getByRole('button', { name: /notes\.txt/ })).toContainText('+1')
    await expect(files.getByRole('button', { name: /notes\.txt/ })).toContainText('−2')
    await expect(dialog.locator('.monaco-diff[data-diff-ready="true"]')).toBeVisible()
    await screenshotBothThemes(page, 'checkpoints-rewind-code-only')
    await dialog.getByRole('button', { name: 'Rewind', exact: true }).click()
    await expect(dialog).toBeHidden()
    await expect.poll(notes).toBe('first\n')
    await expect(page.getByRole('status').filter({ hasText: /Rewound to checkpoint \d+/ })).toContainText('1 file put back')
    // The state before the rewind is itself a checkpoint, listed first.
    await expect(page.getByRole('listitem', { name: /Before rewinding to checkpoint/ })).toBeVisible()
  })
})
