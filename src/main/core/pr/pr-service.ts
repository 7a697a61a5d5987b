import type { CiProblem, CiProviderOverride, CiStatus } from '../../../shared/ci'
import type { Thread } from '../../../shared/models'
import type { PrStatus } from '../../../shared/pr'
import { PollSchedule, type ScheduleOptions } from '../ci/backoff'
import { remoteUrl } from '../ci/ci-git'
import { resolveCiTarget, type CiTarget } from '../ci/ci-target'
import { systemClock, type Clock } from '../ci/clock'
import type { GitRunner } from '../git/git-runner'
import type { Logger } from '../logger'
import type { PrProviderFactory } from './pr-factory'
import type { PrHttp } from './pr-http'
import { problemOf, type PrProvider, type RemotePr, type RemoteReviews } from './pr-provider'
import { composeStatus, sameStatus } from './pr-status'

/** How often a thread's request is read: CI's schedule, slower, plus the waits of its own. */
export interface PrScheduleOptions extends ScheduleOptions {
  /** A pushed branch with no request is looked for this often (a request may be opened on the website). */
  discoverMs?: number
  /** A closed request is looked at this often (it may be reopened); a merged one only after a push. */
  closedMs?: number
  /** Reviews are read again after this long even when the request itself says nothing changed. */
  reviewsStaleMs?: number
  /** After a push or a CI verdict, the request is read again after this short wait (the service catches up). */
  soonMs?: number
}

/** The default schedule: 30 s doubling to 10 min while GitHub works out mergeability, 10 min once settled. */
export const PR_SCHEDULE: Required<PrScheduleOptions> = {
  minMs: 30_000,
  maxMs: 600_000,
  factor: 2,
  hiddenMinMs: 120_000,
  rateLimitMarginMs: 1000,
  unpushedCheckMs: 60_000,
  discoverMs: 1_200_000,
  closedMs: 1_800_000,
  reviewsStaleMs: 1_800_000,
  soonMs: 3000
}

/** What the request service joins. */
export interface PrServiceDeps {
  thread: (id: string) => Thread | undefined
  git: GitRunner
  providers: PrProviderFactory
  /** The transport under the providers: a rate limit CI ran into holds these requests too. */
  http: PrHttp
  /** The repository's CI provider setting (GitHub Enterprise, self-hosted GitLab). */
  override: (repoId: string) => CiProviderOverride | null
  /** The URL of the remote the thread's branch goes to; default: asked of git (upstream, else origin). */
  remote?: (t: Thread) => Promise<string | null>
  /** The thread's CI status, whose checks the request shows. */
  ciStatus: (threadId: string) => CiStatus | undefined
  /** A thread's request changed, or it has none any more (null). */
  notify: (threadId: string, status: PrStatus | null) => void
  isVisible?: (threadId: string) => boolean
  /** An open request was read on schedule (its review threads are read along with it); `changed`: not a 304. */
  polled?: (threadId: string, changed: boolean) => void
  clock?: Clock
  schedule?: PrScheduleOptions
  logger?: Logger
}

interface Entry {
  target: CiTarget | null
  number: number | null
  remote: RemotePr | null
  reviews: RemoteReviews | null
  reviewsAt: number
  status: PrStatus | null
  fingerprint: string
  schedule: PollSchedule
  timer: unknown
  running: Promise<void> | null
  rerun: Promise<void> | null
  ciCommit: string | null
  ciOverall: CiStatus['overall'] | null
}

const SETTLED_CI = new Set(['passed', 'failed'])

/**
 * Keeps every followed thread's pull or merge request: finds it for the thread's pushed branch,
 * reads its state, mergeability and reviews politely (conditional requests, CI's backoff, slower;
 * settled requests are read rarely, merged ones not at all until a push), and shows the thread's CI
 * checks on it without asking the service again.
 */
export class PrService {
  private readonly entries = new Map<string, Entry>()
  private readonly clock: Clock
  private readonly options: Required<PrScheduleOptions>
  private disposed = false

  constructor(private readonly deps: PrServiceDeps) {
    this.clock = deps.clock ?? systemClock
    this.options = { ...PR_SCHEDULE, ...deps.schedule }
  }

  /** The thread's request as last read; null when it has none (or none is known yet). */
  status(threadId: string): PrStatus | null {
    return this.entries.get(threadId)?.status ?? null
  }

  /** Every known request. */
  statuses(): PrStatus[] {
    return [...this.entries.values()].flatMap((e) => (e.status ? [e.status] : []))
  }

