// The desktop app's core process, driven the way Electron's main drives it, with a Node child
// process in place of utilityProcess (Electron cannot run here): the page talks to the core over a
// MessagePort, the core runs in its own process, secrets go through main, and a killed core comes
// back with a new port for the page.
import { fork, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join, resolve } from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import type { MessageTransport } from '../src/shared/jsonrpc'
import { RpcClient } from '../src/shared/rpc-client'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { CoreSupervisor, type CoreChild, type CorePage, type MainHost, type PortEnd } from '../src/main/electron/core-supervisor'
import type { ToCore } from '../src/main/electron/core-process-protocol'
import { cleanupTemp, makeRepo, tempDir } from './helpers/fixtures'

const CHILD = resolve(__dirname, 'helpers/core-child.ts')

/** Electron's UtilityProcess, played by a child process; ports cross over IPC (see helpers/core-child.ts). */
class ChildCore extends EventEmitter implements CoreChild {
  private readonly proc: ChildProcess
  private readonly ports = new Map<number, MessagePort>()
  private nextPort = 1

  constructor(home: string) {
    super()
    this.proc = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, SKEIN_HOME: home },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    this.proc.on('message', (m: { bridge: string; message?: unknown; portId?: number; data?: unknown }) => {
      if (m.bridge === 'msg') this.emit('message', m.message)
      else if (m.bridge === 'data') this.ports.get(m.portId!)?.postMessage(m.data)
      else if (m.bridge === 'close') this.closePort(m.portId!)
    })
    this.proc.on('exit', (code, signal) => {
      for (const id of [...this.ports.keys()]) this.closePort(id)
      this.emit('exit', code ?? (signal ? 1 : 0))
    })
  }

  get pid(): number | undefined {
    return this.proc.pid
  }

  postMessage(message: ToCore, transfer: PortEnd[] = []): void {
    const portIds = (transfer as MessagePort[]).map((port) => {
      const id = this.nextPort++
      this.ports.set(id, port)
      port.on('message', (data) => this.proc.connected && this.proc.send({ bridge: 'data', portId: id, data }))
      return id
    })
    if (this.proc.connected) this.proc.send({ bridge: 'msg', message, portIds })
  }

  kill(): boolean {
    return this.proc.kill('SIGKILL')
  }

  private closePort(id: number): void {
    this.ports.get(id)?.close()
    this.ports.delete(id)
  }
}

/** A page: keeps the newest port it was handed and counts "core stopped" signals. */
class FakePage implements CorePage {
  readonly id = 1
  port: MessagePort | null = null
  stopped = 0
  isDestroyed = () => false
  sendPort(port: PortEnd): void {
    this.port = port as MessagePort
  }
  sendCoreStopped(): void {
    this.stopped++
  }
}

function portClient(port: MessagePort): RpcClient {
  const closes = new Set<() => void>()
  port.on('close', () => closes.forEach((l) => l()))
  const transport: MessageTransport = {
    send: (text) => port.postMessage(text),
    onMessage: (l) => {
      const h = (d: unknown) => l(String(d))
      port.on('message', h)
      return { dispose: () => port.off('message', h) }
    },
    onClose: (l) => {
      closes.add(l)
      return { dispose: () => closes.delete(l) }
    },
    close: () => port.close()
  }
  return new RpcClient(transport)
}

async function socketClient(path: string): Promise<RpcClient> {
  const socket = connect(path)
  await new Promise<void>((ready, fail) => socket.once('connect', ready).once('error', fail))
  return new RpcClient(socketTransport(socket))
}

/** Waits for a condition, polling; the vitest timeout is the ceiling. */
async function until<T>(probe: () => T | null | undefined | false): Promise<T> {
  for (;;) {
    const value = probe()
    if (value) return value
    await new Promise((r) => setTimeout(r, 20))
  }
}

const host: MainHost = {
  secrets: {
    backend: 'safeStorage',
    encrypt: (t) => `sealed:${Buffer.from(t).toString('base64')}`,
    decrypt: (d) => Buffer.from(d.replace(/^sealed:/, ''), 'base64').toString()
  },
  pickFolder: async () => '/picked/by/main'
}

