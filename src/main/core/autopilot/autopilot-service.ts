import type { AutopilotAttempt, AutopilotMerge, AutopilotPatch, AutopilotState, GiveUpReason } from '../../../shared/autopilot'
import type { CiStatus } from '../../../shared/ci'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Disposable } from '../../../shared/jsonrpc'
import type { NotificationName, NotificationOf } from '../../../shared/methods'
import { requestNoun, requestRef, type PrStatus } from '../../../shared/pr'
import { err, ok, type Result } from '../../../shared/result'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import { runAttempt, type AttemptDeps, type AttemptEnd } from './autopilot-attempt'
import { emptyRecord, type AutopilotRecord, type AutopilotStore } from './autopilot-store'
import { failedChecks, remoteCi } from './attempt-text'
import type { MergeWhenGreen } from './merge-when-green'
import { ThreadWaits } from './thread-waits'

/** What the autopilot joins: CI, the agent, git, its store and the bus it reports on. */
export interface AutopilotDeps extends Omit<AttemptDeps, 'waits' | 'lastError' | 'agentTimeoutMs' | 'ciTimeoutMs'> {
  bus: NotificationBus
  store: AutopilotStore
  logger: Logger
  /** Merges a green commit's request when the thread asks for auto-merge; absent: auto-merge is not offered. */
  merge?: MergeWhenGreen | null
  /** Longest wait for the agent to finish one attempt (default 45 minutes). */
  agentTimeoutMs?: number
  /** Longest wait for CI's verdict on a pushed fix (default 90 minutes). */
  ciTimeoutMs?: number
}

/** Why a run was stopped from outside: the person, the thread going away, or Skein closing (not recorded). */
type StopReason = 'turned-off' | 'thread-gone' | 'closing'

const public_ = ({ settledHead: _s, ...state }: AutopilotRecord): AutopilotState => state
const money = (usd: number) => `$${usd.toFixed(2)}`
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The spend of a run's attempts: the sum of those with a known cost, null when none had one. */
function spentOf(attempts: readonly AutopilotAttempt[]): number | null {
  const known = attempts.filter((a) => a.costUsd !== null)
  return known.length || attempts.length === 0 ? known.reduce((sum, a) => sum + a.costUsd!, 0) : null
}

/**
 * The CI autopilot. For a thread with it on, a failure of the pushed commit's checks starts a run:
 * up to N attempts, each sending the failure to the agent, pushing its fix and waiting for CI,
 * within a cost budget; it gives up with a reason (and says so on the bus) when attempts or budget
 * run out, the agent errors, a push is refused or the person turns it off. Once green it can merge
 * the request (only at that commit, never forced). Driven by CI and thread events; no polling.
 */
export class AutopilotService implements Disposable {
  private readonly runs = new Map<string, AbortController>()
  private readonly waits = new ThreadWaits()
  private readonly errors = new Map<string, { at: number; text: string }>()
  private readonly merging = new Set<string>()
  // Each thread's request as last announced: it may merge while Skein is still turning auto-merge on.
  private readonly lastPr = new Map<string, PrStatus>()
  private readonly subscription: Disposable
  private readonly attemptDeps: AttemptDeps
  private closed = false

  constructor(private readonly deps: AutopilotDeps) {
    this.attemptDeps = {
      ...deps,
      waits: this.waits,
      lastError: (id) => this.errors.get(id),
      agentTimeoutMs: deps.agentTimeoutMs ?? 45 * 60_000,
      ciTimeoutMs: deps.ciTimeoutMs ?? 90 * 60_000
    }
    // An attempt that was under way when Skein stopped ended with it; the run goes on at the next failure.
    for (const r of deps.store.all()) {
      const last = r.attempts.at(-1)
      if (last && last.outcome === null)
        deps.store.put({
          ...r,
          attempts: [
            ...r.attempts.slice(0, -1),
            { ...last, step: 'done', outcome: 'stopped', endedAt: Date.now(), detail: 'Skein stopped during it.' }
          ]
        })
    }
    this.subscription = deps.bus.subscribe((name, params) => this.onEvent(name, params))
  }

