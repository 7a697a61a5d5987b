import { appError, ErrorCode } from '../../../shared/errors'
import type { Disposable } from '../../../shared/jsonrpc'
import type { AgentState, PtyInfo, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { agentStateOf, CliSessionTracker } from '../agents/cli-session'
import type { ProfileService } from '../agents/profile-service'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { Connection } from '../rpc/rpc-server'
import type { SandboxService } from '../sandbox/sandbox-service'
import type { SandboxLevel } from '../sandbox/sandbox-types'
import { ActivityTracker, QUIET_MS } from './activity-tracker'
import { PortRanges } from '../ports/port-ranges'
import { PtyContainment } from './pty-containment'
import type { PtyRecords } from './pty-records'
import { diedOnStart, labelOf, sandboxKey } from './pty-commands'
import { PtySession } from './pty-session'
import { sessionEndedMarker, type PtyStore } from './pty-store'
import { PlumbingFilter } from './plumbing-filter'
import { DEFAULT_SCROLLBACK_CHARS } from './scrollback'
import { terminalEnv } from './terminal-env'
import { launchCommand, launchFolder, type OpenPtyOptions } from './launch-plan'

export type { OpenPtyOptions } from './launch-plan'

/** What the host needs from the rest of the core. */
export interface PtyHostDeps {
  store: PtyStore
  profiles: ProfileService
  bus: NotificationBus
  logger: Logger
  thread(id: string): Thread | undefined
  scrollbackChars?: number
  /** Each thread's port range; without it, ranges are kept in memory only. */
  ports?: PortRanges
  /** Wraps sandboxed terminals; without it, a sandboxed terminal is refused. */
  sandbox?: SandboxService
  /** Where each running pty's run record goes, for the next start to clean up after a crash. */
  records?: PtyRecords
}

interface Live {
  session: PtySession
  attached: Map<string, { connection: Connection; closeSub: Disposable }>
  activity: ActivityTracker | null
  taps: Set<(text: string) => void>
  /** Which sandbox it runs in (level and network), so the agent reuses a shell only under the same rules. */
  sandboxKey: string | null
  /** Cleans up after the sandbox (its private temp folder) once the session ends. */
  onEnd: (() => Promise<void>) | null
  /** A CLI agent's own session (Claude Code, Codex), known from its launch or found later. */
  cli: CliSessionTracker | null
}

/** The title of the shell the built-in agent runs its commands in. */
export const AGENT_SHELL_TITLE = 'Agent shell'

// Live scrollback is saved this often (and in full on exit and quit).
const SCROLLBACK_SAVE_MS = 3000
/** An agent that fails this soon after starting, before ever waiting for input, is reported as an error. */
const DIED_ON_START_MS = 3000

/** Pty ids carry their thread's id, so an ended session can be found on disk by id alone. */
const newPtyId = (threadId: string): string => `${threadId}.p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
const threadOfPty = (ptyId: string): string | null => (/^[A-Za-z0-9_-]+\.p[a-z0-9]+$/.test(ptyId) ? ptyId.split('.')[0]! : null)

/**
 * Every terminal of every thread: spawns them in the thread's worktree with its own PORT,
 * streams output to attached clients under flow control, keeps and saves scrollback, and
 * kills whole process trees on close, archive and quit.
 */
export class PtyHost {
  private readonly live = new Map<string, Live>()
  private readonly ports: PortRanges
  /** The records an exiting pty is still writing; close() waits for them before removing them. */
  private readonly exitSaved = new Map<string, Promise<void>>()
  private readonly saveTimer: NodeJS.Timeout
  private disposed = false
  /** How every pty's processes are held together (a cgroup each, or the process-tree fallback). */
  private readonly containment: PtyContainment
  /** Sessions whose own process exited while background jobs it started may still run; ended on close, archive and quit. */
  private readonly lingering = new Map<string, PtySession>()
  private readonly agentListeners = new Set<(threadId: string, agent: AgentState, failure?: string) => void>()

  constructor(private readonly deps: PtyHostDeps) {
    this.containment = PtyContainment.detect(deps.records ?? null, deps.logger)
    this.ports = deps.ports ?? PortRanges.memory()
    this.saveTimer = setInterval(() => void this.saveDirtyScrollbacks(), SCROLLBACK_SAVE_MS)
    this.saveTimer.unref()
  }

  /** Opens an agent session or a shell in a thread. An agent that is already running is returned as is. */
  async open(threadId: string, o: OpenPtyOptions): Promise<Result<PtyInfo>> {
    if (this.disposed) return err(appError(ErrorCode.PtySpawnFailed, 'Skein is shutting down.'))
    const thread = this.deps.thread(threadId)
    if (!thread) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const folder = launchFolder(thread, o)
    if (!folder.ok) return folder
    const cwd = folder.value
    if (o.kind === 'agent') {
      const running = [...this.live.values()].find(
        (l) => l.session.info.threadId === threadId && l.session.info.kind === 'agent' && l.session.running
      )
      if (running) return ok(running.session.info)
    }
    const planned = await launchCommand(this.deps, thread, o)
    if (!planned.ok) return planned
    const { profileId, display, command, sandboxEnv, onEnd, cli } = planned.value
    const ports = await this.ports.acquire(threadId)
    const id = newPtyId(threadId)
    const path = await this.deps.profiles.sessionPath()
    const env = terminalEnv({
      path: path ?? null,
      threadId,
      ptyId: id,
      ports,
      extra: { ...o.env, ...sandboxEnv },
      sandboxed: Boolean(o.sandbox)
    })
    const info: PtyInfo = {
      id,
      threadId,
      kind: o.kind,
      profileId,
      title: o.command?.title ?? (o.kind === 'agent' ? labelOf(profileId) : 'Shell'),
      command: display,
      cwd,
      port: ports?.first ?? null,
      pid: null,
      state: 'running',
      exitCode: null,
      signal: null,
      startedAt: Date.now(),
      endedAt: null,
      endedByRestart: false,
      agentCommand: null,
      sandbox: o.sandbox ?? null,
      ...(o.kind === 'run' ? { url: o.url ?? null } : {})
    }
    let live: Live
    try {
      live = this.spawn(info, { file: command.file, args: command.args, cwd, env, cols: o.cols, rows: o.rows })
      live.sandboxKey = o.sandbox ? sandboxKey(o.sandbox, thread.conversation.network) : null
      live.onEnd = onEnd
    } catch (e) {
      await onEnd?.()
      return err(appError(ErrorCode.PtySpawnFailed, `Could not start ${display} in ${cwd}: ${(e as Error).message}`))
    }
    const found = () => this.live.get(id) === live && this.agentChanged(threadId, agentStateOf(info, live.activity?.activity, live.cli))
    live.cli = cli && new CliSessionTracker(cli, { cwd, env, startedAt: info.startedAt }, found)
    // Reported before any await: a session that exits at once must not have its exit overtaken by this.
    if (o.kind === 'agent') this.agentChanged(threadId, agentStateOf(info, 'running', live.cli))
    const opened = live.session.info
    this.deps.bus.publish('pty/updated', { pty: opened })
    await this.deps.store.saveInfo(opened).catch((e) => this.deps.logger.warn(`Could not save terminal ${id}: ${String(e)}`))
    void this.deps.store.prune(threadId, new Set(this.live.keys())).catch(() => undefined)
    return ok(opened)
  }

  /** The thread's terminals, live and ended (including those a restart ended), oldest first. */
  async list(threadId: string): Promise<PtyInfo[]> {
    const stored = await this.deps.store.list(threadId)
    const out: PtyInfo[] = []
    for (const info of stored) {
      const live = this.live.get(info.id)
      if (live) out.push(live.session.info)
      else if (info.state === 'running') out.push(await this.deps.store.markEndedByRestart(info))
      else out.push(info)
    }
    for (const l of this.live.values())
      if (l.session.info.threadId === threadId && !out.some((p) => p.id === l.session.info.id)) out.push(l.session.info)
    return out
  }

  /** Sends a pty's output to this connection from now on; returns what to show first. */
  async attach(ptyId: string, connection: Connection): Promise<Result<{ pty: PtyInfo; scrollback: string }>> {
    const live = this.live.get(ptyId)
    if (live) {
      if (!live.attached.has(connection.id)) {
        const closeSub = connection.onClose(() => this.detach(ptyId, connection))
        live.attached.set(connection.id, { connection, closeSub })
        live.session.flow.add(connection.id)
      }
      const scrollback = live.session.scrollback.text()
      return ok({
        pty: live.session.info,
        scrollback: live.session.running ? scrollback : scrollback + sessionEndedMarker(live.session.info)
      })
    }
    const info = await this.findStored(ptyId)
    if (!info) return err(appError(ErrorCode.PtyNotFound, `No terminal with id ${ptyId}.`))
    const scrollback = await this.deps.store.readScrollback(info.threadId, ptyId)
    return ok({ pty: info, scrollback: scrollback + sessionEndedMarker(info) })
  }

  /** Stops sending a pty's output to this connection; its unacknowledged output no longer holds the pty. */
  detach(ptyId: string, connection: Connection): void {
    const live = this.live.get(ptyId)
    const entry = live?.attached.get(connection.id)
    if (!live || !entry) return
    entry.closeSub.dispose()
    live.attached.delete(connection.id)
    live.session.flow.remove(connection.id)
  }

  /** Types into a running pty; refused cleanly once it has exited. */
  write(ptyId: string, data: string): Result<void> {
    const live = this.running(ptyId)
    if (!live.ok) return live
    live.value.session.write(data)
    return ok(undefined)
  }

  /** Resizes a running pty. */
  resize(ptyId: string, cols: number, rows: number): Result<void> {
    const live = this.running(ptyId)
    if (!live.ok) return live
    live.value.session.resize(cols, rows)
    return ok(undefined)
  }

  /** A client rendered `chars` more characters of a pty's output. */
  ack(ptyId: string, connection: Connection, chars: number): Result<void> {
    const live = this.live.get(ptyId)
    if (!live) return err(appError(ErrorCode.PtyNotFound, `No running terminal with id ${ptyId}.`))
    live.session.flow.ack(connection.id, chars)
    return ok(undefined)
  }

  /** Closes a terminal tab: kills a running pty's whole process tree, then forgets it and its scrollback. */
  async close(ptyId: string): Promise<Result<void>> {
    const live = this.live.get(ptyId)
    if (live) {
      await live.session.kill()
      await this.exitSaved.get(ptyId)
    }
    await this.endLingering((id) => id === ptyId)
    const stored = await this.findStored(ptyId)
    if (!stored) return err(appError(ErrorCode.PtyNotFound, `No terminal with id ${ptyId}.`))
    await this.deps.store.remove(stored.threadId, ptyId)
    this.deps.bus.publish('pty/removed', { ptyId, threadId: stored.threadId })
    return ok(undefined)
  }

  /** Kills every terminal of a thread (archive, delete). */
  async closeThread(threadId: string): Promise<void> {
    await Promise.all([...this.live.values()].filter((l) => l.session.info.threadId === threadId).map((l) => l.session.kill()))
    await this.endLingering((_, s) => s.info.threadId === threadId)
  }

  /** Ends the background jobs of sessions whose own process has exited. */
  private async endLingering(which: (ptyId: string, session: PtySession) => boolean): Promise<void> {
    const ending = [...this.lingering].filter(([id, s]) => which(id, s))
    for (const [id] of ending) this.lingering.delete(id)
    await Promise.all(ending.map(([, s]) => s.kill()))
  }

  /**
   * The thread's shell for the built-in agent's commands: its running "Agent shell" under the
   * same sandbox rules (level and network), opened on first use. A shell opened under other
   * rules is never reused: Plan mode's read-only shell and an unsandboxed one are separate.
   */
  async agentShell(threadId: string, sandbox: SandboxLevel | null = null): Promise<Result<PtyInfo>> {
    const thread = this.deps.thread(threadId)
    const key = sandbox && thread ? sandboxKey(sandbox, thread.conversation.network) : null
    const existing = [...this.live.values()].find(
      (l) => l.session.info.threadId === threadId && l.session.info.title === AGENT_SHELL_TITLE && l.session.running && l.sandboxKey === key
    )
    if (existing) return ok(existing.session.info)
    // The agent cannot page through output: git and man print straight through.
    const opened = await this.open(threadId, {
      kind: 'shell',
      cols: 160,
      rows: 40,
      env: { PAGER: 'cat', GIT_PAGER: 'cat' },
      ...(sandbox ? { sandbox } : {})
    })
    if (!opened.ok) return opened
    const live = this.live.get(opened.value.id)!
    live.session.info = { ...live.session.info, title: AGENT_SHELL_TITLE }
    live.session.setViewFilter(new PlumbingFilter())
    this.deps.bus.publish('pty/updated', { pty: live.session.info })
    await this.deps.store.saveInfo(live.session.info).catch(() => undefined)
    return ok(live.session.info)
  }

  /** Receives a running pty's output as it is produced (after batching); for the agent's command runner. */
  tap(ptyId: string, listener: (text: string) => void): Disposable {
    const live = this.live.get(ptyId)
    if (!live) return { dispose: () => undefined }
    live.taps.add(listener)
    return { dispose: () => live.taps.delete(listener) }
  }

  /** A terminal's output so far (live or saved), or null for an unknown one. */
  async scrollbackText(ptyId: string): Promise<string | null> {
    const live = this.live.get(ptyId)
    if (live) return live.session.scrollback.text()
    await this.exitSaved.get(ptyId)
    const info = await this.findStored(ptyId)
    return info ? this.deps.store.readScrollback(info.threadId, ptyId) : null
  }

  /** Whether the program in a running pty has bracketed paste on (false for an unknown pty). */
  bracketedPaste(ptyId: string): boolean {
    return this.live.get(ptyId)?.session.pasteMode.bracketed ?? false
  }

  /** The last `chars` characters a terminal printed: live, or from its saved scrollback once it ended. */
  async outputTail(threadId: string, ptyId: string, chars: number): Promise<string> {
    const live = this.live.get(ptyId)
    const text = live ? live.session.scrollback.text() : await this.deps.store.readScrollback(threadId, ptyId)
    return text.slice(-chars)
  }

  /** Marks a pty as running an agent command (or not), so clients show a banner. */
  setAgentCommand(ptyId: string, command: string | null): void {
    const live = this.live.get(ptyId)
    if (!live) return
    live.session.info = { ...live.session.info, agentCommand: command }
    this.deps.bus.publish('pty/updated', { pty: live.session.info })
  }

  /** Tells `listener` each time a thread's agent session changes activity (running, waiting, exited); `failure` explains a session that died on start. */
  onAgentState(listener: (threadId: string, agent: AgentState, failure?: string) => void): Disposable {
    this.agentListeners.add(listener)
    return { dispose: () => this.agentListeners.delete(listener) }
  }

  private agentChanged(threadId: string, agent: AgentState, failure?: string): void {
    for (const listener of [...this.agentListeners]) listener(threadId, agent, failure)
  }

  /** The PORT a thread's terminals get, if it holds one. */
  portOf(threadId: string): number | undefined {
    return this.ports.rangeOf(threadId)?.first
  }

  /**
   * Ends a running pty's whole process tree (its cgroup) and waits for its exit, but keeps the
   * terminal and its output (the Run terminal after Stop). Background jobs of an exited one end too.
   */
  async kill(ptyId: string): Promise<Result<void>> {
    const live = this.live.get(ptyId)
    if (live) {
      await live.session.kill()
      await this.exitSaved.get(ptyId)
    }
    await this.endLingering((id) => id === ptyId)
    return live || (await this.findStored(ptyId)) ? ok(undefined) : err(appError(ErrorCode.PtyNotFound, `No terminal with id ${ptyId}.`))
  }

  /** What a running pty has printed so far (its scrollback); empty for one that is not running. */
  output(ptyId: string): string {
    return this.live.get(ptyId)?.session.scrollback.text() ?? ''
  }

  /** Records the URL a running run command serves, for every client to show. */
  setUrl(ptyId: string, url: string): void {
    const live = this.live.get(ptyId)
    if (!live || live.session.info.url === url) return
    live.session.info = { ...live.session.info, url }
    this.deps.bus.publish('pty/updated', { pty: live.session.info })
    void this.deps.store.saveInfo(live.session.info).catch(() => undefined)
  }

  /** Quitting: kills every process tree and saves every scrollback. */
  async dispose(): Promise<void> {
    this.disposed = true
    clearInterval(this.saveTimer)
    await Promise.all([...this.live.values()].map((l) => l.session.kill()))
    await this.endLingering(() => true)
    // Each exit writes its scrollback and record; the process may end right after this returns.
    await Promise.all([...this.exitSaved.values()])
    await this.saveDirtyScrollbacks()
  }

  private spawn(info: PtyInfo, spec: ConstructorParameters<typeof PtySession>[1]): Live {
    let live: Live | null = null
    const activity =
      info.kind === 'agent'
        ? new ActivityTracker(
            (a) => {
              if (live && a !== 'exited') this.agentChanged(info.threadId, agentStateOf(info, a, live.cli))
            },
            QUIET_MS,
            info.profileId !== 'shell',
            () => live?.session.foregroundJob() ?? false
          )
        : null
    const session = new PtySession(
      info,
      spec,
      this.deps.scrollbackChars ?? DEFAULT_SCROLLBACK_CHARS,
      {
        data: (text, view) => {
          if (text) activity?.output()
          if (!live) return
          // Taps (the agent's command runner) read the plumbing; people see the view without it.
          if (text) for (const tap of live.taps) tap(text)
          if (!view) return
          for (const { connection } of live.attached.values()) connection.notify('pty/data', { ptyId: info.id, data: view })
          live.session.flow.sent(view.length)
        },
        exit: (exitCode, signal) => {
          const saved = this.onExit(info.id, exitCode, signal).finally(() => this.exitSaved.delete(info.id))
          this.exitSaved.set(info.id, saved)
        }
      },
      this.containment
    )
    live = { session, attached: new Map(), activity, taps: new Set(), sandboxKey: null, onEnd: null, cli: null }
    this.live.set(info.id, live)
    return live
  }

  private async onExit(ptyId: string, exitCode: number | null, signal: number | null): Promise<void> {
    const live = this.live.get(ptyId)
    if (!live) return
    // Sessions ended by quitting Skein say so when they are shown after the restart.
    const info: PtyInfo = {
      ...live.session.info,
      state: 'exited',
      exitCode,
      signal,
      endedAt: Date.now(),
      pid: null,
      endedByRestart: this.disposed,
      agentCommand: null
    }
    live.session.info = info
    live.activity?.exited()
    for (const { closeSub } of live.attached.values()) closeSub.dispose()
    this.live.delete(ptyId)
    if (live.session.holdsProcesses) this.lingering.set(ptyId, live.session)
    await live.onEnd?.().catch((e) => this.deps.logger.warn(`Could not clean up the sandbox of terminal ${ptyId}: ${String(e)}`))
    await live.cli?.stop()
    await Promise.all([
      this.deps.store.saveScrollback(info.threadId, ptyId, live.session.scrollback.text()),
      this.deps.store.saveInfo(info)
    ]).catch((e) => this.deps.logger.warn(`Could not save the end of terminal ${ptyId}: ${String(e)}`))
    this.deps.bus.publish('pty/exit', { ptyId, threadId: info.threadId, exitCode, signal })
    this.deps.bus.publish('pty/updated', { pty: info })
    // On quit the restart reconciles agent states; reporting exits now would mark every thread unread.
    if (info.kind === 'agent' && !this.disposed) {
      const quick = info.endedAt! - info.startedAt < DIED_ON_START_MS && !live.activity?.everWaited
      const failure = exitCode !== 0 && quick ? diedOnStart(info, live.session.scrollback.text()) : undefined
      this.agentChanged(info.threadId, agentStateOf(info, 'exited', live.cli, exitCode), failure)
    }
  }

  private running(ptyId: string): Result<Live> {
    const live = this.live.get(ptyId)
    if (live?.session.running) return ok(live)
    return err(appError(ErrorCode.PtyExited, `That terminal session has ended, so it takes no more input. Open a new one.`))
  }

  /** An ended session, from disk. */
  private async findStored(ptyId: string): Promise<PtyInfo | null> {
    const threadId = threadOfPty(ptyId)
    if (!threadId || !this.deps.thread(threadId)) return null
    const found = (await this.deps.store.list(threadId)).find((p) => p.id === ptyId)
    if (!found) return null
    return found.state === 'running' ? this.deps.store.markEndedByRestart(found) : found
  }

  private async saveDirtyScrollbacks(): Promise<void> {
    for (const [id, l] of this.live) {
      if (!l.session.scrollback.dirty) continue
      l.session.scrollback.dirty = false
      await this.deps.store.saveScrollback(l.session.info.threadId, id, l.session.scrollback.text()).catch(() => undefined)
    }
  }
}
