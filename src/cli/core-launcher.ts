import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RpcClient } from '../shared/rpc-client'
import type { DataDir } from '../main/core/store/data-dir'
import { CliError, Exit } from './cli-error'
import { connectToRunningCore } from './connect'

/** How `skein` reaches a core when none is running. */
export interface LaunchOptions {
  dataDir: DataDir
  /** Start `skein serve` even when the desktop app could run. */
  headless: boolean
  /** Progress lines (stderr, so --json output stays clean). */
  say: (line: string) => void
  timeoutMs?: number
}

/** The desktop app's command line, when this machine has one and a display to show it on. */
export function desktopCommand(env: NodeJS.ProcessEnv = process.env): { command: string; args: string[] } | null {
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return null
  if (env.SKEIN_DESKTOP_COMMAND) return { command: env.SKEIN_DESKTOP_COMMAND, args: [] }
  // From a checkout: the Electron binary npm installed, running this package's built main process.
  const root = join(__dirname, '..', '..')
  try {
    const bin = join(
      root,
      'node_modules',
      'electron',
      'dist',
      readFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'utf8').trim()
    )
    if (existsSync(bin) && existsSync(join(root, 'out', 'main', 'index.js'))) return { command: bin, args: [root] }
  } catch {
    // no Electron here
  }
  return null
}

async function waitForCore(o: LaunchOptions, exited: () => string | null): Promise<RpcClient> {
  const deadline = Date.now() + (o.timeoutMs ?? 20_000)
  for (;;) {
    const client = await connectToRunningCore(o.dataDir)
    if (client) return client
    const why = exited()
    if (why) throw new CliError(why, Exit.coreUnreachable)
    if (Date.now() > deadline)
      throw new CliError(
        `Skein did not start within ${Math.round((o.timeoutMs ?? 20_000) / 1000)} s (no socket at ${o.dataDir.socketPath}). Start it yourself with \`skein serve\` and try again.`,
        Exit.coreUnreachable
      )
    await new Promise((r) => setTimeout(r, 150))
  }
}

/**
 * Connects to the core serving SKEIN_HOME, starting one first when none runs: the desktop app
 * where there is a display and an app, otherwise `skein serve` in the background.
 */
export async function ensureCore(o: LaunchOptions): Promise<RpcClient> {
  const running = await connectToRunningCore(o.dataDir)
  if (running) return running
  mkdirSync(join(o.dataDir.home, 'logs'), { recursive: true, mode: 0o700 })
  const logPath = join(o.dataDir.home, 'logs', 'core.log')
  const log = openSync(logPath, 'a', 0o600)
  const desktop = o.headless ? null : desktopCommand()
  const [command, args, what] = desktop
    ? [desktop.command, desktop.args, 'the Skein app']
    : [process.execPath, [process.argv[1]!, 'serve'], 'the headless Skein core (`skein serve`)']
  if (!o.headless && !desktop) o.say('No desktop app or display here; starting the headless core instead.')
  o.say(`Starting ${what}…`)
  let exit: string | null = null
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, SKEIN_HOME: o.dataDir.home } })
  child.on('error', (e) => (exit = `Could not start ${what}: ${e.message}`))
  child.on('exit', (code, signal) => {
    const tail = readFileSync(logPath, 'utf8').trim().split('\n').slice(-5).join('\n')
    exit = `${what} exited (${signal ?? `code ${code}`}) before it was ready.${tail ? `\n${tail}` : ''}\nFull log: ${logPath}`
  })
  child.unref()
  const client = await waitForCore(o, () => exit)
  o.say(`Skein is running (log: ${logPath}).`)
  return client
}
