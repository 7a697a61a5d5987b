import { expect, test } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startModelServer, type ModelServer } from '../test/helpers/model-server'
import { threadNamed } from './support/core-client'
import { startCore, tempHome, type CoreProcess } from './support/core-process'
import { approvalCard, lastText, openConversationTab, rows, sendMessage, toolResults } from './support/conversation-page'
import { makeGitRepo } from './support/git-repo'
import { addRepository, createThread } from './support/skein-page'

let cores: CoreProcess[] = []
let server: ModelServer | null = null
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await server?.close()
  cores = []
  server = null
})

test('an approval pending when the core is killed is still pending after the restart; approving it runs the call and the turn goes on', async ({
  page
}) => {
  const repo = makeGitRepo('notes-app')
  server = await startModelServer({
    apiKey: 'test-key',
    respond: (body) => {
      if (toolResults(body).some((r) => r.tool_use_id === 'toolu_notes')) return { text: 'Notes written after the restart.' }
      if (lastText(body).includes('notes'))
        return {
          text: 'Writing the notes.',
          toolUses: [{ id: 'toolu_notes', name: 'write_file', input: { path: 'notes.txt', content: 'kept across a crash\n' } }]
        }
      return { text: 'ok' }
    }
  })
  const env = { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key' }
  const home = tempHome()
  const first = await startCore({ home, env })
  cores.push(first)
  await page.goto(first.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'notes-app', title: 'Write notes' })
  await sendMessage(page, 'Write the notes file')
  await expect(approvalCard(page)).toBeVisible()
  const worktree = (await threadNamed(first, 'Write notes')).worktreePath

  await test.step('the core dies with the card waiting, and comes back', async () => {
    await first.stop('SIGKILL')
    await expect(page.getByRole('alert').filter({ hasText: 'reconnecting' })).toBeVisible()
    const second = await startCore({ home, env, port: first.port, token: first.token })
    cores.push(second)
    await expect(page.getByRole('alert').filter({ hasText: 'reconnecting' })).toBeHidden()
  })

  await test.step('the card is still pending, and approving it writes the file and continues the turn', async () => {
    await openConversationTab(page)
    await expect(approvalCard(page)).toBeVisible()
    await expect(page.getByText('Interrupted before the person answered')).toHaveCount(0)
    await approvalCard(page).getByRole('button', { name: 'Approve', exact: true }).click()
    await expect(rows(page, 'assistant').last()).toContainText('Notes written after the restart.')
    expect(existsSync(join(worktree, 'notes.txt'))).toBe(true)
    expect(readFileSync(join(worktree, 'notes.txt'), 'utf8')).toBe('kept across a crash\n')
    await expect(approvalCard(page)).toHaveCount(0)
  })
})
