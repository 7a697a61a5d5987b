import { join } from 'node:path'
import { createReadStream } from 'node:fs'
import type {
  CiCheck,
  CiLog,
  CiProblem,
  CiProviderOverride,
  CiStatus,
  LocalRun,
  RemoteProviderKind,
  SuggestedCheck
} from '../../../shared/ci'
import { appError, ErrorCode, type AppError } from '../../../shared/errors'
import { err, ok, type Result } from '../../../shared/result'
import type { GitRunner } from '../git/git-runner'
import type { Logger } from '../logger'
import { PollSchedule, shouldPoll, type ScheduleOptions } from './backoff'
import { overallState } from './check-states'
import { suggestChecks } from './check-suggestions'
import { pushedCommit } from './ci-git'
import { resolveCiTarget } from './ci-target'
import { systemClock, type Clock } from './clock'
import { checkFromLocalRun, formatFailureMessage } from './failure-message'
import { LocalChecks } from './local-checks'
import { LocalRunLog } from './local-run-log'
import { AGENT_EXCERPT, excerptLogs, type ExcerptOptions, type LogExcerpt, type LogSource } from './log-excerpt'
import type { ProviderFactory } from './provider-factory'

/** What the CI service needs to know about a thread. */
export interface CiThread {
  id: string
  /** The URL of the remote the branch is pushed to; null when the repository has none. */
  remoteUrl: string | null
  /** The thread's branch; null for a thread in the person's own checkout without one. */
  branch: string | null
  worktreePath: string
  archived: boolean
  /** The repository's CI provider setting, when the remote's host does not say. */
  override?: CiProviderOverride | null
}

/** The CI service's collaborators. */
export interface CiServiceDeps {
  thread: (id: string) => CiThread | undefined
  providers: ProviderFactory
  git: GitRunner
  /** Where local check logs are written. */
  logDir: string
  /** A thread's status changed (the `ci/updated` notification). */
  notify: (status: CiStatus) => void
  /** A thread's CI turned failed: a check failed that had not, or a new commit failed. */
  onFailed?: (status: CiStatus, failed: CiCheck[]) => void
  /** A local run printed something. */
  onLocalOutput?: (run: LocalRun, chunk: string) => void
  /** Whether someone can see the thread; hidden threads are polled less often. */
  isVisible?: (threadId: string) => boolean
  clock?: Clock
  schedule?: ScheduleOptions
  /** How local checks run: the shell, its environment, the grace between SIGTERM and SIGKILL. */
  local?: { shell?: string; env?: NodeJS.ProcessEnv; killGraceMs?: number }
  logger?: Logger
}

/** Budgets for the log view: whole up to 2 MB, else a wide window around the first error and a long tail. */
export const LOG_VIEW: ExcerptOptions = {
  beforeLines: 200,
  afterLines: 2000,
  tailLines: 5000,
  errorBytes: 1024 * 1024,
  tailBytes: 1024 * 1024,
  maxLineChars: 10_000
}

interface Entry {
  status: CiStatus
  remote: CiCheck[]
  fingerprint: string
  schedule: PollSchedule
  timer: unknown
  running: Promise<CiStatus> | null
  rerun: Promise<CiStatus> | null
  /** Whether a failure from now on is news; the first look after Skein starts only sets the scene. */
  baseline: boolean
}

interface CachedLog {
  view: LogExcerpt
  agent: LogExcerpt
}

const TRANSIENT: CiProblem['kind'][] = ['rate-limited', 'unreachable', 'malformed']
const TERMINAL = new Set(['passed', 'failed', 'cancelled', 'skipped', 'neutral'])

const fail = (problem: CiProblem): AppError => {
  const code = problem.kind === 'not-pushed' || problem.kind === 'no-provider' ? ErrorCode.InvalidThreadState : ErrorCode.Unsupported
  return appError(code, problem.message, { problem })
}

/**
 * Keeps every watched thread's CI status: polls the hosted CI of its pushed commit on a backoff
 * schedule, runs local checks, and fetches logs and failure excerpts. Never throws for expected
 * failures; a problem reading CI is part of the status.
 */
export class CiService {
  private readonly entries = new Map<string, Entry>()
  private readonly logs = new Map<string, CachedLog>()
  private readonly clock: Clock
  private readonly local: LocalChecks
  private disposed = false

