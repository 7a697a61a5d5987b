import { spawn } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startBrowserServer, type BrowserServer } from '../src/main/core/server/browser-server'
import { browserTokenFile, loadBrowserToken } from '../src/main/core/server/browser-token'
import { cleanupTemp, makeCore, tempDir, writeFile } from './helpers/fixtures'

const SERVE = join(__dirname, '..', 'out', 'main', 'serve.js')
let server: BrowserServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
  await cleanupTemp()
})

const mode = (p: string) => statSync(p).mode & 0o777

function get(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }))
    })
      .on('error', reject)
      .end()
  })
}

/** Runs the built `serve.js` on `home` until it prints its URL, then stops it; returns the URL. */
function serveOnce(home: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVE, '--port', '0'], {
      env: { PATH: process.env.PATH!, HOME: home, SKEIN_HOME: home, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', (c) => {
      out += c
      const m = /Skein is serving at (\S+)/.exec(out)
      if (m) {
        child.once('exit', () => resolve(m[1]!))
        child.kill('SIGTERM')
      }
    })
    child.stderr.on('data', (c) => (out += c))
    child.once('exit', (code) => !/serving at/.test(out) && reject(new Error(`serve exited ${code}: ${out}`)))
  })
}

describe('browser token kept across restarts', () => {
  it('is made once, stored 0600 in SKEIN_HOME, and read back after', async () => {
    const home = tempDir('skein-token-')
    const first = await loadBrowserToken(home, { env: {} })
    expect(first.source).toBe('new')
    expect(first.token.length).toBeGreaterThanOrEqual(24)
    expect(readFileSync(browserTokenFile(home), 'utf8').trim()).toBe(first.token)
    if (process.platform !== 'win32') expect(mode(browserTokenFile(home))).toBe(0o600)
    expect(await loadBrowserToken(home, { env: {} })).toEqual({ token: first.token, source: 'stored' })
  })

  it('lets SKEIN_TOKEN override the stored token without overwriting it; tightens a loose file; replaces a damaged one', async () => {
    const home = tempDir('skein-token-')
    const stored = (await loadBrowserToken(home, { env: {} })).token
    expect(await loadBrowserToken(home, { env: { SKEIN_TOKEN: 'from-the-env' } })).toEqual({ token: 'from-the-env', source: 'env' })
    expect(readFileSync(browserTokenFile(home), 'utf8').trim()).toBe(stored)
    if (process.platform !== 'win32') {
      chmodSync(browserTokenFile(home), 0o644)
      expect((await loadBrowserToken(home, { env: {} })).token).toBe(stored)
      expect(mode(browserTokenFile(home))).toBe(0o600)
    }
    writeFileSync(browserTokenFile(home), 'short')
    const replaced = await loadBrowserToken(home, { env: {} })
    expect(replaced.source).toBe('new')
    expect(replaced.token).not.toBe('short')
  })

  it('answers a request without the token, or with a wrong one, with an HTML page that says how to open Skein', async () => {
    const { core } = await makeCore()
    const rendererDir = tempDir('skein-ui-')
    writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Skein</title>')
    server = await startBrowserServer({ core, rendererDir, token: 'the-right-token-0123456789', port: 0 })
    const base = `http://127.0.0.1:${server.port}`
    for (const url of [`${base}/`, `${base}/?token=wrong`, `${base}/assets/app.js`]) {
      const r = await get(url)
      expect(r.status).toBe(401)
      expect(r.type).toMatch(/^text\/html/)
      expect(r.body).toMatch(/<html/)
      expect(r.body).toContain('skein open')
      expect(r.body).toContain('npm run serve')
      expect(r.body).not.toContain('the-right-token')
    }
    expect((await get(server.url)).status).toBe(200)
  })

  it.skipIf(!existsSync(SERVE))(
    'a real `serve` prints the same token after a restart; SKEIN_TOKEN still wins',
    async () => {
      const home = tempDir('skein-serve-token-')
      const first = new URL(await serveOnce(home)).searchParams.get('token')
      const second = new URL(await serveOnce(home)).searchParams.get('token')
      expect(first).toBeTruthy()
      expect(second).toBe(first)
      if (process.platform !== 'win32') expect(mode(browserTokenFile(home))).toBe(0o600)
      expect(new URL(await serveOnce(home, { SKEIN_TOKEN: 'env-token-abc' })).searchParams.get('token')).toBe('env-token-abc')
    },
    60_000
  )
})
