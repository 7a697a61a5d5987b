import { expect, test } from '@playwright/test'
import { startModelServer, type ModelServer, type ScriptedStep } from '../test/helpers/model-server'
import { connectClient } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { lastText, rows, sendMessage, toolResults, transcript } from './support/conversation-page'
import { makeGitRepo } from './support/git-repo'
import { screenshotBothThemes, threadRow } from './support/skein-page'

let core: CoreProcess | null = null
let server: ModelServer | null = null
test.afterEach(async () => {
  await core?.stop()
  await server?.close()
  core = null
  server = null
})

/** Steps of one long turn, each a short reply and this many reads: far more items than the window holds (600). */
const STEPS = 20
const READS = 50

/** A turn of STEPS steps of READS file reads each, then a last reply naming the turn (`label` in the prompt). */
function longTurn(body: unknown): ScriptedStep {
  const asked = /Read everything, (\w+)/.exec(lastText(body as never))?.[1]
  const done = toolResults(body as never)
  const step = done.length === 0 ? 0 : Number(/^toolu_\w+_(\d+)_/.exec(done[0]!.tool_use_id)?.[1] ?? 0) + 1
  const label = asked ?? /^toolu_(\w+?)_/.exec(done[0]?.tool_use_id ?? '')?.[1] ?? 'x'
  if (step === STEPS) return { text: `Finished reading everything (${label}).` }
  return {
    text: `Step ${step}: reading ${READS} files.`,
    toolUses: Array.from({ length: READS }, (_, k) => ({
      id: `toolu_${label}_${step}_${k}`,
      name: 'read_file',
      input: { path: 'README.md' }
    }))
  }
}

test('a long live turn keeps the window bounded: it follows the end, pages back, and stops for a reader', async ({ page }) => {
  test.setTimeout(240_000)
  server = await startModelServer({ respond: (body) => longTurn(body), apiKey: 'test-key' })
  core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key' } })
  const client = await connectClient(core)
  const repo = await client.request('repo/add', { path: makeGitRepo('live-app') })
  const thread = await client.request('thread/create', { repoId: repo.id, title: 'Long live turn', permissionMode: 'auto' })

  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(core.url)
  await threadRow(page, 'Long live turn').click()
  const log = transcript(page)
  const scroller = page.locator('.transcript-scroller')
  const position = page.getByRole('status', { name: 'Position in the conversation' })
  // Items one turn makes, as the core counts them (the prompt, each step's reply and reads, the last reply, notices).
  let total = 0
  let both = 0

  await test.step('following a turn of a thousand items, the view shows the end and the window drops the oldest', async () => {
    await sendMessage(page, 'Read everything, first')
    await expect(rows(page, 'assistant').last()).toContainText('Finished reading everything (first).', { timeout: 180_000 })
    await expect(log.locator('.transcript-row').last()).toBeInViewport()
    total = (await client.request('item/list', { threadId: thread.id, limit: 1 })).total
    expect(total).toBeGreaterThan(STEPS * READS)
    // The window holds part of the conversation: the marker says so, and earlier items are a page away.
    await expect(position).toContainText(`of ${total.toLocaleString('en-US')}`)
    await expect(log.locator('.transcript-edge').first()).toHaveText('Loading earlier messages…')
    await screenshotBothThemes(page, 'conversation-live-end')
  })

  await test.step('a reader further up is not moved: new items wait past the window, and Jump to latest shows them', async () => {
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight - el.clientHeight * 3))
    await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeVisible()
    const reading = await log.locator('[data-item-id]').first().getAttribute('data-item-id')
    const box = await log.locator(`[data-item-id="${reading}"]`).boundingBox()
    await client.request('turn/start', { threadId: thread.id, text: 'Read everything, second' })
    const last = async () => (await client.request('item/list', { threadId: thread.id, limit: 1 })).items[0]?.text ?? ''
    await expect.poll(last, { timeout: 180_000 }).toContain('Finished reading everything (second).')
    both = (await client.request('item/list', { threadId: thread.id, limit: 1 })).total
    expect(both).toBeGreaterThan(total + STEPS * READS)
    await expect(position).toContainText(`of ${both.toLocaleString('en-US')}`)
    // The row being read stayed where it was the whole time, and the later items are past the window's end.
    expect((await log.locator(`[data-item-id="${reading}"]`).boundingBox())?.y).toBe(box?.y)
    await expect(log.locator('.transcript-edge.is-after')).toHaveText('Loading later messages…')
    await page.getByRole('button', { name: 'Jump to latest' }).click()
    await expect(rows(page, 'assistant').last()).toContainText('Finished reading everything (second).')
    await expect(log.locator('.transcript-row').last()).toBeInViewport()
  })

  await test.step('paging back from the end reaches the first message, every item once', async () => {
    const { seen, doubled } = await scroller.evaluate(async (el) => {
      const frame = () => new Promise((r) => requestAnimationFrame(r))
      const seen = new Set<string>()
      let doubled = 0
      const deadline = performance.now() + 120_000
      while (performance.now() < deadline) {
        const ids = [...el.querySelectorAll<HTMLElement>('[data-item-id]')].map((r) => r.dataset.itemId!)
        doubled += ids.length - new Set(ids).size
        for (const id of ids) seen.add(id)
        const first = [...el.querySelectorAll<HTMLElement>('[data-kind="user"]')].some((r) =>
          r.textContent?.includes('Read everything, first')
        )
        if (first && el.scrollTop === 0) break
        el.scrollTop = Math.max(0, el.scrollTop - el.clientHeight * 0.8)
        await frame()
        await frame()
      }
      return { seen: seen.size, doubled }
    })
    expect(doubled).toBe(0)
    expect(seen).toBe(both)
    await expect(log.locator('[data-kind="user"]').first()).toContainText('Read everything, first')
    await screenshotBothThemes(page, 'conversation-live-start')
  })
  client.dispose()
})