  /** A thread's autopilot (the defaults, off, for a thread that never set one). */
  get(threadId: string): Result<AutopilotState> {
    if (!this.deps.thread(threadId)) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    return ok(public_(this.record(threadId)))
  }

  /** Every thread's autopilot that is on or has attempts to show. */
  list(): AutopilotState[] {
    return this.deps.store
      .all()
      .filter((r) => (r.settings.enabled || r.attempts.length > 0) && this.deps.thread(r.threadId))
      .map(public_)
  }

  /** Changes a thread's settings; turning it on while CI fails starts a run, turning it off stops one. */
  async configure(threadId: string, patch: AutopilotPatch): Promise<Result<AutopilotState>> {
    const t = this.deps.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const before = this.record(threadId)
    const turningOn = patch.enabled === true && !before.settings.enabled
    if (turningOn && (t.status === 'archived' || t.mode !== 'worktree' || !t.branch))
      return err(
        appError(
          ErrorCode.InvalidThreadState,
          t.status === 'archived'
            ? `"${t.title}" is archived; restore it to turn the autopilot on.`
            : 'The autopilot pushes fixes to the thread’s own branch, and this thread runs in your checkout without one.'
        )
      )
    if (patch.autoMerge && !this.deps.merge) return err(appError(ErrorCode.Unsupported, 'Auto-merge is not available in this Skein.'))
    const settings = { ...before.settings, ...patch }
    this.update(threadId, (r) => ({
      ...r,
      settings,
      // Switched on again: a fresh start, even on the commit it last gave up on.
      ...(turningOn ? { phase: 'watching' as const, gaveUp: null, settledHead: null } : {}),
      ...(patch.enabled === false ? { phase: 'off' as const } : {})
    }))
    if (patch.enabled === false && before.settings.enabled) this.stop(threadId, 'turned-off')
    if (settings.enabled) this.onCi(this.deps.ci.status(threadId))
    return ok(public_(this.record(threadId)))
  }

  /** Stops every run (their attempts are closed as stopped at the next start) and waits for the file. */
  async close(): Promise<void> {
    this.closed = true
    this.subscription.dispose()
    for (const id of [...this.runs.keys()]) this.stop(id, 'closing')
    await this.deps.store.flush()
  }

  dispose(): void {
    void this.close()
  }

  private onEvent(name: NotificationName, params: unknown): void {
    if (name === 'ci/updated') {
      const { status } = params as NotificationOf<'ci/updated'>
      this.waits.poke(status.threadId)
      this.onCi(status)
    } else if (name === 'thread/updated') {
      const { thread } = params as NotificationOf<'thread/updated'>
      if (thread.status === 'archived') this.stop(thread.id, 'thread-gone')
      this.waits.poke(thread.id)
    } else if (name === 'thread/removed') {
      const { threadId } = params as NotificationOf<'thread/removed'>
      this.stop(threadId, 'thread-gone')
      this.errors.delete(threadId)
      this.lastPr.delete(threadId)
      this.deps.store.remove(threadId)
    } else if (name === 'pr/updated') {
      const { threadId, status } = params as NotificationOf<'pr/updated'>
      if (status) this.lastPr.set(threadId, status)
      else this.lastPr.delete(threadId)
      this.onPr(threadId, status)
    } else if (name === 'item/completed' || name === 'item/started') {
      const { item } = params as NotificationOf<'item/completed'>
      if (item.kind !== 'error') return
      this.errors.set(item.threadId, { at: item.createdAt, text: item.text ?? 'The agent stopped on an error.' })
      this.waits.poke(item.threadId)
    }
  }

  /** CI changed while no run is going: a new failure starts one; green ends one left open by a restart, and may merge. */
  private onCi(status: CiStatus): void {
    const r = this.deps.store.get(status.threadId)
    if (!r?.settings.enabled || this.runs.has(status.threadId) || this.closed) return
    const { commit, overall } = remoteCi(status)
    if (!commit) return
    if (overall === 'failed' && commit !== r.settledHead) this.start(status.threadId)
    else if (overall === 'passed') {
      if (r.phase === 'fixing') this.update(status.threadId, (x) => ({ ...x, phase: 'passed' }))
      void this.mergeIfAsked(status.threadId, commit)
    }
  }

