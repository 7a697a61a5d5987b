// Main's side of the core process: starts it, answers its host calls, hands every page a port,
// and restarts it when it dies. Plain TypeScript over small interfaces, so Node tests drive it
// with a child process in place of Electron's utilityProcess.
import type { FromCore, HostCall, ToCore } from './core-process-protocol'
import { isFromCore } from './core-process-protocol'

/** A message port end as main holds it (Electron's MessagePortMain). */
export type PortEnd = object

/** The parts of Electron's UtilityProcess the supervisor uses. */
export interface CoreChild {
  readonly pid: number | undefined
  postMessage(message: ToCore, transfer?: PortEnd[]): void
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  kill(): boolean
}

/** One page that talks to the core (a window's webContents). */
export interface CorePage {
  readonly id: number
  isDestroyed(): boolean
  /** Hands the page its end of a fresh channel to the core. */
  sendPort(port: PortEnd): void
  /** Tells the page the core stopped, so it shows the banner until a new port arrives. */
  sendCoreStopped(): void
}

/** What main does for the core: safeStorage and the folder dialog. */
export interface MainHost {
  secrets: { backend: 'safeStorage' | 'plaintext'; encrypt(text: string): string; decrypt(data: string): string } | null
  pickFolder: ((title?: string) => Promise<string | null>) | null
}

/** What the supervisor needs from its surroundings. */
export interface SupervisorDeps {
  spawn(): CoreChild
  newChannel(): { port1: PortEnd; port2: PortEnd }
  host: MainHost
  /** `skein open` and friends asked to raise the window. */
  onFocus(): void
  log(message: string): void
  /** Waits before each restart in a row (ms); the last repeats. */
  restartDelays?: number[]
  /** A core that stays up this long (ms) resets the restart count. */
  stableAfterMs?: number
}

const DEFAULT_DELAYS = [250, 1000, 2000, 5000, 10_000]

/** Keeps one core process running and every page connected to it. */
export class CoreSupervisor {
  private child: CoreChild | null = null
  private ready = false
  private everReady = false
  private stopping = false
  private gaveUp = false
  private failures = 0
  private startedAt = 0
  private restartTimer: ReturnType<typeof setTimeout> | null = null
  private readonly pages = new Map<number, CorePage>()
  private firstStart: { resolve: () => void; reject: (e: Error) => void } | null = null
  private readonly closedWaiters: Array<() => void> = []
  private readonly readyListeners = new Set<(pid: number) => void>()

  constructor(private readonly deps: SupervisorDeps) {}

  /** Starts the core process; resolves once it serves, rejects with its reason if it cannot start. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstStart = { resolve, reject }
      this.launch()
    })
  }

  /** The running core's process id, or null while it is down. */
  get pid(): number | null {
    return this.ready ? (this.child?.pid ?? null) : null
  }

  /** Where the core stands: gave up (it never started), stopped (shut down), running, or (re)starting. */
  get state(): 'starting' | 'running' | 'restarting' | 'stopped' | 'failed' {
    if (this.gaveUp) return 'failed'
    if (this.stopping) return 'stopped'
    if (this.ready) return 'running'
    return this.everReady ? 'restarting' : 'starting'
  }

  /** Calls `listener` each time a core process (the first or a restarted one) is ready. */
  onReady(listener: (pid: number) => void): { dispose(): void } {
    this.readyListeners.add(listener)
    return { dispose: () => this.readyListeners.delete(listener) }
  }

  /** A page (re)loaded: give it a channel now, or as soon as the core is up. */
  attach(page: CorePage): void {
    this.pages.set(page.id, page)
    if (this.ready) this.handPort(page)
  }

  /** A page went away. */
  detach(pageId: number): void {
    this.pages.delete(pageId)
  }

  /** Asks the core to close (flushing its state), then ends the process if it has not left in time. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    this.stopping = true
    if (this.restartTimer) clearTimeout(this.restartTimer)
    const child = this.child
    if (!child) return
    const gone = new Promise<void>((resolve) => this.closedWaiters.push(resolve))
    child.postMessage({ type: 'shutdown' })
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)))
    if ((await Promise.race([gone, late])) === 'late') {
      this.deps.log(`The core did not close within ${timeoutMs} ms; ending it.`)
      child.kill()
    }
    clearTimeout(timer)
  }

  private launch(): void {
    this.ready = false
    this.startedAt = Date.now()
    const child = this.deps.spawn()
    this.child = child
    child.on('message', (message) => {
      if (this.child === child && isFromCore(message)) this.onMessage(child, message)
    })
    child.on('exit', (code) => {
      if (this.child === child) this.onExit(code)
    })
    child.postMessage({ type: 'init', secrets: this.deps.host.secrets?.backend ?? null, pickFolder: Boolean(this.deps.host.pickFolder) })
  }

  private onMessage(child: CoreChild, message: FromCore): void {
    switch (message.type) {
      case 'ready':
        this.ready = true
        this.everReady = true
        this.firstStart?.resolve()
        this.firstStart = null
        for (const page of this.pages.values()) this.handPort(page)
        for (const l of this.readyListeners) l(message.pid)
        return
      case 'failed':
        this.deps.log(`The core could not start: ${message.message}`)
        this.firstStart?.reject(new Error(message.message))
        this.firstStart = null
        return
      case 'host-call':
        void this.answer(message.call).then(
          (value) => child.postMessage({ type: 'host-reply', id: message.id, ok: true, value }),
          (e: unknown) =>
            child.postMessage({ type: 'host-reply', id: message.id, ok: false, message: e instanceof Error ? e.message : String(e) })
        )
        return
      case 'focus':
        this.deps.onFocus()
        return
      case 'closed':
        return
    }
  }

  private async answer(call: HostCall): Promise<string | null> {
    const { secrets, pickFolder } = this.deps.host
    if (call.method === 'pickFolder') {
      if (!pickFolder) throw new Error('This app has no folder picker.')
      return pickFolder(call.title)
    }
    if (!secrets) throw new Error('This system offers no secure storage.')
    return call.method === 'encrypt' ? secrets.encrypt(call.text) : secrets.decrypt(call.data)
  }

  private onExit(code: number): void {
    const wasReady = this.ready
    this.ready = false
    this.child = null
    for (const resolve of this.closedWaiters.splice(0)) resolve()
    if (this.stopping) return
    if (!this.everReady) {
      // It never came up: the app reports this once instead of restarting in a loop.
      this.gaveUp = true
      this.firstStart?.reject(new Error(`The core process exited (code ${code}) before it started.`))
      this.firstStart = null
      return
    }
    if (wasReady && Date.now() - this.startedAt >= (this.deps.stableAfterMs ?? 60_000)) this.failures = 0
    const delays = this.deps.restartDelays ?? DEFAULT_DELAYS
    const delay = delays[Math.min(this.failures, delays.length - 1)] ?? 0
    this.failures++
    this.deps.log(`The core process stopped (code ${code}); restarting in ${delay} ms.`)
    for (const [id, page] of this.pages) {
      if (page.isDestroyed()) this.pages.delete(id)
      else page.sendCoreStopped()
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null
      if (!this.stopping) this.launch()
    }, delay)
  }

  private handPort(page: CorePage): void {
    if (page.isDestroyed()) {
      this.pages.delete(page.id)
      return
    }
    const { port1, port2 } = this.deps.newChannel()
    this.child?.postMessage({ type: 'connect' }, [port1])
    page.sendPort(port2)
  }
}
