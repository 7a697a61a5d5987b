import type { CiCheck, CiCheckState, CiOverall } from '../../../shared/ci'

/** A mapped state, with a note when the provider's word says more than the state does. */
export interface MappedState {
  state: CiCheckState
  detail?: string
}

/** Maps a GitHub check run's `status` and `conclusion` (see the check-runs API) to a check state. */
export function githubCheckRunState(status: string, conclusion: string | null): MappedState {
  switch (status) {
    case 'queued':
    case 'requested':
    case 'waiting':
    case 'pending':
      return { state: 'queued' }
    case 'in_progress':
      return { state: 'running' }
    case 'completed':
      break
    default:
      return { state: 'unknown', detail: `unknown status "${status}"` }
  }
  switch (conclusion) {
    case 'success':
      return { state: 'passed' }
    case 'failure':
      return { state: 'failed' }
    case 'timed_out':
      return { state: 'failed', detail: 'timed out' }
    case 'startup_failure':
      return { state: 'failed', detail: 'failed to start' }
    // Not a pass: the run is blocked until someone acts on GitHub (e.g. approves a workflow from a fork).
    case 'action_required':
      return { state: 'failed', detail: 'needs someone to act on GitHub' }
    case 'cancelled':
      return { state: 'cancelled' }
    case 'stale':
      return { state: 'cancelled', detail: 'marked stale by GitHub' }
    case 'skipped':
      return { state: 'skipped' }
    case 'neutral':
      return { state: 'neutral' }
    default:
      return { state: 'unknown', detail: conclusion ? `unknown conclusion "${conclusion}"` : 'completed without a conclusion' }
  }
}

/** Maps a GitHub commit status `state` (pending, success, failure, error) to a check state. */
export function githubCommitStatusState(state: string): MappedState {
  switch (state) {
    case 'pending':
      return { state: 'running' }
    case 'success':
      return { state: 'passed' }
    case 'failure':
      return { state: 'failed' }
    case 'error':
      return { state: 'failed', detail: 'errored' }
    default:
      return { state: 'unknown', detail: `unknown state "${state}"` }
  }
}

/**
 * Maps a GitLab pipeline or job status to a check state. A failed job allowed to fail is neutral. A
 * manual job allowed to fail is optional (neutral); one that is not blocks the pipeline, as does a
 * pipeline whose status is `manual`, so it reads as queued: nothing has passed yet.
 */
export function gitlabState(status: string, allowFailure = false): MappedState {
  switch (status) {
    case 'created':
    case 'pending':
      return { state: 'queued' }
    case 'waiting_for_resource':
      return { state: 'queued', detail: 'waiting for a resource' }
    case 'preparing':
      return { state: 'queued', detail: 'preparing' }
    case 'scheduled':
      return { state: 'queued', detail: 'scheduled' }
    case 'manual':
      return allowFailure
        ? { state: 'neutral', detail: 'manual: start it in GitLab' }
        : { state: 'queued', detail: 'blocked on a manual job: start it in GitLab' }
    case 'running':
      return { state: 'running' }
    case 'waiting_for_callback':
      return { state: 'running', detail: 'waiting for a callback from an external service' }
    case 'success':
      return { state: 'passed' }
    case 'failed':
      return allowFailure ? { state: 'neutral', detail: 'failed, allowed to fail' } : { state: 'failed' }
    case 'canceling':
      return { state: 'cancelled', detail: 'being cancelled' }
    case 'canceled':
      return { state: 'cancelled' }
    case 'skipped':
      return { state: 'skipped' }
    default:
      return { state: 'unknown', detail: `unknown status "${status}"` }
  }
}

// How bad a check state is, for combining two words about one check (a trigger job and its downstream pipeline).
const SEVERITY: Record<CiCheckState, number> = {
  passed: 0,
  skipped: 1,
  neutral: 2,
  unknown: 3,
  queued: 4,
  running: 5,
  cancelled: 6,
  failed: 7
}

/** The worse of two mapped states (a failure beats a run, a run beats a pass). */
export const worseState = (a: MappedState, b: MappedState): MappedState => (SEVERITY[b.state] > SEVERITY[a.state] ? b : a)

/**
 * The thread's CI at a glance. A failure shows as soon as one check fails, even while others run,
 * because it is already actionable; a cancelled check is not a pass, so it counts as failed. A check
 * whose state is unknown is never rolled up into a pass.
 */
export function overallState(checks: readonly Pick<CiCheck, 'state'>[]): CiOverall {
  if (checks.length === 0) return 'none'
  if (checks.some((c) => c.state === 'failed' || c.state === 'cancelled')) return 'failed'
  if (checks.some((c) => c.state === 'running')) return 'running'
  if (checks.some((c) => c.state === 'queued')) return 'pending'
  if (checks.some((c) => c.state === 'unknown')) return 'unknown'
  return 'passed'
}

// Optimism tiers: a pass, then anything unsettled or unknown, then a failure.
const HOPE: Record<CiOverall, number> = { passed: 2, pending: 1, running: 1, unknown: 1, none: 1, failed: 0 }

/**
 * Whether `checks` read better than the provider's own verdict about them (a pipeline's status, a
 * commit's combined status), e.g. every job passed but the pipeline failed in a part Skein cannot see.
 * The caller then adds the verdict as a check of its own, so the overall state is never more optimistic.
 */
export function readsBetterThan(checks: readonly Pick<CiCheck, 'state'>[], verdict: CiCheckState): boolean {
  if (checks.length === 0) return true
  return HOPE[overallState(checks)] > HOPE[overallState([{ state: verdict }])]
}

/** Milliseconds since epoch from an ISO timestamp; null when absent or unparsable. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

/** completed − started, when both are known. */
export const durationOf = (startedAt: number | null, completedAt: number | null): number | null =>
  startedAt !== null && completedAt !== null ? Math.max(0, completedAt - startedAt) : null
