import { expect, test, type Page } from '@playwright/test'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commentCards, expectDiffReady, modifiedLine, monacoDiff, openChangesTab, openDiff } from './support/changes-page'
import { connectClient } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { addRepository, repoRow, screenshotBothThemes, threadRow } from './support/skein-page'
import { expectTerminalText, prepareTerminalPage, shellEnv } from './support/terminal-page'

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  core = null
})

// A tiny custom agent CLI: reads the lines typed into its terminal and records each one as JSON.
const ECHO_CLI = `const fs = require('fs')
process.stdout.write('echo-cli ready\\n> ')
require('readline').createInterface({ input: process.stdin }).on('line', (l) => { fs.appendFileSync(process.argv[2], JSON.stringify(l) + '\\n'); process.stdout.write('> ') })
`
const CHECKBOX = 'Send prompts and reviews to this CLI as typed input'
const REVIEW_BODY = 'FIRST-REVIEW say why\nuse `touch x` here, not $(touch x)'

async function openAgentSettings(page: Page, repo: string) {
  await repoRow(page, repo).click({ button: 'right' })
  await page.getByRole('menu').getByRole('menuitem', { name: 'Agent settings…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Agent settings' })
  await expect(dialog.getByLabel('Custom command')).toBeEnabled()
  return dialog
}

async function setAcceptsPrompt(page: Page, repo: string, on: boolean) {
  const dialog = await openAgentSettings(page, repo)
  await dialog.getByRole('checkbox', { name: CHECKBOX, exact: true }).setChecked(on)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
}

/** Comments on README.md's new line in the diff and sends the review; returns the toast it got. */
async function sendReview(page: Page, body: string) {
  await openChangesTab(page)
  await openDiff(page, 'README.md')
  await expectDiffReady(page)
  await modifiedLine(page, 'A line for review.').hover()
  await monacoDiff(page).locator('.editor.modified .comment-glyph').click()
  const box = page.getByRole('textbox', { name: 'Comment on line 3' })
  await box.fill(body)
  await box.press('ControlOrMeta+Enter')
  await expect(commentCards(page).filter({ hasText: body.split('\n')[0]! })).toBeVisible()
  await page
    .getByRole('region', { name: 'Review' })
    .getByRole('button', { name: /Send review/ })
    .click()
}

test('a custom CLI takes reviews only when its profile says so: the setting, kept across reloads, and the truthful toasts', async ({
  page
}) => {
  const repo = makeGitRepo('custom-cli-app')
  const dir = mkdtempSync(join(tmpdir(), 'skein-e2e-echo-cli-'))
  const script = join(dir, 'echo-cli.js')
  const received = join(dir, 'received.jsonl')
  writeFileSync(script, ECHO_CLI)
  core = await startCore({ env: shellEnv() })
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  let worktree = ''

  await test.step('the setting is off by default, explained, and kept across a reload when turned on and off', async () => {
    const dialog = await openAgentSettings(page, 'custom-cli-app')
    const box = dialog.getByRole('checkbox', { name: CHECKBOX, exact: true })
    await expect(box).not.toBeChecked()
    await expect(box).toHaveAccessibleDescription(/a shell or a REPL would run the text as commands/)
    await dialog.getByLabel('Custom command').fill(`node ${script} ${received}`)
    await box.check()
    await screenshotBothThemes(page, 'agent-settings-accepts-prompt')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden()

    await page.reload()
    const again = await openAgentSettings(page, 'custom-cli-app')
    await expect(again.getByRole('checkbox', { name: CHECKBOX, exact: true })).toBeChecked()
    await expect(again.getByLabel('Custom command')).toHaveValue(`node ${script} ${received}`)
    await again.getByRole('checkbox', { name: CHECKBOX, exact: true }).uncheck()
    await again.getByRole('button', { name: 'Save' }).click()
    await expect(again).toBeHidden()

    await page.reload()
    const third = await openAgentSettings(page, 'custom-cli-app')
    await expect(third.getByRole('checkbox', { name: CHECKBOX, exact: true })).not.toBeChecked()
    await page.keyboard.press('Escape')
    await expect(third).toBeHidden()
  })

  await test.step('a thread running the custom CLI, with a change to review', async () => {
    const client = await connectClient(core!)
    try {
      const repoId = (await client.request('repo/list', {})).repos.find((r) => r.name === 'custom-cli-app')!.id
      const thread = await client.request('thread/create', { repoId, title: 'Echo agent', mode: 'worktree', profileId: 'custom' })
      worktree = thread.worktreePath
      writeFileSync(join(worktree, 'README.md'), '# custom-cli-app\n\nA line for review.\n')
    } finally {
      client.dispose()
    }
    await threadRow(page, 'Echo agent').click()
    await expect(page.getByRole('heading', { level: 1, name: 'Echo agent' })).toBeVisible()
    await expectTerminalText(page, 'echo-cli ready')
  })

  await test.step('off: the review is not sent, and the toast says why and offers Copy', async () => {
    await sendReview(page, REVIEW_BODY)
    const toast = page.getByRole('alert').filter({ hasText: 'Not sent to Custom' })
    await expect(toast).toBeVisible()
    await expect(toast).toContainText(`Turn on “${CHECKBOX}” in Agent settings`)
    await expect(toast.getByRole('button', { name: 'Copy' })).toBeVisible()
    await expect(page.getByRole('region', { name: 'Review' })).toContainText('1 pending comment')
    await screenshotBothThemes(page, 'agent-settings-review-not-sent')
    expect(existsSync(received)).toBe(false)
  })

  await test.step('on: the same review reaches the CLI as typed lines, intact', async () => {
    await setAcceptsPrompt(page, 'custom-cli-app', true)
    await page
      .getByRole('region', { name: 'Review' })
      .getByRole('button', { name: /Send review/ })
      .click()
    await expect(page.getByRole('status').filter({ hasText: /Sent the review comment to Custom/ })).toBeVisible()
    await expect.poll(() => (existsSync(received) ? readFileSync(received, 'utf8') : '')).toContain('"FIRST-REVIEW say why"')
    await expect.poll(() => readFileSync(received, 'utf8')).toContain(JSON.stringify(REVIEW_BODY.split('\n').at(-1)))
    // Each line of the review, exactly as Skein formats it, one typed line at a time.
    const lines = readFileSync(received, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string)
    expect(lines).toEqual([
      'Review of your changes — 1 comment. Please address each one.',
      '',
      '1. README.md:3',
      '```',
      'A line for review.',
      '```',
      ...REVIEW_BODY.split('\n')
    ])
    expect(existsSync(join(worktree, 'x')), 'nothing in the review ran').toBe(false)
    await expect(page.getByRole('region', { name: 'Review' })).toContainText('No pending comments')
  })
})