  /** The provider of the thread's repository (its remote looked up again), or the problem. */
  async provider(threadId: string): Promise<{ target: CiTarget; provider: PrProvider } | { problem: CiProblem }> {
    const t = this.deps.thread(threadId)
    if (!t) return { problem: { kind: 'no-provider', message: `No thread with id ${threadId}.` } }
    const url = await (this.deps.remote ? this.deps.remote(t) : remoteUrl(this.deps.git, t.worktreePath, t.branch))
    const target = resolveCiTarget(url, this.deps.override(t.repoId))
    if (!target.ok) return { problem: target.error }
    const e = this.entries.get(threadId)
    if (e) e.target = target.value
    return { target: target.value, provider: this.deps.providers(target.value) }
  }

  /** Starts following a thread whose branch is pushed (a look right away unless one is due). */
  follow(threadId: string): void {
    const e = this.entry(threadId)
    if (!e.running && e.timer === null) void this.poll(threadId)
  }

  /** Stops following a thread (archived or deleted) and tells clients it shows no request. */
  forget(threadId: string): void {
    const e = this.entries.get(threadId)
    if (!e) return
    this.clearTimer(e)
    this.entries.delete(threadId)
    if (e.status) this.deps.notify(threadId, null)
  }

  /** Reads the thread's request now (its remote looked up again; a request opened elsewhere is found). */
  async refresh(threadId: string): Promise<PrStatus | null> {
    const e = this.entry(threadId)
    e.target = null
    if (e.remote?.state !== 'open' && e.remote?.state !== 'draft') e.number = null
    e.schedule.refreshNow()
    await this.poll(threadId)
    return e.status
  }

  /** The thread's CI changed: a push makes the request worth reading soon; a verdict may change mergeability; the checks shown follow. */
  ciUpdated(ci: CiStatus): void {
    const t = this.deps.thread(ci.threadId)
    if (!t || t.status === 'archived' || !t.branch || this.disposed) return
    const existing = this.entries.get(ci.threadId)
    if (ci.rateLimitedUntil && existing?.target) this.deps.http.holdUntil(existing.target.baseUrl, ci.rateLimitedUntil)
    if (!existing) {
      if (ci.commit) {
        const e = this.entry(ci.threadId)
        e.ciCommit = ci.commit
        e.ciOverall = ci.overall
        this.follow(ci.threadId)
      }
      return
    }
    const pushed = ci.commit !== null && ci.commit !== existing.ciCommit
    const verdict = SETTLED_CI.has(ci.overall) && existing.ciOverall !== null && existing.ciOverall !== ci.overall
    existing.ciCommit = ci.commit
    existing.ciOverall = ci.overall
    if (existing.remote) this.publish(ci.threadId, existing, existing.status?.problem ?? null)
    if (pushed) {
      // A new commit: the request's head moves, and a branch whose request was merged or closed may get a new one.
      if (existing.remote && existing.remote.state !== 'open' && existing.remote.state !== 'draft') existing.number = null
      existing.schedule.refreshNow()
      this.pollSoon(ci.threadId, existing)
    } else if (verdict && existing.remote && (existing.remote.state === 'open' || existing.remote.state === 'draft')) {
      this.pollSoon(ci.threadId, existing)
    }
  }

  /** Takes a request Skein just opened, merged or found, as the thread's, and reads it on schedule from now on. */
  adopt(threadId: string, target: CiTarget, pr: RemotePr, reviews: RemoteReviews | null): PrStatus {
    const e = this.entry(threadId)
    e.target = target
    e.number = pr.number
    e.remote = pr
    if (reviews) {
      e.reviews = reviews
      e.reviewsAt = this.clock.now()
    }
    e.schedule.refreshNow()
    const status = this.publish(threadId, e, null)!
    this.clearTimer(e)
    this.schedule(threadId, e, true, null)
    return status
  }

  /** Resolves once no read is in flight (for tests and benches on a manual clock). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const busy = [...this.entries.values()].flatMap((e) => [e.running, e.rerun]).filter((p): p is Promise<void> => p !== null)
      if (busy.length === 0) return
      await Promise.all(busy)
    }
  }

  /** Stops every timer. */
  dispose(): void {
    this.disposed = true
    for (const e of this.entries.values()) this.clearTimer(e)
  }

  private entry(threadId: string): Entry {
    let e = this.entries.get(threadId)
    if (!e) {
      e = {
        target: null,
        number: null,
        remote: null,
        reviews: null,
        reviewsAt: 0,
        status: null,
        fingerprint: '',
        schedule: new PollSchedule(this.options),
        timer: null,
        running: null,
        rerun: null,
        ciCommit: null,
        ciOverall: null
      }
      this.entries.set(threadId, e)
    }
    return e
  }

