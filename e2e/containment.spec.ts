import { expect, test } from '@playwright/test'
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startModelServer, type ModelServer, type ScriptedStep } from '../test/helpers/model-server'
import { startCore, type CoreProcess } from './support/core-process'
import { approvalCard, rows, sendMessage, toolResults } from './support/conversation-page'
import { makeGitRepo } from './support/git-repo'
import { addRepository, createThread, screenshotBothThemes } from './support/skein-page'
import { prepareTerminalPage } from './support/terminal-page'

let core: CoreProcess | null = null
let server: ModelServer | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  await server?.close()
})

test('Plan mode: read-only commands run in the sandbox, an approved write cannot write, and the header says what contains the agent', async ({
  page
}) => {
  const outside = mkdtempSync(join(tmpdir(), 'skein-e2e-outside-'))
  const script = (body: any): ScriptedStep => {
    const done = toolResults(body).map((r) => r.tool_use_id)
    if (done.includes('toolu_touch')) return { text: 'The sandbox kept the file system unchanged.' }
    if (done.includes('toolu_log'))
      return { toolUses: [{ id: 'toolu_touch', name: 'bash', input: { command: `touch ${outside}/escaped` } }] }
    return { text: 'Looking at the history first.', toolUses: [{ id: 'toolu_log', name: 'bash', input: { command: 'git log --oneline' } }] }
  }
  server = await startModelServer({ respond: script, apiKey: 'test-key' })
  core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key' } })
  const repo = makeGitRepo('sandboxed-app')
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'sandboxed-app', title: 'Why is checkout slow' })
  const containment = page.getByRole('group', { name: 'Containment' })

  await test.step('in Plan mode the header shows the read-only sandbox with the network off', async () => {
    await page.getByRole('radio', { name: 'Plan' }).click()
    await expect(containment.getByRole('button', { name: 'Read-only sandbox' })).toBeDisabled()
    await expect(containment.getByRole('button', { name: 'Read-only sandbox' })).toHaveAttribute('aria-pressed', 'true')
    await expect(containment.getByRole('button', { name: 'Network off' })).toHaveAttribute('aria-pressed', 'false')
  })

  await test.step('a read-only command runs at once; another asks, says where it runs, and cannot write', async () => {
    await sendMessage(page, 'Investigate the slowdown')
    const card = approvalCard(page)
    await expect(card).toBeVisible()
    await expect(card).toContainText('runs in the read-only sandbox, where it cannot change any file')
    const log = rows(page, 'tool').first()
    await expect(log.locator('.tool-output')).toContainText('Initial commit')
    await screenshotBothThemes(page, 'containment-plan-approval')
    await card.getByRole('button', { name: 'Approve', exact: true }).click()
    await expect(rows(page, 'assistant').last()).toContainText('The sandbox kept the file system unchanged.')
    await expect(rows(page, 'tool').last().locator('.tool-output')).toContainText('Read-only file system')
    expect(readdirSync(outside)).toEqual([])
    expect(existsSync(join(outside, 'escaped'))).toBe(false)
  })

  await test.step('the Terminal tab shows the agent shell and the sandbox it runs in', async () => {
    await page.getByRole('tab', { name: 'Terminal' }).click()
    await expect(page.getByRole('tab', { name: 'Agent shell (read-only sandbox)' })).toBeVisible()
    await page.getByRole('tab', { name: 'Conversation' }).click()
  })

  await test.step('in Auto the sandbox keeps writes in the worktree, and can be turned off or given the network', async () => {
    await page.getByRole('radio', { name: 'Auto' }).click()
    const on = containment.getByRole('button', { name: 'Sandbox: writes only in the worktree' })
    await expect(on).toBeEnabled()
    await expect(on).toHaveAttribute('aria-pressed', 'true')
    await containment.getByRole('button', { name: 'Network off' }).click()
    await expect(containment.getByRole('button', { name: 'Network on' })).toHaveAttribute('aria-pressed', 'true')
    await screenshotBothThemes(page, 'containment-auto')
    await on.click()
    await expect(containment.getByRole('button', { name: 'Sandbox off' })).toHaveAttribute('aria-pressed', 'false')
    await expect(containment.getByRole('button', { name: /^Network/ })).toBeHidden()
  })
})
