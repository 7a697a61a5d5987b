import { expect, test } from '@playwright/test'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isPortFree } from '../src/main/core/ports/port-probe'
import { connectClient, threadNamed } from './support/core-client'
import { startCore, tempHome, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { addRepository, createThread, screenshotBothThemes } from './support/skein-page'
import { expectTerminalText, prepareTerminalPage, shellEnv } from './support/terminal-page'

let core: CoreProcess | null = null
const cores: CoreProcess[] = []
test.afterEach(async () => {
  await core?.stop('SIGTERM')
  await Promise.all(cores.splice(0).map((c) => c.stop('SIGTERM')))
})

// A dev server with a helper process, that prints where it listens the way Vite does.
const SERVER = `
const http = require('http')
const { spawn } = require('child_process')
const fs = require('fs')
const helper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
http.createServer((req, res) => res.end('hello from the dev server of ' + process.env.SKEIN_THREAD_ID)).listen(+process.env.PORT, () => {
  fs.writeFileSync('pids.json', JSON.stringify([process.pid, helper.pid]))
  console.log('\\n  VITE v5.4.0  ready in 212 ms\\n\\n  \\x1b[32m➜\\x1b[0m  Local:   \\x1b[36mhttp://localhost:\\x1b[1m' + process.env.PORT + '\\x1b[22m/\\x1b[0m')
})
`

const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

test('a thread shows its ports, runs its dev server from the Overview, opens its URL in the browser, shows its output and stops it', async ({
  page
}) => {
  core = await startCore({ env: shellEnv() })
  await prepareTerminalPage(page)
  const repo = makeGitRepo('web-app')
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'web-app', title: 'Landing page' })
  const thread = await threadNamed(core, 'Landing page')
  writeFileSync(join(thread.worktreePath, 'server.js'), SERVER)

  const card = page.getByRole('region', { name: 'Dev server and ports' })
  await test.step("the Overview shows the thread's port range", async () => {
    await page.getByRole('tab', { name: 'Overview' }).click()
    await expect(card.getByTestId('run-ports')).toHaveText(/^\d+–\d+$/)
    const [from, to] = (await card.getByTestId('run-ports').innerText()).split('–').map(Number)
    expect(to! - from!).toBe(9)
    await expect(card).toContainText(`PORT=${from} · SKEIN_PORT_0…SKEIN_PORT_9`)
    await expect(card).toContainText('None yet')
  })

  await test.step('sets the run command', async () => {
    await card.getByRole('button', { name: 'Set one' }).click()
    await card.getByLabel('Run command').fill('node server.js')
    await screenshotBothThemes(page, 'run-command-form')
    await card.getByRole('button', { name: 'Save' }).click()
    await expect(card.getByTestId('run-command')).toHaveText('node server.js')
    await expect(card.getByTestId('run-state')).toHaveText('Not started')
    await expect(page.locator('.thread-header').getByRole('button', { name: 'Run' })).toBeVisible()
  })

  const port = Number((await card.getByTestId('run-ports').innerText()).split('–')[0])
  const url = `http://localhost:${port}/`
  await test.step('runs it: the state turns Running and the URL it printed shows', async () => {
    await card.getByRole('button', { name: 'Run dev server' }).click()
    await expect(card.getByTestId('run-state')).toHaveText('Running')
    await expect(card.getByTestId('run-url')).toHaveAttribute('href', url)
    await expect(page.locator('.thread-header').getByTestId('run-url')).toHaveText(`localhost:${port}`)
    await screenshotBothThemes(page, 'run-overview')
  })

  await test.step('clicking the URL opens the dev server in a new browser page', async () => {
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('.thread-header').getByTestId('run-url').click()])
    await popup.waitForLoadState()
    expect(popup.url()).toBe(url)
    await expect(popup.locator('body')).toHaveText(`hello from the dev server of ${thread.id}`)
    await popup.close()
  })

  await test.step('its output is in the Run terminal', async () => {
    await card.getByRole('button', { name: 'Show output' }).click()
    await expect(page.getByRole('tab', { name: 'Run', exact: true })).toHaveAttribute('aria-selected', 'true')
    await expectTerminalText(page, `Local:   http://localhost:${port}/`)
    await screenshotBothThemes(page, 'run-terminal')
  })

  await test.step('Stop in the header ends the server and its helper, and frees its port', async () => {
    const pids = JSON.parse(readFileSync(join(thread.worktreePath, 'pids.json'), 'utf8')) as number[]
    expect(pids.every(alive)).toBe(true)
    await page.locator('.thread-header').getByRole('button', { name: 'Stop' }).click()
    await expect(page.locator('.thread-header').getByRole('button', { name: 'Run' })).toBeVisible()
    await expect(page.getByRole('tab', { name: 'Run, stopped' })).toBeVisible()
    await expect.poll(() => pids.filter(alive)).toEqual([])
    expect(await isPortFree(port)).toBe(true)
    await page.getByRole('tab', { name: 'Overview' }).click()
    await expect(card.getByTestId('run-state')).toHaveText('Stopped')
  })

  await test.step('Settings sets how many ports new threads get; a new thread gets that many, apart from the first', async () => {
    await page.getByRole('button', { name: 'Settings' }).click()
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await expect(dialog.getByLabel('Ports per thread')).toHaveValue('10')
    await dialog.getByLabel('Ports per thread').fill('4')
    await dialog.getByRole('group', { name: 'Ports', exact: true }).getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByRole('alert').or(page.getByRole('status')).filter({ hasText: 'New threads get 4 ports' })).toBeVisible()
    await screenshotBothThemes(page, 'run-settings-ports')
    await dialog.getByRole('button', { name: 'Close', exact: true }).click()
    await createThread(page, { via: 'sidebar-button', repo: 'web-app', title: 'Pricing page' })
    await page.getByRole('tab', { name: 'Overview' }).click()
    await expect(card.getByTestId('run-ports')).toHaveText(/^\d+–\d+$/)
    const [from, to] = (await card.getByTestId('run-ports').innerText()).split('–').map(Number)
    expect(to! - from!).toBe(3)
    expect(from! > port + 9 || to! < port).toBe(true)
    await expect(card).toContainText(`PORT=${from} · SKEIN_PORT_0…SKEIN_PORT_3`)
  })
})

