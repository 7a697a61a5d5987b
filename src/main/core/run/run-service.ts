import { appError, ErrorCode } from '../../../shared/errors'
import type { PtyInfo, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { RunConfig, RunStatus } from '../../../shared/run'
import type { PortRanges } from '../ports/port-ranges'
import type { PtyHost } from '../pty/pty-host'
import type { SettingsStore } from '../store/settings-store'
import { detectUrl, expandUrl } from './run-url'

/** Where a thread's run command is looked up. */
export interface RunConfigSource {
  /** The run command the repository's own environment (e.g. `.skein/environment.json`) sets for this thread, if any. */
  fromEnvironment?(thread: Thread): Promise<RunConfig | null>
}

/** What the run service needs from the rest of the core. */
export interface RunServiceDeps {
  ptys: PtyHost
  ports: PortRanges
  settings: SettingsStore
  thread(id: string): Thread | undefined
  source?: RunConfigSource
}

/** The title of the terminal a thread's run command (its dev server) runs in. */
export const RUN_TITLE = 'Run'

/** How a run command is started: by the person's shell, as they would type it. */
export function runPlan(command: string): { file: string; args: string[]; display: string; title: string } {
  if (process.platform === 'win32')
    return { file: process.env.ComSpec || 'cmd.exe', args: ['/d', '/s', '/c', command], display: command, title: RUN_TITLE }
  return { file: process.env.SHELL || '/bin/sh', args: ['-c', command], display: command, title: RUN_TITLE }
}

// How much of the start of a run's output is searched for its URL.
const URL_SEARCH_CHARS = 64 * 1024

/**
 * A thread's run command (its dev server): started in a "Run" terminal of the thread with the
 * thread's ports, its URL taken from the template or from what it prints, and stopped with every
 * process it started. Being a terminal, it is contained, replayed, and ended on archive and quit
 * like any other.
 */
export class RunService {
  constructor(private readonly deps: RunServiceDeps) {}

  /** The run command that applies to a thread: the repository's environment first, then Skein's settings. */
  async config(thread: Thread): Promise<{ config: RunConfig; source: 'environment' | 'settings' } | null> {
    const fromEnv = await this.deps.source?.fromEnvironment?.(thread)
    if (fromEnv) return { config: fromEnv, source: 'environment' }
    const fromSettings = this.deps.settings.runConfig(thread.repoId)
    return fromSettings ? { config: fromSettings, source: 'settings' } : null
  }

  /** The thread's ports, run command and latest run. */
  async status(threadId: string): Promise<Result<RunStatus>> {
    const thread = this.deps.thread(threadId)
    if (!thread) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const found = await this.config(thread)
    const ports = thread.status === 'archived' ? null : await this.deps.ports.acquire(threadId)
    return ok({ config: found?.config ?? null, source: found?.source ?? null, ports, pty: await this.latest(threadId) })
  }

  /** Starts the run command; a run that is already going is returned as is. */
  async start(threadId: string, size: { cols: number; rows: number }): Promise<Result<PtyInfo>> {
    const thread = this.deps.thread(threadId)
    if (!thread) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const latest = await this.latest(threadId)
    if (latest?.state === 'running') return ok(latest)
    const found = await this.config(thread)
    if (!found)
      return err(
        appError(
          ErrorCode.RunNotConfigured,
          `This repository has no run command. Set one (the dev server, e.g. "npm run dev") in the thread's Overview.`
        )
      )
    const ports = await this.deps.ports.acquire(threadId)
    if (!ports && thread.status !== 'archived') {
      return err(
        appError(
          ErrorCode.PortsExhausted,
          `Every port from ${this.deps.ports.first} to ${this.deps.ports.last} is taken by other threads or programs; archive a thread to free its ports.`
        )
      )
    }
    const url = found.config.url ? expandUrl(found.config.url, ports) : null
    const opened = await this.deps.ptys.open(threadId, { kind: 'run', command: runPlan(found.config.command), url, ...size })
    if (!opened.ok) return opened
    // One Run tab per thread: the previous run's output goes once a new run starts.
    for (const old of (await this.deps.ptys.list(threadId)).filter(
      (p) => p.kind === 'run' && p.id !== opened.value.id && p.state !== 'running'
    ))
      await this.deps.ptys.close(old.id)
    if (!url) this.watchForUrl(opened.value.id)
    return ok(opened.value)
  }

  /** Stops the run command and every process it started; its output stays. Not running is not an error. */
  async stop(threadId: string): Promise<Result<void>> {
    const running = (await this.deps.ptys.list(threadId)).filter((p) => p.kind === 'run' && p.state === 'running')
    for (const p of running) {
      const killed = await this.deps.ptys.kill(p.id)
      if (!killed.ok) return killed
    }
    return ok(undefined)
  }

  /** The thread's latest run, running or ended. */
  private async latest(threadId: string): Promise<PtyInfo | null> {
    const runs = (await this.deps.ptys.list(threadId)).filter((p) => p.kind === 'run')
    return runs.find((p) => p.state === 'running') ?? runs.sort((a, b) => b.startedAt - a.startedAt)[0] ?? null
  }

  private watchForUrl(ptyId: string): void {
    // What it printed before the tap was set, then what it prints from now on.
    let seen = this.deps.ptys.output(ptyId).slice(0, URL_SEARCH_CHARS)
    const already = detectUrl(seen)
    if (already) return this.deps.ptys.setUrl(ptyId, already)
    const tap = this.deps.ptys.tap(ptyId, (text) => {
      // Keep a little of the previous chunk: a URL may be split across two.
      seen = (seen.slice(-256) + text).slice(-URL_SEARCH_CHARS)
      const url = detectUrl(seen)
      if (url) {
        tap.dispose()
        this.deps.ptys.setUrl(ptyId, url)
      }
    })
  }
}
