import { join } from 'node:path'
import type { CiLog, CiProviderOverride, CiStatus, LocalRun, SuggestedCheck } from '../../../shared/ci'
import type { Disposable } from '../../../shared/jsonrpc'
import type { DeliveryOutcome, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { appError, ErrorCode } from '../../../shared/errors'
import type { AgentDelivery } from '../agent/send-to-agent'
import type { GitRunner } from '../git/git-runner'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { SettingsStore } from '../store/settings-store'
import type { ThreadService } from '../threads/thread-service'
import { remoteBranches } from '../git/remote-branches'
import { remoteUrl } from './ci-git'
import { CiService } from './ci-service'
import { providerFactory, type ProviderFactory } from './provider-factory'

/** What the CI host joins together. */
export interface CiHostDeps {
  git: GitRunner
  threads: ThreadService
  /** A thread by id, without copying the list (CI asks on every poll). */
  thread: (id: string) => Thread | undefined
  settings: SettingsStore
  bus: NotificationBus
  logger: Logger
  delivery: AgentDelivery
  /** Where local check logs go (SKEIN_HOME/ci-logs). */
  home: string
  providers?: ProviderFactory
  env?: NodeJS.ProcessEnv
  /** How often repositories are checked for newly pushed branches. */
  scanMs?: number
}

/**
 * The CI service inside the core: follows threads as they come and go (never archived ones),
 * looks up each branch's remote, publishes ci/updated, ci/failed and local run output, and sends
 * a failure to the thread's agent.
 */
export class CiHost implements Disposable {
  readonly service: CiService
  private readonly remotes = new Map<string, string | null>()
  private readonly tracked = new Set<string>()
  private readonly subscription: Disposable
  private readonly scan: NodeJS.Timeout
  private restored: Promise<void> | null = null
  private firstScan: NodeJS.Timeout | null = null

  constructor(private readonly deps: CiHostDeps) {
    this.service = new CiService({
      thread: (id) => this.ciThread(id),
      providers: deps.providers ?? providerFactory({ env: deps.env }),
      git: deps.git,
      logDir: join(deps.home, 'ci-logs'),
      notify: (status) => deps.bus.publish('ci/updated', { status }),
      onFailed: (status, failed) => deps.bus.publish('ci/failed', { threadId: status.threadId, checks: failed.map((c) => c.name) }),
      onLocalOutput: (run, chunk) => deps.bus.publish('ci/localOutput', { threadId: run.threadId, runId: run.id, chunk }),
      isVisible: (id) => deps.threads.isViewed(id),
      local: { env: deps.env },
      logger: deps.logger
    })
    this.subscription = deps.bus.subscribe((name, params) => {
      if (name === 'thread/updated') void this.follow((params as { thread: Thread }).thread)
      else if (name === 'thread/removed') this.untrack((params as { threadId: string }).threadId)
    })
    // A branch pushed from a terminal (not through Skein) is found by this scan: one git call per repository.
    this.scan = setInterval(() => void this.start(), deps.scanMs ?? 60_000)
    this.scan.unref()
  }

  /**
   * At start-up: brings back the last session's local runs now, and scans for pushed branches once the
   * first clients are served (the scan is a git process per repository, each a fork of the whole core).
   */
  startAfter(delayMs: number): void {
    void this.restore()
    this.firstScan = setTimeout(() => void this.start(), delayMs)
    this.firstScan.unref()
  }

  /** Follows every live thread whose branch is on a remote (a local ref read per repository, no network). */
  async start(): Promise<void> {
    await this.restore()
    const byRepo = new Map<string, Thread[]>()
    for (const t of this.deps.threads.list()) {
      if (!t.branch || this.tracked.has(t.id)) continue
      // Pushed onto the repository's list, not copied into a new one: a copy per thread is quadratic (issue 20).
      const list = byRepo.get(t.repoId)
      if (list) list.push(t)
      else byRepo.set(t.repoId, [t])
    }
    for (const threads of byRepo.values()) {
      const pushed = await remoteBranches(this.deps.git, threads[0]!.worktreePath).catch(() => new Set<string>())
      for (const t of threads) if (pushed.has(t.branch!)) await this.follow(t, true)
    }
  }

  private restore(): Promise<void> {
    // Once: the local runs of the last session, so their history and the CI state they set come back.
    this.restored ??= this.service.restoreLocal().then((ids) => {
      for (const id of ids) if (this.deps.thread(id)?.status !== 'archived') this.tracked.add(id)
    })
    return this.restored
  }

  private ciThread(id: string) {
    const t = this.deps.thread(id)
    if (!t) return undefined
    return {
      id,
      remoteUrl: this.remotes.get(id) ?? null,
      branch: t.branch,
      worktreePath: t.worktreePath,
      archived: t.status === 'archived',
      override: this.deps.settings.ci(t.repoId).override ?? null
    }
  }

  /** Polls a thread's CI from now on; only once its branch is known to be pushed (or Skein pushed it). */
  private async follow(t: Thread, pushed = false): Promise<void> {
    if (t.status === 'archived' || !t.branch) return this.untrack(t.id)
    if (this.tracked.has(t.id) || !pushed) return
    this.tracked.add(t.id)
    await this.lookUpRemote(t)
    if (this.tracked.has(t.id)) this.service.watch(t.id)
  }

  private untrack(threadId: string): void {
    if (!this.tracked.delete(threadId)) return
    this.service.unwatch(threadId)
    this.remotes.delete(threadId)
    // Clients drop what they showed: an archived or deleted thread has no CI.
    this.deps.bus.publish('ci/updated', {
      status: {
        threadId,
        overall: 'none',
        provider: null,
        commit: null,
        checks: [],
        problem: null,
        rateLimitedUntil: null,
        updatedAt: Date.now()
      }
    })
  }

  private async lookUpRemote(t: Thread): Promise<void> {
    this.remotes.set(t.id, await remoteUrl(this.deps.git, t.worktreePath, t.branch).catch(() => null))
  }

  private thread(threadId: string): Result<Thread> {
    const t = this.deps.thread(threadId)
    return t ? ok(t) : err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
  }

  /** Every followed thread's status. */
  statuses(): CiStatus[] {
    return [...this.tracked].map((id) => this.service.status(id))
  }

  /** Polls a thread now (its remote looked up again: it may have been added since). */
  async refresh(threadId: string): Promise<Result<CiStatus>> {
    const t = this.thread(threadId)
    if (!t.ok) return t
    await this.lookUpRemote(t.value)
    if (!this.tracked.has(threadId)) await this.follow(t.value, true)
    return this.service.refresh(threadId)
  }

  /** Skein pushed the thread's branch: the upstream may be new, and checks are about to start. */
  async pushed(threadId: string): Promise<void> {
    const t = this.thread(threadId)
    if (!t.ok) return
    await this.lookUpRemote(t.value)
    if (!this.tracked.has(threadId)) await this.follow(t.value, true)
    await this.service.pushed(threadId)
  }

  /** A check's log for the panel. */
  log(threadId: string, checkId: string): Promise<Result<CiLog>> {
    return this.service.log(threadId, checkId)
  }

  /** Sends a failed check (name, commit, log excerpt) to the thread's agent as one message. */
  async sendFailure(threadId: string, checkId: string): Promise<Result<{ delivery: DeliveryOutcome; text: string }>> {
    const text = await this.service.failureMessage(threadId, checkId)
    if (!text.ok) return text
    const t = this.thread(threadId)
    if (!t.ok) return t
    const sent = await this.deps.delivery.deliver(t.value, text.value)
    return sent.ok ? ok({ delivery: sent.value, text: text.value }) : sent
  }

  /** The repository's configured check commands, the ones found in its files, and the thread's runs. */
  async checks(
    threadId: string
  ): Promise<Result<{ configured: string[]; suggestions: SuggestedCheck[]; runs: LocalRun[]; override: CiProviderOverride | null }>> {
    const t = this.thread(threadId)
    if (!t.ok) return t
    const suggestions = await this.service.suggestions(threadId)
    const ci = this.deps.settings.ci(t.value.repoId)
    return ok({
      configured: ci.checks ?? [],
      suggestions: suggestions.ok ? suggestions.value : [],
      runs: this.service.localRuns(threadId),
      override: ci.override ?? null
    })
  }

  /** Runs a check command in the thread's worktree. */
  async runLocal(threadId: string, command: string): Promise<Result<LocalRun>> {
    const run = await this.service.runLocal(threadId, command)
    if (run.ok) this.tracked.add(threadId)
    return run
  }

  /** Cancels a local run. */
  cancelLocal(runId: string): Promise<Result<LocalRun>> {
    return this.service.cancelLocal(runId)
  }

  /** Changes a repository's CI service override or check commands, then re-reads its threads. */
  async configure(repoId: string, patch: { override?: CiProviderOverride | null; checks?: string[] }): Promise<Result<void>> {
    const saved = await this.deps.settings.updateCi(repoId, patch)
    if (!saved.ok) return saved
    for (const t of this.deps.threads.list({ repoId })) if (this.tracked.has(t.id)) void this.refresh(t.id)
    return ok(undefined)
  }

  /** Stops polling and ends local runs. */
  async close(): Promise<void> {
    clearInterval(this.scan)
    if (this.firstScan) clearTimeout(this.firstScan)
    this.subscription.dispose()
    await this.service.dispose()
  }

  dispose(): void {
    void this.close()
  }
}