  constructor(private readonly deps: CiServiceDeps) {
    this.clock = deps.clock ?? systemClock
    this.local = new LocalChecks({
      logDir: deps.logDir,
      git: deps.git,
      ...deps.local,
      history: new LocalRunLog(
        join(deps.logDir, 'runs.jsonl'),
        deps.logger ?? { info: () => undefined, warn: () => undefined, error: () => undefined }
      ),
      now: () => this.clock.now(),
      onChange: (run) => this.publish(run.threadId, false),
      onOutput: (run, chunk) => deps.onLocalOutput?.(run, chunk)
    })
  }

  /** The thread's last known status (nothing is fetched). */
  status(threadId: string): CiStatus {
    return this.entries.get(threadId)?.status ?? this.emptyStatus(threadId)
  }

  /** Starts watching a thread (a poll right away unless one is already scheduled) and returns what is known now. */
  watch(threadId: string): CiStatus {
    const e = this.entry(threadId)
    if (!e.running && e.timer === null) void this.poll(threadId)
    return e.status
  }

  /** Stops polling a thread (archived or deleted); its local runs keep going until they end. */
  unwatch(threadId: string): void {
    const e = this.entries.get(threadId)
    if (!e) return
    this.clearTimer(e)
    this.entries.delete(threadId)
  }

  /** Polls now and returns the new status. */
  async refresh(threadId: string): Promise<Result<CiStatus>> {
    if (!this.deps.thread(threadId)) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    return ok(await this.poll(threadId))
  }

  /** Skein pushed the thread's branch: poll now, and quickly again until the new checks settle. */
  async pushed(threadId: string): Promise<Result<CiStatus>> {
    if (!this.deps.thread(threadId)) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const e = this.entry(threadId)
    e.schedule.refreshNow()
    e.baseline = true
    return ok(await this.poll(threadId))
  }

  /** Brings back the local runs saved before a restart and rebuilds those threads' status from them; returns the threads. */
  async restoreLocal(): Promise<string[]> {
    const threads = (await this.local.restore()).filter((id) => this.deps.thread(id) !== undefined)
    // Quiet: a failure from before the restart is state, not news.
    for (const id of threads) this.publish(id, true)
    return threads
  }

  /** Runs a check command in the thread's worktree. */
  async runLocal(threadId: string, command: string): Promise<Result<LocalRun>> {
    const t = this.deps.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    if (t.archived) return err(appError(ErrorCode.InvalidThreadState, 'The thread is archived; restore it to run checks.'))
    this.entry(threadId)
    return this.local.start(threadId, t.worktreePath, command)
  }

  /** Cancels a local run and everything it started; resolves once it has ended. */
  cancelLocal(runId: string): Promise<Result<LocalRun>> {
    return this.local.cancel(runId)
  }

  /** Resolves when a local run has ended. */
  localDone(runId: string): Promise<LocalRun | undefined> {
    return this.local.done(runId)
  }

  /** A thread's local runs, newest first. */
  localRuns(threadId: string): LocalRun[] {
    return this.local.list(threadId)
  }

  /** Check commands found in the thread's worktree, to offer as local checks. */
  async suggestions(threadId: string): Promise<Result<SuggestedCheck[]>> {
    const t = this.deps.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    return ok(await suggestChecks(t.worktreePath))
  }

  /** A check's log: whole when small, else the first error's context and a long tail. */
  async log(threadId: string, checkId: string): Promise<Result<CiLog>> {
    const found = this.findCheck(threadId, checkId)
    if (!found.ok) return found
    const logs = await this.fetchLogs(threadId, found.value)
    if (!logs.ok) return logs
    const { view } = logs.value
    return ok({
      checkId,
      name: found.value.name,
      segments: view.segments,
      totalLines: view.totalLines,
      firstErrorLine: view.firstErrorLine,
      truncated: view.truncated
    })
  }