test('a dev server running when Skein quits is ended with everything it started; after the restart the thread shows Run again, and it runs', async ({
  page
}) => {
  const home = tempHome()
  const env = shellEnv()
  const first = await startCore({ home, env })
  cores.push(first)
  await prepareTerminalPage(page)
  const repo = makeGitRepo('api-server')
  await page.goto(first.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'api-server', title: 'Rate limits' })
  const thread = await threadNamed(first, 'Rate limits')
  writeFileSync(join(thread.worktreePath, 'server.js'), SERVER)
  const client = await connectClient(first)
  await client.request('run/configure', { repoId: thread.repoId, config: { command: 'node server.js', url: 'http://127.0.0.1:${PORT}/' } })
  client.dispose()

  const header = page.locator('.thread-header')
  // The configuration was set from outside: the header learns it when the page loads again.
  await page.reload()
  await header.getByRole('button', { name: 'Run' }).click()
  await expect(header.getByTestId('run-url')).toHaveText(/^127\.0\.0\.1:\d+$/)
  await expect.poll(() => existsSync(join(thread.worktreePath, 'pids.json')), { message: 'the server wrote its pids' }).toBe(true)
  const pids = JSON.parse(readFileSync(join(thread.worktreePath, 'pids.json'), 'utf8')) as number[]

  await first.stop('SIGTERM')
  await expect(page.getByRole('alert').filter({ hasText: 'reconnecting' })).toBeVisible()
  expect(pids.filter(alive)).toEqual([])
  const second = await startCore({ home, env, port: first.port, token: first.token })
  cores.push(second)
  await expect(page.getByRole('alert').filter({ hasText: 'reconnecting' })).toBeHidden()
  await expect(header.getByRole('button', { name: 'Run' })).toBeVisible()
  await expect(header.getByRole('button', { name: 'Stop' })).toHaveCount(0)
  await page.getByRole('tab', { name: 'Overview' }).click()
  await expect(page.getByRole('region', { name: 'Dev server and ports' }).getByTestId('run-state')).toHaveText('Stopped')

  await header.getByRole('button', { name: 'Run' }).click()
  const link = header.getByTestId('run-url')
  await expect(link).toBeVisible()
  const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()])
  await expect(popup.locator('body')).toHaveText(`hello from the dev server of ${thread.id}`)
  await popup.close()
  await header.getByRole('button', { name: 'Stop' }).click()
  await expect(header.getByRole('button', { name: 'Run' })).toBeVisible()
})
