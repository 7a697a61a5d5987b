import { expect, test, type Locator, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startModelServer, type ModelServer, type ScriptedStep } from '../test/helpers/model-server'
import type { RpcClient } from '../src/shared/rpc-client'
import { connectClient } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { lastText, toolResults } from './support/conversation-page'
import { makeGitRepo } from './support/git-repo'
import { addRepository, screenshotBothThemes, threadRow } from './support/skein-page'
import { prepareTerminalPage, shellEnv, shownNotifications } from './support/terminal-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
let clients: RpcClient[] = []
test.afterEach(async () => {
  for (const c of clients) c.dispose()
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  cores = []
  servers = []
  clients = []
})

async function launch(respond: (body: any) => ScriptedStep) {
  const server = await startModelServer({ respond, apiKey: 'test-key' })
  servers.push(server)
  const core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key', ...shellEnv() } })
  cores.push(core)
  const client = await connectClient(core)
  clients.push(client)
  return { server, core, client }
}

const FINDINGS: Record<string, string> = {
  'Check the CI logs': 'Finding: the checkout job times out since a1b2c3 raised the retry count to 20.',
  'Check the payment service': 'Finding: payment latency is flat; the provider is not the cause.',
  'Read the recent commits': 'Finding: commit d4e5f6 removed the cart cache, doubling database reads.'
}

/** The model: investigations answer with their finding; a feature thread writes a file (which asks first in Ask mode). */
function script(body: any): ScriptedStep {
  if (toolResults(body).some((r) => r.tool_use_id === 'toolu_greet')) return { text: 'Wrote GREETING.md with a welcome line.' }
  const text = lastText(body)
  const focus = Object.keys(FINDINGS).find((f) => text.includes(f))
  if (focus) return { text: FINDINGS[focus]! }
  if (text.includes('greeting')) {
    return {
      text: 'I will add the greeting file.',
      toolUses: [{ id: 'toolu_greet', name: 'write_file', input: { path: 'GREETING.md', content: '# Welcome\nGlad you are here.\n' } }]
    }
  }
  return { text: 'ok' }
}

const cards = (page: Page): Locator => page.getByRole('list', { name: 'Threads' })
const card = (page: Page, title: string): Locator => cards(page).getByRole('listitem', { name: new RegExp(`^${title}`) })

