import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { DataDir } from '../src/main/core/store/data-dir'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { RpcClient } from '../src/shared/rpc-client'
import { tempHome } from './support/core-process'

/** Finds Electron's downloaded binary, or explains why there is none. */
function electronBinary(): { path: string } | { missing: string } {
  let entry: string
  try {
    entry = require.resolve('electron')
  } catch {
    return { missing: 'the electron package is not installed' }
  }
  const pathTxt = join(dirname(entry), 'path.txt')
  if (!existsSync(pathTxt)) {
    return {
      missing: `Electron's binary was never downloaded (${pathTxt} does not exist; \`node scripts/ensure-electron.mjs\` fetches it where Electron's downloads are reachable)`
    }
  }
  const binary = join(dirname(entry), 'dist', readFileSync(pathTxt, 'utf8').trim())
  if (!existsSync(binary)) return { missing: `Electron's binary is missing at ${binary}` }
  return { path: binary }
}

const MAIN = resolve(__dirname, '../out/main/index.js')

/** The core's process id, asked the way the CLI asks: over SKEIN_HOME's socket. */
async function corePid(home: string): Promise<number> {
  const socket = connect(new DataDir(home).socketPath)
  await new Promise<void>((ready, fail) => socket.once('connect', ready).once('error', fail))
  const client = new RpcClient(socketTransport(socket))
  try {
    return (await client.request('core/hello', { client: 'cli' })).pid
  } finally {
    client.dispose()
  }
}

/** What kind of process Electron says `pid` is ('Browser' is main, 'Utility' a utility process). */
async function processType(app: ElectronApplication, pid: number): Promise<string | undefined> {
  return app.evaluate(({ app: a }, p) => a.getAppMetrics().find((m) => m.pid === p)?.type, pid)
}

test('the Electron app runs its core in a utility process and brings it back after a crash', async () => {
  const found = electronBinary()
  test.skip('missing' in found, `Skipped: ${'missing' in found ? found.missing : ''}.`)
  if (!('path' in found)) return
  expect(existsSync(MAIN), `${MAIN} is missing: run \`npx electron-vite build\` first`).toBe(true)

  const home = tempHome()
  const app = await electron.launch({
    executablePath: found.path,
    args: process.platform === 'linux' ? ['--no-sandbox', MAIN] : [MAIN],
    env: { ...process.env, SKEIN_HOME: home }
  })
  try {
    const window = await app.firstWindow()
    const sidebar = window.getByRole('navigation', { name: 'Sidebar' })
    await expect(sidebar).toBeVisible({ timeout: 20_000 })
    await expect(sidebar.getByText('Add a repository to get started')).toBeVisible()
    await expect(window.getByText('Disconnected from the Skein core')).toHaveCount(0)

    // The core is not Electron's main process: it is a utility process of its own.
    const mainPid = await app.evaluate(() => process.pid)
    const first = await corePid(home)
    expect(first).not.toBe(mainPid)
    expect(await processType(app, first)).toBe('Utility')

    // A crash of the core leaves the window up: it says so, and the core comes back.
    process.kill(first, 'SIGKILL')
    await expect(window.getByText("Skein's core stopped; restarting…")).toBeVisible()
    await expect(window.getByRole('alert').filter({ hasText: 'core stopped' })).toHaveCount(0)
    await expect(sidebar.getByText('Add a repository to get started')).toBeVisible()
    let second = first
    await expect.poll(async () => (second = await corePid(home).catch(() => first))).not.toBe(first)
    expect(second).not.toBe(mainPid)
    expect(await processType(app, second)).toBe('Utility')
  } finally {
    await app.close()
  }
})