  /** The message to send the thread's agent about a failed check: the job, the commit and the log excerpt. */
  async failureMessage(threadId: string, checkId: string): Promise<Result<string>> {
    const found = this.findCheck(threadId, checkId)
    if (!found.ok) return found
    const check = found.value
    if (check.state !== 'failed' && check.state !== 'cancelled')
      return err(appError(ErrorCode.InvalidThreadState, `"${check.name}" has not failed (it is ${check.state}).`))
    const run = check.provider === 'local' ? this.local.get(check.id.slice('local:'.length)) : undefined
    let excerpt: LogExcerpt | null = null
    if (check.hasLog) {
      const logs = await this.fetchLogs(threadId, check)
      if (!logs.ok) return logs
      excerpt = logs.value.agent
    }
    const commit = run ? run.commit : this.status(threadId).commit
    return ok(formatFailureMessage({ check, commit, branch: this.deps.thread(threadId)?.branch ?? null, run }, excerpt))
  }

  /** Resolves once no poll is in flight (for tests and benches driving a manual clock). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const busy = [...this.entries.values()].flatMap((e) => [e.running, e.rerun]).filter((p): p is Promise<CiStatus> => p !== null)
      if (busy.length === 0) return
      await Promise.all(busy)
    }
  }

  /** Stops every timer and ends every local run. */
  async dispose(): Promise<void> {
    this.disposed = true
    for (const e of this.entries.values()) this.clearTimer(e)
    await this.local.dispose()
  }

  private entry(threadId: string): Entry {
    let e = this.entries.get(threadId)
    if (!e) {
      e = {
        status: this.emptyStatus(threadId),
        remote: [],
        fingerprint: '',
        schedule: new PollSchedule(this.deps.schedule),
        timer: null,
        running: null,
        rerun: null,
        baseline: false
      }
      this.entries.set(threadId, e)
    }
    return e
  }

  private emptyStatus(threadId: string): CiStatus {
    return {
      threadId,
      overall: 'none',
      provider: null,
      commit: null,
      checks: [],
      problem: null,
      rateLimitedUntil: null,
      updatedAt: this.clock.now()
    }
  }

  private clearTimer(e: Entry): void {
    if (e.timer !== null) this.clock.clearTimeout(e.timer)
    e.timer = null
  }

  // One poll per thread at a time; a request during a poll runs once more after it, with fresh state.
  private poll(threadId: string): Promise<CiStatus> {
    const e = this.entry(threadId)
    if (e.running) {
      e.rerun ??= e.running.then(() => {
        e.rerun = null
        return this.poll(threadId)
      })
      return e.rerun
    }
    this.clearTimer(e)
    e.running = this.pollOnce(threadId, e)
      .catch((cause: unknown) => {
        this.deps.logger?.error(`CI poll of thread ${threadId} failed`, cause)
        return e.status
      })
      .finally(() => {
        e.running = null
      })
    return e.running
  }

  private async pollOnce(threadId: string, e: Entry): Promise<CiStatus> {
    const t = this.deps.thread(threadId)
    if (!t || t.archived || this.disposed) return e.status
    const target = resolveCiTarget(t.remoteUrl, t.override)
    let provider: RemoteProviderKind | null = null
    let commit: string | null = null
    let problem: CiProblem | null = null
    let remote: CiCheck[] = []
    if (!target.ok) problem = target.error
    else {
      provider = target.value.provider
      commit = t.branch ? await pushedCommit(this.deps.git, t.worktreePath, t.branch) : null
      if (!commit) {
        problem = {
          kind: 'not-pushed',
          message: t.branch
            ? `The branch ${t.branch} is not on the remote yet. Push it to see its CI checks.`
            : 'This thread has no branch of its own, so it has no CI checks. Run checks locally instead.'
        }
      } else {
        const r = await this.deps.providers(target.value).checks({ sha: commit, branch: t.branch! })
        if (r.ok) remote = r.value.checks
        else {
          problem = r.error
          // A passing hiccup keeps the last checks of the same commit on screen.
          if (TRANSIENT.includes(problem.kind) && e.status.commit === commit) remote = e.remote
        }
      }
    }
    if (this.disposed || this.entries.get(threadId) !== e) return e.status
    const fingerprint = JSON.stringify([commit, problem?.kind, remote.map((c) => [c.id, c.state])])
    const changed = fingerprint !== e.fingerprint
    const quiet = !e.baseline
    e.baseline = true
    e.fingerprint = fingerprint
    e.remote = remote
    const rateLimitedUntil = problem?.kind === 'rate-limited' ? (problem.until ?? null) : null
    const status = this.publish(threadId, quiet, { provider, commit, problem, rateLimitedUntil })
    const again = (delay: number) => {
      e.timer = this.clock.setTimeout(() => {
        e.timer = null
        void this.poll(threadId)
      }, delay)
    }
    if (shouldPoll({ archived: t.archived, pushed: commit !== null, hasProvider: provider !== null })) {
      again(
        e.schedule.next({ checks: remote, changed, rateLimitedUntil, visible: this.deps.isVisible?.(threadId) ?? true }, this.clock.now())
      )
    } else if (provider && t.branch) {
      // An agent may push from its own terminal: look again with git now and then, sending no request.
      again(e.schedule.unpushedCheckMs)
    }
    return status
  }

