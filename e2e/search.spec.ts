import { expect, test } from '@playwright/test'
import { startModelServer, type ModelServer, type ScriptedStep } from '../test/helpers/model-server'
import { connectClient } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { screenshotBothThemes, tree } from './support/skein-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  cores = []
  servers = []
})

const STEPS = 24

/** The first reply holds the word searched for; many tool rounds follow it, so the thread opens far below it. */
function script(body: any): ScriptedStep {
  const messages: { role: string }[] = body.messages ?? []
  const done = messages.filter((m) => m.role === 'assistant').length
  if (done === 0 && JSON.stringify(messages).includes('stale'))
    return {
      text: 'The zanzibar cache key is built from the wrong field, so entries never expire. Let me check each step.',
      toolUses: [{ id: 'toolu_0', name: 'bash', input: { command: 'echo step 0' } }]
    }
  if (done > 0 && done < STEPS && JSON.stringify(messages).includes('zanzibar'))
    return { text: `Step ${done} looks fine.`, toolUses: [{ id: `toolu_${done}`, name: 'bash', input: { command: `echo step ${done}` } }] }
  return { text: done >= STEPS ? 'All steps checked.' : 'Hello there.' }
}

test('the sidebar search finds an item and opens its thread scrolled to it', async ({ page }) => {
  const server = await startModelServer({ respond: script, apiKey: 'test-key' })
  servers.push(server)
  const core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key', SKEIN_SEARCH_BATCH_MS: '50' } })
  cores.push(core)
  const repoPath = makeGitRepo('search-repo')
  const client = await connectClient(core)
  const repo = await client.request('repo/add', { path: repoPath })
  const thread = await client.request('thread/create', {
    repoId: repo.id,
    title: 'Cache investigation',
    mode: 'local',
    permissionMode: 'auto',
    prompt: 'Why is the cache stale?'
  })
  await client.request('thread/create', { repoId: repo.id, title: 'Greetings', mode: 'local', prompt: 'Say hello' })
  await expect
    .poll(async () => (await client.request('thread/list', {})).threads.find((t) => t.id === thread.id)!.conversation.turns, {
      timeout: 120_000
    })
    .toBe(1)
  await expect.poll(async () => (await client.request('search/query', { query: 'checked' })).results.length).toBe(1)
  client.dispose()

  await page.goto(core.url)
  await expect(tree(page)).toBeVisible()
  const box = page.getByRole('textbox', { name: 'Search threads' })
  await page.keyboard.press('Control+K')
  await expect(box).toBeFocused()
  await expect(page.getByText(/Search every thread's titles/)).toBeVisible()

  // Nothing found, then a query that is not words: both say so.
  await box.fill('qwxzzy')
  await expect(page.getByText('No matches for “qwxzzy”.')).toBeVisible()
  await box.fill('***')
  await expect(page.getByRole('alert')).toContainText('Type a word')

  await box.fill('zanzibar')
  const results = page.getByRole('listbox', { name: 'Search results' })
  const hit = results.getByRole('option').filter({ hasText: 'Cache investigation' })
  await expect(hit).toHaveCount(1)
  await expect(hit.locator('mark')).toHaveText('zanzibar')
  await expect(hit).toContainText('Reply')
  await screenshotBothThemes(page, 'search-results')

  // A filter that excludes it: no matches; back to any status: found again.
  await page.getByRole('combobox', { name: 'Status' }).selectOption('archived')
  await expect(page.getByText('No matches for “zanzibar”.')).toBeVisible()
  await page.getByRole('combobox', { name: 'Status' }).selectOption('')
  await expect(hit).toHaveCount(1)

  await box.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Cache investigation' })).toBeVisible()
  const marked = page.locator('.transcript-row[data-search-hit]')
  await expect(marked).toContainText('zanzibar cache key')
  await expect(marked).toBeInViewport()
  // The thread's end is far below: the transcript did not just jump to the latest item.
  await expect(page.getByText('All steps checked.')).not.toBeInViewport()
  await expect(tree(page)).toBeVisible()
  await screenshotBothThemes(page, 'search-opened')

  // Escape closes the results and gives the tree back.
  await page.keyboard.press('Control+K')
  await expect(box).toHaveValue('zanzibar')
  await expect(results).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(results).toBeHidden()
  await expect(tree(page)).toBeVisible()
})
