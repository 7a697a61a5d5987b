import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import type { LocalRun } from '../../../shared/ci'
import { appError, ErrorCode } from '../../../shared/errors'
import { err, ok, type Result } from '../../../shared/result'
import type { GitRunner } from '../git/git-runner'
import { killProcessTree } from '../pty/process-tree'
import { worktreeState } from './ci-git'
import type { LocalRunLog } from './local-run-log'

/** How local checks run and whom they tell. */
export interface LocalChecksOptions {
  /** Where run logs are written (`<logDir>/<runId>.log`). */
  logDir: string
  git: GitRunner
  /** The shell commands run in; default $SHELL, else /bin/sh (cmd.exe on Windows). */
  shell?: string
  env?: NodeJS.ProcessEnv
  now?: () => number
  /** How long a cancelled run gets between SIGTERM and SIGKILL. */
  killGraceMs?: number
  /** A run started, ended or was cancelled. */
  onChange?: (run: LocalRun) => void
  /** A run printed something (stdout and stderr together). */
  onOutput?: (run: LocalRun, chunk: string) => void
  /** Where runs are saved so they outlive a restart. */
  history?: LocalRunLog
}

interface Active {
  run: LocalRun
  child: ChildProcess
  log: WriteStream
  done: Promise<LocalRun>
  cancelled: boolean
  /** The last few KB of output, to say which command was not found. */
  tail: string
}

const ENV_MARKER = 'SKEIN_CHECK_RUN'

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig)
  } catch {
    // the group is already gone
  }
}

function notFoundName(output: string, command: string): string {
  const m = /(?:^|\n)(?:[^\n:]*: )?(?:line \d+: )?([^\s:]+): (?:command )?not found/.exec(output)
  return m?.[1] ?? command.trim().split(/\s+/)[0] ?? command
}

/**
 * Runs check commands in a thread's worktree: in the person's shell, in a process group of its own
 * so cancelling ends every process it started. Each run records the commit and dirty state it ran
 * on, its exit code and duration, and its output in a log file.
 */
export class LocalChecks {
  private readonly runs = new Map<string, LocalRun>()
  private readonly active = new Map<string, Active>()
  private readonly now: () => number
  private disposed = false

  constructor(private readonly options: LocalChecksOptions) {
    this.now = options.now ?? Date.now
  }