  /** Rebuilds a thread's status from its remote checks and local runs; tells the caller when it changed. */
  private publish(
    threadId: string,
    quiet: boolean,
    remote?: Pick<CiStatus, 'provider' | 'commit' | 'problem' | 'rateLimitedUntil'>
  ): CiStatus {
    const e = this.entry(threadId)
    const prev = e.status
    const checks = [...e.remote, ...this.local.latest(threadId).map(checkFromLocalRun)]
    const next: CiStatus = { ...prev, ...remote, checks, overall: overallState(checks), updatedAt: this.clock.now() }
    const same = JSON.stringify({ ...prev, updatedAt: 0 }) === JSON.stringify({ ...next, updatedAt: 0 })
    if (same) return prev
    e.status = next
    this.deps.notify(next)
    const turnedFailed = next.overall === 'failed' && (prev.overall !== 'failed' || prev.commit !== next.commit)
    if (turnedFailed && !quiet)
      this.deps.onFailed?.(
        next,
        checks.filter((c) => c.state === 'failed' || c.state === 'cancelled')
      )
    return next
  }

  private findCheck(threadId: string, checkId: string): Result<CiCheck> {
    if (!this.deps.thread(threadId)) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const check =
      this.status(threadId).checks.find((c) => c.id === checkId) ??
      (checkId.startsWith('local:') ? this.localCheck(threadId, checkId.slice('local:'.length)) : undefined)
    if (!check)
      return err(
        appError(ErrorCode.InvalidParams, `The check ${checkId} is not among this thread's checks any more. Refresh CI and try again.`)
      )
    return ok(check)
  }

  private localCheck(threadId: string, runId: string): CiCheck | undefined {
    const run = this.local.get(runId)
    return run && run.threadId === threadId ? checkFromLocalRun(run) : undefined
  }

  private async fetchLogs(threadId: string, check: CiCheck): Promise<Result<CachedLog>> {
    const key = `${threadId}\0${check.id}`
    const cached = this.logs.get(key)
    if (cached) return ok(cached)
    if (!check.hasLog)
      return err(
        appError(ErrorCode.InvalidThreadState, `"${check.name}" has no log Skein can fetch${check.url ? `; see ${check.url}` : ''}.`)
      )
    let source: LogSource
    if (check.provider === 'local') {
      source = createReadStream(this.local.get(check.id.slice('local:'.length))!.logPath)
    } else {
      const t = this.deps.thread(threadId)
      const target = t ? resolveCiTarget(t.remoteUrl, t.override) : null
      if (!target?.ok) return err(fail(target?.error ?? { kind: 'no-provider', message: 'This thread has no CI provider.' }))
      const stream = await this.deps.providers(target.value).log(check.id)
      if (!stream.ok) return err(fail(stream.error))
      source = stream.value
    }
    let view: LogExcerpt
    let agent: LogExcerpt
    try {
      ;[view, agent] = (await excerptLogs(source, [LOG_VIEW, AGENT_EXCERPT])) as [LogExcerpt, LogExcerpt]
    } catch (e) {
      return err(
        fail({ kind: 'unreachable', message: `Reading the log of "${check.name}" broke off (${(e as Error).message}). Try again.` })
      )
    }
    const logs = { view, agent }
    // Only a finished check's log is final; a running one grows.
    if (TERMINAL.has(check.state)) {
      this.logs.set(key, logs)
      while (this.logs.size > 20) this.logs.delete(this.logs.keys().next().value!)
    }
    return ok(logs)
  }
}
