import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
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
    return { missing: `Electron's binary was never downloaded (${pathTxt} does not exist; machines without internet cannot fetch it)` }
  }
  const binary = join(dirname(entry), 'dist', readFileSync(pathTxt, 'utf8').trim())
  if (!existsSync(binary)) return { missing: `Electron's binary is missing at ${binary}` }
  return { path: binary }
}

const MAIN = resolve(__dirname, '../out/main/index.js')

test('the Electron app opens a window that shows the sidebar', async () => {
  const found = electronBinary()
  test.skip('missing' in found, `Skipped: ${'missing' in found ? found.missing : ''}.`)
  if (!('path' in found)) return
  expect(existsSync(MAIN), `${MAIN} is missing: run \`npx electron-vite build\` first`).toBe(true)

  const app = await electron.launch({
    executablePath: found.path,
    args: process.platform === 'linux' ? ['--no-sandbox', MAIN] : [MAIN],
    env: { ...process.env, SKEIN_HOME: tempHome() }
  })
  try {
    const window = await app.firstWindow()
    await expect(window.getByRole('navigation', { name: 'Sidebar' })).toBeVisible({ timeout: 20_000 })
    await expect(window.getByRole('navigation', { name: 'Sidebar' }).getByText('Add a repository to get started')).toBeVisible()
    await expect(window.getByText('Disconnected from the Skein core')).toHaveCount(0)
  } finally {
    await app.close()
  }
})