test('dashboard cards show live work: investigations with focus and finding, approve from the card, +/- counts, list and wall', async ({
  page
}) => {
  const repo = makeGitRepo('shop-app')
  const { core, client } = await launch(script)
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  const repoId = (await client.request('repo/list', {})).repos[0]!.id

  await test.step('Investigate: the example rows are placeholders, and one filled row starts exactly one investigation', async () => {
    await page.keyboard.press('ControlOrMeta+0')
    await page.getByRole('main').getByRole('button', { name: 'Investigate…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Investigate' })
    for (const i of [1, 2, 3]) {
      await expect(dialog.getByLabel(`Investigation ${i} title`)).toHaveValue('')
      await expect(dialog.getByLabel(`Investigation ${i} focus`)).toHaveValue('')
    }
    await expect(dialog.getByLabel('Investigation 1 focus')).toHaveAttribute('placeholder', 'e.g. Check the CI logs')
    await expect(dialog.getByRole('button', { name: 'Start investigations' })).toBeVisible()
    await dialog.getByLabel('Prompt').fill('Checkout got slow yesterday. Find out why.')
    await dialog.getByLabel('Investigation 1 title').fill('CI logs')
    await dialog.getByLabel('Investigation 1 focus').fill('Check the CI logs')
    await screenshotBothThemes(page, 'dashboard-investigate-dialog')
    await dialog.getByRole('button', { name: 'Start 1 investigation' }).click()
    await expect(dialog).toBeHidden()
    await expect(cards(page).getByRole('listitem')).toHaveCount(1)
    expect((await client.request('thread/list', {})).threads.map((t) => t.title)).toEqual(['CI logs'])
    const ci = card(page, 'CI logs')
    await expect(ci.locator('.card-focus')).toHaveText('Check the CI logs')
    await expect(ci.getByTestId('card-last-line')).toContainText('Finding')
    await expect(ci.getByTestId('card-last-line')).toContainText(FINDINGS['Check the CI logs']!)
  })

  await test.step('two more investigations fan out; each card shows its focus and its finding', async () => {
    await client.request('fanout/start', {
      repoId,
      prompt: 'Checkout got slow yesterday. Find out why.',
      investigations: [
        { title: 'Payment service', focus: 'Check the payment service' },
        { title: 'Recent commits', focus: 'Read the recent commits' }
      ]
    })
    await expect(cards(page).getByRole('listitem')).toHaveCount(3)
    for (const [title, focus] of [
      ['Payment service', 'Check the payment service'],
      ['Recent commits', 'Read the recent commits']
    ] as const) {
      await expect(card(page, title).locator('.card-focus')).toHaveText(focus)
      await expect(card(page, title).getByTestId('card-last-line')).toContainText(FINDINGS[focus]!)
    }
    // A finished investigation says so, with its finding: never "Needs your attention".
    await expect
      .poll(async () => (await shownNotifications(page)).filter((n) => n.title === 'Recent commits').map((n) => n.body))
      .toContain(`Finished: ${FINDINGS['Read the recent commits']}`)
    expect((await shownNotifications(page)).map((n) => n.body)).not.toContain('Needs your attention')
    await expect(cards(page)).toHaveAttribute('data-layout', 'cards')
    await screenshotBothThemes(page, 'dashboard-investigations')
  })

  await test.step('an approval is answered from the card, and the card shows the agent’s last line and the +/- counts', async () => {
    const thread = await client.request('thread/create', { repoId, title: 'Add a greeting', mode: 'worktree' })
    await client.request('thread/configure', { threadId: thread.id, permissionMode: 'ask' })
    await client.request('turn/start', { threadId: thread.id, text: 'Add a greeting file' })
    const feature = card(page, 'Add a greeting')
    await expect(feature.locator('.badge')).toHaveText('Needs attention')
    const approval = feature.getByRole('group', { name: /^Needs approval: / })
    await expect(approval).toContainText('GREETING.md')
    await screenshotBothThemes(page, 'dashboard-approval')
    await approval.getByRole('button', { name: /^Approve/ }).click()
    await expect(approval).toBeHidden()
    await expect(feature.getByTestId('card-last-line')).toContainText('Wrote GREETING.md with a welcome line.')
    await expect(feature.locator('.card-diff')).toHaveAccessibleName('1 file changed, 2 added, 0 removed')
    await expect(feature.locator('.card-diff')).toContainText('+2−01 file')
    expect(readFileSync(join(thread.worktreePath, 'GREETING.md'), 'utf8')).toBe('# Welcome\nGlad you are here.\n')
    // The card is still the way into the thread.
    await feature.click()
    await expect(page.getByRole('heading', { level: 1, name: 'Add a greeting' })).toBeVisible()
    await page.keyboard.press('ControlOrMeta+0')
  })

  await test.step('the counts follow an edit made by hand when the dashboard is shown again', async () => {
    const thread = (await client.request('thread/list', {})).threads.find((t) => t.title === 'Add a greeting')!
    writeFileSync(join(thread.worktreePath, 'README.md'), '# shop-app\nA shop.\nWith a cart.\n')
    await threadRow(page, 'Add a greeting').click()
    await expect(page.getByRole('heading', { level: 1, name: 'Add a greeting' })).toBeVisible()
    await page.keyboard.press('ControlOrMeta+0')
    await expect(card(page, 'Add a greeting').locator('.card-diff')).toHaveAccessibleName('2 files changed, 4 added, 0 removed')
  })

  await test.step('the list layout: one dense row per thread, remembered after a reload', async () => {
    await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'List' }).click()
    await expect(cards(page)).toHaveAttribute('data-layout', 'list')
    await expect(card(page, 'Recent commits').getByTestId('row-last-line')).toContainText(FINDINGS['Read the recent commits']!)
    await expect(card(page, 'Add a greeting').locator('.card-diff')).toBeVisible()
    await screenshotBothThemes(page, 'dashboard-list-investigations')
    await page.reload()
    await page.keyboard.press('ControlOrMeta+0') // a reload comes back on the last thread opened
    await expect(cards(page)).toHaveAttribute('data-layout', 'list')
    await expect(page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'List' })).toHaveAttribute('aria-pressed', 'true')
    await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Cards' }).click()
    await expect(cards(page)).toHaveAttribute('data-layout', 'cards')
  })
})

