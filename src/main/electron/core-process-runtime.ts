// The core's side of the desktop app: runs inside Electron's utility process (or, in tests, any
// process that offers a parent port). Plain Node: it never imports electron.
import { createCore, type Core } from '../core/core'
import type { Logger } from '../core/logger'
import { mainPortTransport, type MainMessagePort } from '../core/rpc/main-port-transport'
import type { CoreHost } from '../core/rpc/handlers'
import { isToCore, type FromCore, type HostCall, type ToCore } from './core-process-protocol'

/** The parts of Electron's `process.parentPort` the core process uses. */
export interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown; ports: MainMessagePort[] }) => void): unknown
  postMessage(message: FromCore): void
}

/** How to start the core process; tests pass a home and a logger, Electron passes nothing. */
export interface CoreProcessOptions {
  home?: string
  logger?: Logger
  /** Ends the process; a test harness may replace it. */
  exit?: (code: number) => void
}

/** Answers host calls (secrets, folder picker) by asking main over the parent port. */
function hostOverPort(
  parent: ParentPortLike,
  init: Extract<ToCore, { type: 'init' }>
): { host: CoreHost; settle(reply: Extract<ToCore, { type: 'host-reply' }>): void } {
  let nextId = 1
  const pending = new Map<number, { resolve: (v: string | null) => void; reject: (e: Error) => void }>()
  const call = (c: HostCall): Promise<string | null> =>
    new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      parent.postMessage({ type: 'host-call', id, call: c })
    })
  const text = async (c: HostCall): Promise<string> => {
    const value = await call(c)
    if (typeof value !== 'string') throw new Error('The app did not return the protected text.')
    return value
  }
  const host: CoreHost = {
    secrets: init.secrets
      ? {
          backend: init.secrets,
          encrypt: (t) => text({ method: 'encrypt', text: t }),
          decrypt: (d) => text({ method: 'decrypt', data: d })
        }
      : undefined,
    pickFolder: init.pickFolder ? (title) => call({ method: 'pickFolder', title }) : undefined
  }
  return {
    host,
    settle(reply) {
      const waiter = pending.get(reply.id)
      if (!waiter) return
      pending.delete(reply.id)
      if (reply.ok) waiter.resolve(reply.value)
      else waiter.reject(new Error(reply.message))
    }
  }
}

/**
 * Runs the core for the desktop app: waits for `init`, starts the core, serves each page on the
 * MessagePort main hands over, forwards `app/focus` to main, and closes cleanly on `shutdown`.
 */
export function startCoreProcess(parent: ParentPortLike, options: CoreProcessOptions = {}): void {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  let core: Core | null = null
  let bridge: ReturnType<typeof hostOverPort> | null = null
  // Pages that connect while the core is still starting are served once it is up.
  const waiting: MainMessagePort[] = []
  const serve = (c: Core, port: MainMessagePort) => c.connect(mainPortTransport(port))

  const boot = async (init: Extract<ToCore, { type: 'init' }>) => {
    bridge = hostOverPort(parent, init)
    try {
      const c = await createCore({ home: options.home, logger: options.logger, host: bridge.host })
      core = c
      c.bus.subscribe((name) => {
        if (name === 'app/focus') parent.postMessage({ type: 'focus' })
      })
      for (const port of waiting.splice(0)) serve(c, port)
      parent.postMessage({ type: 'ready', pid: process.pid })
    } catch (e) {
      parent.postMessage({ type: 'failed', message: (e as Error).message })
      exit(1)
    }
  }

  parent.on('message', (e) => {
    const msg = e.data
    if (!isToCore(msg)) return
    switch (msg.type) {
      case 'init':
        if (!bridge) void boot(msg)
        return
      case 'connect': {
        const port = e.ports[0]
        if (!port) return
        if (core) serve(core, port)
        else waiting.push(port)
        return
      }
      case 'host-reply':
        bridge?.settle(msg)
        return
      case 'shutdown':
        void (core ? core.close() : Promise.resolve()).finally(() => {
          parent.postMessage({ type: 'closed' })
          exit(0)
        })
    }
  })
}