  private start(threadId: string): void {
    const control = new AbortController()
    this.runs.set(threadId, control)
    void this.run(threadId, control.signal)
      .catch((e: unknown) => this.deps.logger.error(`The autopilot of thread ${threadId} stopped on a bug`, e))
      .finally(() => {
        if (this.runs.get(threadId) === control) this.runs.delete(threadId)
      })
  }

  private stop(threadId: string, reason: StopReason): void {
    this.runs.get(threadId)?.abort(reason)
    this.runs.delete(threadId)
  }

  /** One failure's run: attempts until CI passes or a reason to give up. */
  private async run(threadId: string, signal: AbortSignal): Promise<void> {
    let failing = this.deps.ci.status(threadId)
    // A run left open by a restart goes on counting its attempts; otherwise this failure starts afresh.
    this.update(threadId, (r) =>
      r.phase === 'fixing' ? r : { ...r, phase: 'fixing', attempts: [], spentUsd: 0, gaveUp: null, merge: null }
    )
    let afterNoChange = false
    for (;;) {
      if (signal.aborted) return this.stopped(threadId, signal.reason as StopReason)
      const r = this.record(threadId)
      const head = failing.commit!
      const n = r.attempts.length + 1
      if (n > r.settings.maxAttempts) return this.giveUp(threadId, 'attempts', this.outOfAttempts(r), head)
      const spent = r.spentUsd ?? 0
      if (spent >= r.settings.budgetUsd)
        return this.giveUp(threadId, 'budget', `The attempts cost ${money(spent)} of the ${money(r.settings.budgetUsd)} budget.`, head)
      const end: AttemptEnd = await runAttempt(this.attemptDeps, {
        threadId,
        n,
        max: r.settings.maxAttempts,
        failing,
        afterNoChange,
        spentBefore: spent,
        budgetUsd: r.settings.budgetUsd,
        signal,
        update: (patch) => this.updateAttempt(threadId, n, patch)
      })
      if (end.kind === 'stopped') return this.stopped(threadId, signal.reason as StopReason)
      if (end.kind === 'give-up') return this.giveUp(threadId, end.reason, end.message, head)
      if (end.kind === 'passed') return this.passed(threadId, end.status.commit!)
      afterNoChange = end.kind === 'no-change'
      if (end.kind === 'failed') failing = end.status
      else {
        // No fix: CI may have moved meanwhile (someone pushed), so the next attempt starts from what it says now.
        const now = this.deps.ci.status(threadId)
        const ci = remoteCi(now)
        if (ci.overall === 'passed' && ci.commit) return this.passed(threadId, ci.commit)
        if (ci.overall === 'failed' && ci.commit) failing = now
      }
    }
  }

  private outOfAttempts(r: AutopilotRecord): string {
    const last = r.attempts.at(-1)
    const tried = `Gave up after ${plural(r.attempts.length, 'attempt')}`
    if (last?.outcome === 'no-change') return `${tried}: the agent made no change in the last one.`
    const still = last ? failedChecks(this.deps.ci.status(r.threadId)).map((c) => c.name) : []
    return `${tried}: ${still.length ? `${still.join(', ')} still ${still.length === 1 ? 'fails' : 'fail'}` : 'CI still fails'}.`
  }

  private stopped(threadId: string, reason: StopReason): void {
    if (reason === 'closing') return
    const last = this.record(threadId).attempts.at(-1)
    const message =
      reason === 'turned-off'
        ? `You turned the autopilot off${last ? ` during attempt ${last.n}` : ''}.`
        : 'The thread was archived or deleted.'
    this.giveUp(threadId, reason, message, null)
  }

  private giveUp(threadId: string, reason: GiveUpReason, message: string, head: string | null): void {
    if (!this.deps.thread(threadId) || this.closed) return
    this.update(threadId, (r) => ({
      ...r,
      phase: r.settings.enabled ? 'gave-up' : 'off',
      gaveUp: { reason, message, at: Date.now() },
      settledHead: head ?? r.settledHead
    }))
    this.deps.bus.publish('autopilot/gaveUp', { threadId, reason, message })
  }

