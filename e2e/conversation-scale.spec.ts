import { expect, test } from '@playwright/test'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { startModelServer, type ModelServer } from '../test/helpers/model-server'
import { connectClient } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { composer, rows, sendMessage, transcript } from './support/conversation-page'
import { makeGitRepo } from './support/git-repo'
import { nextFrames, threadRow } from './support/skein-page'

let core: CoreProcess | null = null
let server: ModelServer | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  await server?.close()
  core = null
  server = null
})

const COUNT = 10_000

/** A realistic mix of transcript items, as the core logs them (one `item.completed` event per line). */
function seedLines(threadId: string): string {
  const lines: string[] = []
  const at = Date.now() - COUNT * 1000
  for (let i = 0; i < COUNT; i++) {
    const turnId = `turn-${Math.floor(i / 4)}`
    const base = { id: `seed-${i}`, threadId, turnId, createdAt: at + i * 1000, status: 'completed' }
    const item =
      i % 4 === 0
        ? { ...base, kind: 'user', text: `Question number ${i}: what does module ${i} do?` }
        : i % 4 === 1
          ? {
              ...base,
              kind: 'assistant',
              text: `Module ${i} handles **requests**.\n\n- parses \`input\`\n- calls the service\n\n\`\`\`ts\nhandle(${i})\n\`\`\``
            }
          : i % 4 === 2
            ? {
                ...base,
                kind: 'tool',
                tool: {
                  name: 'bash',
                  input: { command: `grep -n module${i} src` },
                  output: `src/a.ts:${i}: module${i}\nsrc/b.ts:${i + 1}: module${i}`,
                  exitCode: 0
                }
              }
            : { ...base, kind: 'notice', text: `Checkpoint ${i}` }
    lines.push(JSON.stringify({ type: 'item.completed', at: base.createdAt, item }))
  }
  return `${lines.join('\n')}\n`
}

test('10,000 transcript items open fast, scroll smoothly, and new output waits behind "Jump to latest" while scrolled up', async ({
  page
}) => {
  server = await startModelServer({ respond: () => ({ text: 'Fresh reply at the very end.' }), apiKey: 'test-key' })
  core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key' } })
  const repoPath = makeGitRepo('big-app')
  const client = await connectClient(core)
  const repo = await client.request('repo/add', { path: repoPath })
  const thread = await client.request('thread/create', { repoId: repo.id, title: 'Long conversation' })
  await client.request('thread/create', { repoId: repo.id, title: 'Other thread' })
  client.dispose()
  appendFileSync(join(core.home, 'threads', thread.id, 'events.jsonl'), seedLines(thread.id))

  await page.goto(core.url)
  await threadRow(page, 'Other thread').click()
  await expect(page.getByRole('heading', { level: 1, name: 'Other thread' })).toBeVisible()

  // Measured in the page: from the click to the frame where the last item is on screen.
  const openMs = await page.evaluate(
    (lastId) =>
      new Promise<number>((resolve) => {
        const row = [...document.querySelectorAll<HTMLElement>('[role="treeitem"]')].find((el) =>
          el.getAttribute('aria-label')?.startsWith('Long conversation')
        )
        const start = performance.now()
        const check = () => {
          const el = document.querySelector(`[data-item-id="${lastId}"]`)
          const scroller = document.querySelector('.transcript-scroller')
          if (el && scroller) {
            const r = el.getBoundingClientRect()
            const s = scroller.getBoundingClientRect()
            if (r.height > 0 && r.bottom <= s.bottom + 1 && r.top >= s.top) return resolve(performance.now() - start)
          }
          requestAnimationFrame(check)
        }
        row?.click()
        requestAnimationFrame(check)
      }),
    `seed-${COUNT - 1}`
  )
  console.log(`10,000 items: last item on screen ${Math.round(openMs)} ms after the click (item/list included)`)
  await expect(transcript(page).locator(`[data-item-id="seed-${COUNT - 1}"]`)).toBeInViewport()

  await test.step('only the rows in view are in the DOM', async () => {
    expect(await transcript(page).locator('.transcript-row').count()).toBeLessThan(80)
  })

  await test.step('scrolling to the top and back answers at once', async () => {
    const scroller = page.locator('.transcript-scroller')
    const t0 = Date.now()
    // The transcript holds a window of the items: each scroll to its top fetches the page before.
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => (el.scrollTop = 0))
          // Two frames: a page that just arrived has put the view back on the row it showed.
          await nextFrames(page, 2)
          return transcript(page).locator('[data-item-id="seed-0"]').count()
        },
        { timeout: 120_000, intervals: [20] }
      )
      .toBe(1)
    await expect(transcript(page).locator('[data-item-id="seed-0"]')).toBeVisible()
    console.log(`scroll to top: ${Date.now() - t0} ms`)
    await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeVisible()
    // A click on a tool row still works up there.
    await transcript(page).locator('[data-item-id="seed-2"] .tool-head').click()
    await expect(transcript(page).locator('[data-item-id="seed-2"] .tool-head')).toHaveAttribute('aria-expanded', 'true')
  })

  await test.step('a reply arriving while scrolled up does not move the view; Jump to latest shows it', async () => {
    const scroller = page.locator('.transcript-scroller')
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight / 2))
    const before = await scroller.evaluate((el) => el.scrollTop)
    // A message from elsewhere (the CLI) starts a turn; the reply streams in below the view.
    const asked = server!.requests.length
    const cli = await connectClient(core!)
    await cli.request('turn/start', { threadId: thread.id, text: 'One more question' })
    cli.dispose()
    await expect.poll(() => server!.requests.length).toBeGreaterThan(asked)
    await expect(threadRow(page, 'Long conversation')).toHaveAttribute('aria-label', /Finished/)
    // The row says Finished only after the reply's items reached the store; two frames later React has
    // committed them and the virtualizer has measured, so any drift they cause has happened.
    await nextFrames(page, 2)
    expect(Math.abs((await scroller.evaluate((el) => el.scrollTop)) - before)).toBeLessThan(4)
    await page.getByRole('button', { name: 'Jump to latest' }).click()
    await expect(rows(page, 'assistant').last()).toContainText('Fresh reply at the very end.')
    await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeHidden()
  })

  await test.step('sending from the composer jumps to the end and follows the reply', async () => {
    const scroller = page.locator('.transcript-scroller')
    await scroller.evaluate((el) => (el.scrollTop = 0))
    await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeVisible()
    await sendMessage(page, 'And another')
    await expect(rows(page, 'user').last()).toContainText('And another')
    await expect(rows(page, 'assistant').last()).toBeInViewport()
    await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeHidden()
    await expect(composer(page)).toBeFocused()
  })
})
