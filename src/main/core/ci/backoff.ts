import type { CiCheck } from '../../../shared/ci'

/** The polling intervals. */
export interface ScheduleOptions {
  /** The interval while checks are queued or running and keep changing. */
  minMs?: number
  /** The cap, and the interval once every check has finished. */
  maxMs?: number
  /** How much the interval grows after a poll that saw no change. */
  factor?: number
  /** A thread nobody is looking at is polled no more often than this. */
  hiddenMinMs?: number
  /** Wait this long past a rate limit's reset time, for clock skew. */
  rateLimitMarginMs?: number
  /** How often to look (locally, with git; no request) whether a branch was pushed outside Skein. */
  unpushedCheckMs?: number
}

/** What one poll saw. */
export interface PollObservation {
  /** The remote checks now. */
  checks: readonly Pick<CiCheck, 'state'>[]
  /** Whether anything differs from the previous poll (commit, a check's state, the problem). */
  changed: boolean
  /** When a rate limit lifts (ms since epoch); null when not limited. */
  rateLimitedUntil: number | null
  /** Whether a person can see the thread now. */
  visible: boolean
}

/** The default intervals: 10 s, doubling to 5 min. */
export const DEFAULT_SCHEDULE: Required<ScheduleOptions> = {
  minMs: 10_000,
  maxMs: 300_000,
  factor: 2,
  hiddenMinMs: 60_000,
  rateLimitMarginMs: 1000,
  unpushedCheckMs: 60_000
}

/**
 * When to poll a thread's CI next. While checks are queued or running (or have not appeared yet)
 * the interval starts at `minMs` and doubles after every poll that saw no change, up to `maxMs`;
 * a change starts it over. Once every check has finished it waits `maxMs`, since nothing more is
 * expected until a push, and a push calls `refreshNow`. A rate limit pushes the poll past its reset.
 */
export class PollSchedule {
  private readonly options: Required<ScheduleOptions>
  private current: number

  constructor(options: ScheduleOptions = {}) {
    this.options = { ...DEFAULT_SCHEDULE, ...options }
    this.current = this.options.minMs
  }

  /** The interval as it stands (before visibility and rate limits). */
  get interval(): number {
    return this.current
  }

  /** The delay from `now` to the next poll, after a poll that saw `o`. */
  next(o: PollObservation, now: number): number {
    const settled = o.checks.length > 0 && !o.checks.some((c) => c.state === 'queued' || c.state === 'running')
    if (settled) this.current = this.options.maxMs
    else if (o.changed) this.current = this.options.minMs
    else this.current = Math.min(this.current * this.options.factor, this.options.maxMs)
    let delay = this.current
    if (!o.visible) delay = Math.max(delay, this.options.hiddenMinMs)
    if (o.rateLimitedUntil !== null && o.rateLimitedUntil > now)
      delay = Math.max(delay, o.rateLimitedUntil - now + this.options.rateLimitMarginMs)
    return delay
  }

  /** The delay before looking again whether an unpushed branch has been pushed. */
  get unpushedCheckMs(): number {
    return this.options.unpushedCheckMs
  }

  /** Starts over from the shortest interval (Skein just pushed, or a person asked). */
  refreshNow(): void {
    this.current = this.options.minMs
  }
}

/** Whether a thread's CI is worth polling: not archived, and its branch is on a remote Skein can read. */
export function shouldPoll(t: { archived: boolean; pushed: boolean; hasProvider: boolean }): boolean {
  return !t.archived && t.pushed && t.hasProvider
}
