import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const SERVE_JS = resolve(__dirname, '../../out/main/serve.js')

/** A real Skein core in browser mode, started as a child process. */
export interface CoreProcess {
  home: string
  port: number
  token: string
  /** The URL the core printed, token included. */
  url: string
  /** Stops the core: SIGKILL simulates a crash, SIGTERM a clean shutdown. */
  stop(signal?: NodeJS.Signals): Promise<void>
  /** Everything the core wrote to stdout and stderr, for failure messages. */
  output(): string
}

/** A fresh, empty SKEIN_HOME. */
export const tempHome = (): string => mkdtempSync(join(tmpdir(), 'skein-e2e-home-'))

/**
 * Starts `node out/main/serve.js` (with extra environment variables, e.g. SHELL for terminals) and resolves once it prints the URL it serves.
 * `token: null` sets no SKEIN_TOKEN, so the core uses the token it keeps in SKEIN_HOME.
 */
export async function startCore(
  opts: { home?: string; port?: number; token?: string | null; env?: Record<string, string> } = {}
): Promise<CoreProcess> {
  if (!existsSync(SERVE_JS)) throw new Error(`${SERVE_JS} is missing: run \`npx electron-vite build\` first.`)
  const home = opts.home ?? tempHome()
  const token = opts.token === null ? null : (opts.token ?? 'e2e-secret-token')
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, SKEIN_HOME: home }
  if (token === null) delete env.SKEIN_TOKEN
  else env.SKEIN_TOKEN = token
  const child: ChildProcess = spawn(process.execPath, [SERVE_JS, '--port', String(opts.port ?? 0)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  let stopping = false
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  // A core that dies on its own mid-test shows up as "Disconnected" in the page: say why, with what it printed.
  child.once('exit', (code, signal) => {
    if (!stopping)
      process.stderr.write(`\nSkein core ${child.pid} (${home}) exited unexpectedly: code ${code}, signal ${signal}\n${log.slice(-8000)}\n`)
  })
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`The core did not start within 20 s:\n${log}`)), 20_000)
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const match = /Skein is serving at (\S+)/.exec(log)
      if (match) {
        clearTimeout(timer)
        resolveUrl(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`The core exited with code ${code} before serving:\n${log}`))
    })
  })
  return {
    home,
    // Port 0 lets the core take a free port itself (no window for another process to take it first).
    port: Number(new URL(url).port),
    token: token ?? new URL(url).searchParams.get('token') ?? '',
    url,
    output: () => log,
    stop: async (signal = 'SIGTERM') => {
      stopping = true
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    }
  }
}