  private passed(threadId: string, commit: string): void {
    this.update(threadId, (r) => ({ ...r, phase: 'passed', settledHead: null }))
    void this.mergeIfAsked(threadId, commit)
  }

  /** Merges a green commit's request once, when the thread asks for auto-merge. */
  private async mergeIfAsked(threadId: string, sha: string): Promise<void> {
    const r = this.record(threadId)
    const t = this.deps.thread(threadId)
    const key = `${threadId} ${sha}`
    if (!t || !r.settings.enabled || !r.settings.autoMerge || !this.deps.merge || this.merging.has(key)) return
    if (r.merge?.sha === sha && r.merge.state !== 'failed') return
    this.merging.add(key)
    try {
      this.update(threadId, (x) => ({ ...x, merge: { sha, state: 'merging', message: 'Merging…', at: Date.now() } }))
      const merged = await this.deps.merge.enable(t, sha).catch((e: Error) => err(appError(ErrorCode.InternalError, e.message)))
      const merge = merged.ok
        ? { sha, state: merged.value.state, message: merged.value.message, at: Date.now() }
        : { sha, state: 'failed' as const, message: merged.error.message, at: Date.now() }
      this.update(threadId, (x) => ({ ...x, merge }))
      // Merged (or closed) while auto-merge was being turned on: Skein no longer polls a merged request, so no later update would say so.
      if (merge.state === 'scheduled') this.onPr(threadId, this.lastPr.get(threadId) ?? null)
    } finally {
      this.merging.delete(key)
    }
  }

  /** The service's own auto-merge was on for a green commit: the request merged since, or the auto-merge was dropped. */
  private onPr(threadId: string, status: PrStatus | null): void {
    const m = this.deps.store.get(threadId)?.merge
    if (!m || m.state !== 'scheduled' || !status) return
    const name = `${requestNoun(status.provider)} ${requestRef(status)}`
    const service = status.provider === 'gitlab' ? 'GitLab' : 'GitHub'
    const at = Date.now()
    let next: AutopilotMerge | null = null
    if (status.state === 'merged')
      next = { sha: m.sha, state: 'merged', message: `Merged ${name}: ${service}'s auto-merge merged ${m.sha.slice(0, 7)}.`, at }
    else if (status.state === 'closed') next = { sha: m.sha, state: 'blocked', message: `${name} was closed without merging.`, at }
    else if (!status.autoMerge && status.updatedAt > m.at)
      next = {
        sha: m.sha,
        state: 'blocked',
        message:
          status.headSha && status.headSha !== m.sha
            ? `Auto-merge was turned off: new commits were pushed (the head is now ${status.headSha.slice(0, 7)}). Not merged.`
            : `Auto-merge was turned off on ${service} or in Skein. Not merged.`,
        at
      }
    if (next) this.update(threadId, (x) => ({ ...x, merge: next }))
  }

  private record(threadId: string): AutopilotRecord {
    return this.deps.store.get(threadId) ?? emptyRecord(threadId, Date.now())
  }

  private update(threadId: string, change: (r: AutopilotRecord) => AutopilotRecord): void {
    // A run winding down after its thread was deleted (or Skein closed) must not write the record again.
    if (!this.deps.thread(threadId) || this.closed) return
    const next = change(this.record(threadId))
    const saved = this.deps.store.put({ ...next, spentUsd: spentOf(next.attempts), updatedAt: Date.now() })
    this.deps.bus.publish('autopilot/updated', { state: public_(saved) })
  }

  private updateAttempt(threadId: string, n: number, patch: Partial<AutopilotAttempt>): void {
    this.update(threadId, (r) => {
      const i = r.attempts.findIndex((a) => a.n === n)
      const attempts = i < 0 ? [...r.attempts, patch as AutopilotAttempt] : r.attempts.map((a, j) => (j === i ? { ...a, ...patch } : a))
      return { ...r, attempts }
    })
  }
}