  /** Starts `command` in `cwd`; resolves once it is running. */
  async start(threadId: string, cwd: string, command: string): Promise<Result<LocalRun>> {
    if (this.disposed) return err(appError(ErrorCode.InvalidThreadState, 'Skein is shutting down; no new checks start.'))
    if (!command.trim()) return err(appError(ErrorCode.InvalidParams, 'The check command is empty.'))
    if (!existsSync(cwd))
      return err(
        appError(ErrorCode.WorktreeMissing, `The worktree ${cwd} is gone, so the check cannot run there. Restore the thread first.`)
      )
    const state = await worktreeState(this.options.git, cwd)
    mkdirSync(this.options.logDir, { recursive: true, mode: 0o700 })
    const id = `lr${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
    const run: LocalRun = {
      id,
      threadId,
      command,
      state: 'running',
      startedAt: this.now(),
      endedAt: null,
      durationMs: null,
      exitCode: null,
      commit: state.commit,
      dirty: state.dirty,
      logPath: join(this.options.logDir, `${id}.log`),
      detail: null
    }
    const env: NodeJS.ProcessEnv = { ...(this.options.env ?? process.env), [ENV_MARKER]: id }
    const win = process.platform === 'win32'
    const shell = this.options.shell ?? (win ? (env.ComSpec ?? 'cmd.exe') : env.SHELL || '/bin/sh')
    // On disk before the command starts: a crash from here on shows the run as interrupted, not lost.
    await this.options.history?.record(run)
    let child: ChildProcess
    try {
      child = spawn(shell, win ? ['/d', '/s', '/c', command] : ['-c', command], {
        cwd,
        env,
        detached: !win,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true
      })
    } catch (e) {
      await this.options.history?.record({
        ...run,
        state: 'failed',
        endedAt: this.now(),
        durationMs: 0,
        detail: `Could not start the shell: ${(e as Error).message}`
      })
      return err(appError(ErrorCode.PtySpawnFailed, `Could not start ${shell}: ${(e as Error).message}`))
    }
    const log = createWriteStream(run.logPath, { mode: 0o600 })
    const a: Active = { run, child, log, done: null as unknown as Promise<LocalRun>, cancelled: false, tail: '' }
    const onData = (b: Buffer) => {
      const text = b.toString('utf8')
      a.tail = (a.tail + text).slice(-4096)
      log.write(b)
      this.options.onOutput?.(a.run, text)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    a.done = new Promise<LocalRun>((resolve) => {
      let spawnError: Error | null = null
      child.once('error', (e) => {
        spawnError = e
      })
      // A background process the check left behind may hold the pipes open after the shell exits:
      // give it a moment, then end the group and stop reading so the run can finish.
      let straggler: NodeJS.Timeout | null = null
      child.once('exit', () => {
        straggler = setTimeout(() => {
          if (child.pid && !win) signalGroup(child.pid, 'SIGKILL')
          child.stdout!.destroy()
          child.stderr!.destroy()
        }, 2000).unref()
      })
      // 'close' waits for the output pipes as well as the exit, so the log is complete.
      child.once('close', (code, signal) => {
        if (straggler) clearTimeout(straggler)
        log.end(() => void this.finish(a, code, signal, spawnError).then(resolve))
      })
    })
    this.runs.set(id, run)
    this.active.set(id, a)
    this.options.onChange?.(run)
    return ok(run)
  }

  /** Resolves with the run once it has ended (at once if it already has). */
  async done(runId: string): Promise<LocalRun | undefined> {
    return this.active.get(runId)?.done ?? this.runs.get(runId)
  }

  /** Ends a run and every process it started (SIGTERM, then SIGKILL); resolves when it has ended. */
  async cancel(runId: string): Promise<Result<LocalRun>> {
    const a = this.active.get(runId)
    if (!a) {
      const run = this.runs.get(runId)
      return run ? ok(run) : err(appError(ErrorCode.InvalidParams, `No local check run ${runId}.`))
    }
    a.cancelled = true
    if (a.child.pid) await killProcessTree(a.child.pid, `${ENV_MARKER}=${runId}`, this.options.killGraceMs ?? 3000)
    return ok(await a.done)
  }

  /** Loads the runs saved before a restart; returns the threads they belong to. */
  async restore(): Promise<string[]> {
    const saved = (await this.options.history?.load(this.now())) ?? []
    for (const run of saved) if (!this.runs.has(run.id)) this.runs.set(run.id, run)
    return [...new Set(saved.map((r) => r.threadId))]
  }

  /** A run by id. */
  get(runId: string): LocalRun | undefined {
    return this.runs.get(runId)
  }

  /** A thread's runs, newest first. */
  list(threadId: string): LocalRun[] {
    return [...this.runs.values()].filter((r) => r.threadId === threadId).sort((a, b) => b.startedAt - a.startedAt)
  }

  /** A thread's latest run of each command, newest first. */
  latest(threadId: string): LocalRun[] {
    const seen = new Set<string>()
    return this.list(threadId).filter((r) => !seen.has(r.command) && seen.add(r.command))
  }

  /** Cancels every running check and waits for them to end. */
  async dispose(): Promise<void> {
    this.disposed = true
    await Promise.all([...this.active.keys()].map((id) => this.cancel(id)))
  }

  private async finish(a: Active, code: number | null, signal: NodeJS.Signals | null, spawnError: Error | null): Promise<LocalRun> {
    const endedAt = this.now()
    let state: LocalRun['state'] = code === 0 ? 'passed' : 'failed'
    let detail: string | null = null
    if (a.cancelled) {
      state = 'cancelled'
      detail = 'cancelled'
    } else if (spawnError) detail = `Could not start the shell: ${spawnError.message}`
    else if (code === 127) detail = `command not found: ${notFoundName(a.tail, a.run.command)}`
    else if (code === 126) detail = `permission denied: ${a.run.command.trim().split(/\s+/)[0]} is not executable`
    else if (code === null && signal) detail = `killed by ${signal}`
    else if (code !== 0) detail = `exit code ${code}`
    const run: LocalRun = { ...a.run, state, endedAt, durationMs: endedAt - a.run.startedAt, exitCode: spawnError ? null : code, detail }
    this.runs.set(run.id, run)
    // On disk before anyone hears of the end, so an acknowledged result survives a restart.
    await this.options.history?.record(run)
    this.active.delete(run.id)
    this.options.onChange?.(run)
    return run
  }
}