  private clearTimer(e: Entry): void {
    if (e.timer !== null) this.clock.clearTimeout(e.timer)
    e.timer = null
  }

  private pollSoon(threadId: string, e: Entry): void {
    this.clearTimer(e)
    e.timer = this.clock.setTimeout(() => {
      e.timer = null
      void this.poll(threadId)
    }, this.options.soonMs)
  }

  // One read per thread at a time; a request during a read runs once more after it.
  private poll(threadId: string): Promise<void> {
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
      .catch((cause: unknown) => this.deps.logger?.error(`Reading the pull request of thread ${threadId} failed`, cause))
      .finally(() => {
        e.running = null
      })
    return e.running
  }

  private async pollOnce(threadId: string, e: Entry): Promise<void> {
    const t = this.deps.thread(threadId)
    if (!t || t.status === 'archived' || !t.branch || this.disposed) return
    if (!e.target) {
      const found = await this.provider(threadId)
      // No remote Skein knows: nothing to read until a refresh or a push.
      if ('problem' in found) return
    }
    if (this.entries.get(threadId) !== e || !e.target) return
    const provider = this.deps.providers(e.target)
    let problem: CiProblem | null = null
    if (e.number === null) {
      const found = await provider.find(t.branch)
      if (!found.ok) problem = problemOf(found.error, provider.words)
      else if (found.value) e.number = found.value.number
      else {
        e.remote = null
        this.publish(threadId, e, null)
        return this.again(threadId, e, this.options.discoverMs)
      }
    }
    let changed = false
    if (e.number !== null && !problem) {
      const got = await provider.get(e.number)
      if (!got.ok) problem = problemOf(got.error, provider.words)
      else {
        changed = !got.value.notModified || e.remote === null
        e.remote = got.value.value
        const stale = this.clock.now() - e.reviewsAt > this.options.reviewsStaleMs
        if (changed || !e.reviews || stale) {
          const reviews = await provider.reviews(e.remote)
          if (!reviews.ok) problem = problemOf(reviews.error, provider.words)
          else {
            e.reviews = reviews.value
            e.reviewsAt = this.clock.now()
          }
        }
      }
    }
    if (this.disposed || this.entries.get(threadId) !== e) return
    this.publish(threadId, e, problem)
    this.schedule(threadId, e, changed, problem)
    if (!problem && (e.remote?.state === 'open' || e.remote?.state === 'draft')) this.deps.polled?.(threadId, changed)
  }

  private schedule(threadId: string, e: Entry, changed: boolean, problem: CiProblem | null): void {
    const until = problem?.kind === 'rate-limited' ? (problem.until ?? null) : null
    const now = this.clock.now()
    const past = (delay: number) => (until !== null && until > now ? Math.max(delay, until - now + this.options.rateLimitMarginMs) : delay)
    if (!e.remote)
      return this.again(
        threadId,
        e,
        past(problem ? e.schedule.next({ checks: [], changed, rateLimitedUntil: until, visible: false }, now) : this.options.discoverMs)
      )
    if (e.remote.state === 'merged' && !problem) return
    if (e.remote.state === 'closed' && !problem) return this.again(threadId, e, this.options.closedMs)
    const fingerprint = JSON.stringify(e.status && { ...e.status, checks: null, updatedAt: 0 })
    const moved = changed && fingerprint !== e.fingerprint
    e.fingerprint = fingerprint
    const pending = e.remote.mergeability === 'checking'
    const delay = e.schedule.next(
      {
        checks: [{ state: pending ? 'running' : 'passed' }],
        changed: moved,
        rateLimitedUntil: until,
        visible: this.deps.isVisible?.(threadId) ?? true
      },
      now
    )
    this.again(threadId, e, delay)
  }

  private again(threadId: string, e: Entry, delay: number): void {
    this.clearTimer(e)
    e.timer = this.clock.setTimeout(() => {
      e.timer = null
      void this.poll(threadId)
    }, delay)
  }

  private publish(threadId: string, e: Entry, problem: CiProblem | null): PrStatus | null {
    const next =
      e.remote && e.target
        ? composeStatus({
            threadId,
            provider: e.target.provider,
            pr: e.remote,
            reviews: e.reviews,
            ci: this.deps.ciStatus(threadId),
            problem,
            now: this.clock.now()
          })
        : null
    if (sameStatus(e.status, next)) return e.status
    e.status = next
    this.deps.notify(threadId, next)
    return next
  }
}