let supervisor: CoreSupervisor | null = null
const clients: RpcClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose()
  await supervisor?.shutdown(10_000)
  supervisor = null
  await cleanupTemp()
})

function startSupervisor(
  home: string,
  log: string[] = []
): { supervisor: CoreSupervisor; children: ChildCore[]; focus: { count: number } } {
  const children: ChildCore[] = []
  const focus = { count: 0 }
  supervisor = new CoreSupervisor({
    spawn: () => {
      const child = new ChildCore(home)
      children.push(child)
      return child
    },
    newChannel: () => new MessageChannel(),
    host,
    onFocus: () => focus.count++,
    log: (m) => log.push(m),
    restartDelays: [50]
  })
  return { supervisor, children, focus }
}

describe('the core process of the desktop app', () => {
  it('serves the page over a MessagePort from its own process, uses main for secrets, and comes back after a kill', async () => {
    const home = tempDir('skein-home-')
    const { supervisor: sup, children, focus } = startSupervisor(home)
    await sup.start()
    const page = new FakePage()
    sup.attach(page)
    const first = await until(() => page.port)
    const client = portClient(first)
    clients.push(client)

    const hello = await client.request('core/hello', { client: 'ui' })
    expect(hello.pid).toBe(children[0]!.pid)
    expect(hello.pid).not.toBe(process.pid)
    expect(hello.capabilities.pickFolder).toBe(true)
    expect(await client.request('dialog/pickFolder', {})).toEqual({ path: '/picked/by/main' })

    // The key is sealed by main's safeStorage stand-in, never by the core process itself.
    await client.request('settings/setApiKey', { apiKey: 'sk-ant-test-key' })
    expect(readFileSync(join(home, 'secrets.json'), 'utf8')).toContain('sealed:')
    const repo = makeRepo('kept')
    await client.request('repo/add', { path: repo })

    // The CLI (and browser mode) reach the same core over SKEIN_HOME/skein.sock.
    const cli = await socketClient(join(home, 'skein.sock'))
    clients.push(cli)
    expect((await cli.request('core/hello', { client: 'cli' })).pid).toBe(hello.pid)
    await cli.request('app/focus', {})
    await until(() => focus.count > 0)

    process.kill(hello.pid, 'SIGKILL')
    await until(() => page.stopped === 1)
    const second = await until(() => page.port !== first && page.port)
    const again = portClient(second)
    clients.push(again)
    const after = await again.request('core/hello', { client: 'ui' })
    expect(after.pid).toBe(children[1]!.pid)
    expect(after.pid).not.toBe(hello.pid)
    expect(sup.pid).toBe(after.pid)
    // Everything the first core knew is there, and the stored key is decrypted through main again.
    expect((await again.request('repo/list', {})).repos.map((r) => r.name)).toContain('kept')
    expect((await again.request('settings/get', {})).apiKey.source).toBe('stored')
  })

  it('closes the core on shutdown, without a restart', async () => {
    const home = tempDir('skein-home-')
    const { supervisor: sup, children } = startSupervisor(home)
    await sup.start()
    const exited = new Promise<number>((r) => children[0]!.once('exit', r))
    await sup.shutdown(10_000)
    expect(await exited).toBe(0)
    expect(existsSync(join(home, 'skein.sock'))).toBe(false)
    expect(sup.state).toBe('stopped')
    expect(children).toHaveLength(1)
    supervisor = null
  })

  it('reports a core that cannot start, once, instead of restarting it', async () => {
    const home = join(tempDir('skein-parent-'), 'not-a-folder')
    writeFileSync(home, 'a file where SKEIN_HOME should be')
    const { supervisor: sup, children } = startSupervisor(home)
    const starting = sup.start()
    const exited = new Promise<number>((r) => children[0]!.once('exit', r))
    await expect(starting).rejects.toThrow(/EEXIST|ENOTDIR|exists|not a directory/i)
    expect(await exited).toBe(1)
    expect(sup.state).toBe('failed')
    expect(children).toHaveLength(1)
    supervisor = null
  })
})
