// `npm start` on a machine where Electron's binary cannot be downloaded: one clear paragraph, exit 1,
// no stack trace. ELECTRON_OVERRIDE_DIST_PATH points Electron at an empty folder, so these run the
// same way where a binary was already downloaded (CI), and never launch Electron.
import { spawn } from 'node:child_process'
import { lookup } from 'node:dns/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanupTemp, tempDir } from './helpers/fixtures'

const ROOT = resolve(__dirname, '..')

function npmStart(extra: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ELECTRON_OVERRIDE_DIST_PATH: tempDir('skein-no-electron-'),
    electron_config_cache: tempDir('skein-electron-cache-'),
    ...extra
  }
  for (const name of [
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'NO_PROXY',
    'no_proxy',
    'ELECTRON_MIRROR',
    'ELECTRON_GET_USE_PROXY'
  ]) {
    if (!(name in extra)) delete env[name]
  }
  return new Promise((done) => {
    const child = spawn('npm', ['start'], { cwd: ROOT, env, shell: process.platform === 'win32' })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    // A ceiling for a hang, not an expected duration: every case here fails within seconds.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, output })
    })
  })
}

function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler)
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () => ready({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }))
  )
}

function expectClearFailure(result: { code: number | null; output: string }, cause: RegExp): void {
  expect(result.code, result.output).toBe(1)
  expect(result.output).toMatch(/Skein could not start: Electron's binary is not installed and downloading it failed/)
  expect(result.output).toMatch(cause)
  expect(result.output).toContain('npm run serve')
  expect(result.output).not.toMatch(/^ {4}at /m)
  expect(result.output).not.toContain('Electron uninstall')
  if (Number(process.versions.node.split('.')[0]) < 22) expect(result.output).toContain('wants Node 22.12 or newer')
}

const servers: Server[] = []
afterAll(async () => {
  for (const s of servers) s.close()
  await cleanupTemp()
})

const offline = await lookup('github.com').then(
  () => false,
  () => true
)

describe("npm start without Electron's binary", () => {
  it.skipIf(!offline)('on a machine with no route to GitHub it says so and what to do', async () => {
    const result = await npmStart({})
    expectClearFailure(result, /cannot resolve github\.com|no route|timed out/)
    expect(result.output).toMatch(/set HTTPS_PROXY/)
  })

  it('names the mirror when ELECTRON_MIRROR refuses the download', async () => {
    const mirror = await serve((_req, res) => {
      res.statusCode = 403
      res.end('blocked')
    })
    servers.push(mirror.server)
    const result = await npmStart({ ELECTRON_MIRROR: mirror.url })
    expectClearFailure(result, /Response code 403/)
    expect(result.output).toContain(`check the mirror in ELECTRON_MIRROR (${mirror.url})`)
  })

  it('gives up on a server that never answers instead of hanging', async () => {
    const silent = await serve(() => undefined)
    servers.push(silent.server)
    expectClearFailure(
      await npmStart({ ELECTRON_MIRROR: silent.url, SKEIN_ELECTRON_STALL_MS: '1500' }),
      /no data from the download server for 2 s/
    )
  })

  it('names the proxy when HTTPS_PROXY cannot be reached', async () => {
    const closed = await serve(() => undefined)
    const address = closed.url
    await new Promise((r) => closed.server.close(r))
    const result = await npmStart({ HTTPS_PROXY: address, HTTP_PROXY: address })
    expectClearFailure(result, /connection refused/)
    expect(result.output).toContain(`Check the proxy in HTTPS_PROXY (${address})`)
  })
})