test('thirty features: a dense list by default, live terminal tails and counts, and a wall of cards on request', async ({ page }) => {
  const repo = makeGitRepo('storefront')
  const { core, client } = await launch(script)
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  const repoId = (await client.request('repo/list', {})).repos[0]!.id
  const features = [
    'Add dark mode toggle',
    'Cache product images',
    'Fix cart rounding',
    'Paginate order history',
    'Add coupon codes',
    'Speed up search'
  ]
  for (let i = 7; i <= 30; i++) await client.request('thread/create', { repoId, title: `Feature ${i}: tidy module ${i}`, mode: 'local' })
  // The six with worktrees come last: the newest, at the top of the list.
  const made = []
  for (const title of features) made.push(await client.request('thread/create', { repoId, title, mode: 'worktree' }))
  // Real work in six worktrees: edits of different sizes, one a CLI agent (a shell) that prints as it goes.
  for (const [i, t] of made.slice(0, 6).entries()) {
    writeFileSync(
      join(t.worktreePath, `feature-${i}.ts`),
      Array.from({ length: (i + 1) * 3 }, (_, n) => `export const v${n} = ${n}`).join('\n') + '\n'
    )
    if (i % 2) writeFileSync(join(t.worktreePath, 'README.md'), '')
  }
  const agentPty = await client.request('pty/open', { threadId: made[1]!.id, kind: 'agent', profileId: 'shell' })
  await client.request('pty/write', {
    ptyId: agentPty.id,
    data: "printf '\\033[32mresizing 48 images\\033[0m\\nwrote thumbnails to public/thumbs\\n'\r"
  })

  await expect(page.getByText('30 live threads in 1 repository')).toBeVisible()
  await expect(cards(page)).toHaveAttribute('data-layout', 'list')
  await expect(page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'List' })).toHaveAttribute('aria-pressed', 'true')
  const images = card(page, 'Cache product images')
  await expect(images.getByTestId('row-last-line')).toContainText('wrote thumbnails to public/thumbs')
  await expect(images.getByTestId('row-last-line')).not.toContainText('\u001b')
  await expect(images.locator('.card-diff')).toHaveAccessibleName('2 files changed, 6 added, 1 removed')
  await expect(card(page, 'Speed up search').locator('.card-diff')).toHaveAccessibleName('2 files changed, 18 added, 1 removed')
  await screenshotBothThemes(page, 'dashboard-list-30')

  // The agent's terminal tail stays live: new output replaces it without a reload.
  await client.request('pty/write', { ptyId: agentPty.id, data: "printf 'all 48 images cached\\n'\r" })
  await expect(images.getByTestId('row-last-line')).toContainText('all 48 images cached')

  await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: 'Cards' }).click()
  await expect(cards(page)).toHaveAttribute('data-layout', 'cards')
  await expect(images.getByTestId('card-last-line')).toContainText('all 48 images cached')
  await expect(images.getByTestId('card-last-line')).toContainText('Terminal')
  await screenshotBothThemes(page, 'dashboard-cards-30')
  expect(existsSync(join(made[0]!.worktreePath, 'feature-0.ts'))).toBe(true)
  expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('')
})
