import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { socketTransport } from '../../src/main/core/rpc/socket-transport'
import { DataDir } from '../../src/main/core/store/data-dir'
import { RpcClient } from '../../src/shared/rpc-client'
import { eventually } from './pty-client'

/** The built browser-mode entry: a real core process in its own OS process. */
export const SERVE = join(__dirname, '..', '..', 'out', 'main', 'serve.js')

const running: ChildProcess[] = []

/** For `beforeAll`: fails the file's tests at once, saying what to do, when serve.js has not been built. */
export function requireServeBuilt(): void {
  if (!existsSync(SERVE)) throw new Error(`${SERVE} is missing: run \`npm run build\` first.`)
}

/** For `afterEach`: SIGKILLs every core `startServedCore` started that still runs (a test that failed midway). */
export function killServedCores(): void {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
}

/** A core process started by `startServedCore`, with a CLI client on its socket. */
export interface ServedCore {
  client: RpcClient
  /** Everything it printed so far, stdout and stderr. */
  output: () => string
  /** kill -9: SIGKILLs the process, waits for it to exit, and drops the client. */
  kill9: () => Promise<void>
}

/** Starts serve.js on `home` (with `env` added to a bare environment), waits until it serves, and says hello over its socket. */
export async function startServedCore(home: string, env: Record<string, string> = {}): Promise<ServedCore> {
  const child = spawn(process.execPath, [SERVE, '--port', '0'], {
    env: { PATH: process.env.PATH!, HOME: home, SKEIN_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  running.push(child)
  let out = ''
  child.stdout!.on('data', (c) => (out += c))
  child.stderr!.on('data', (c) => (out += c))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  await eventually(() => /Skein is serving at/.test(out), 'the core to start')
  const client = new RpcClient(socketTransport(connect(new DataDir(home).socketPath)))
  await client.request('core/hello', { client: 'cli' })
  return {
    client,
    output: () => out,
    kill9: async () => {
      child.kill('SIGKILL')
      await exited
      client.dispose()
    }
  }
}
