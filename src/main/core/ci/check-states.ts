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
      return { state: 'neutral', detail: `unknown status "${status}"` }
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
      return { state: 'neutral', detail: conclusion ? `unknown conclusion "${conclusion}"` : undefined }
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
      return { state: 'neutral', detail: `unknown state "${state}"` }
  }
}

/** Maps a GitLab pipeline or job status to a check state; a failed job allowed to fail is neutral. */
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
    case 'running':
      return { state: 'running' }
    case 'success':
      return { state: 'passed' }
    case 'failed':
      return allowFailure ? { state: 'neutral', detail: 'failed, allowed to fail' } : { state: 'failed' }
    case 'canceled':
    case 'canceling':
      return { state: 'cancelled' }
    case 'skipped':
      return { state: 'skipped' }
    case 'manual':
      return { state: 'neutral', detail: 'manual: start it in GitLab' }
    default:
      return { state: 'neutral', detail: `unknown status "${status}"` }
  }
}

/**
 * The thread's CI at a glance. A failure shows as soon as one check fails, even while others run,
 * because it is already actionable; a cancelled check is not a pass, so it counts as failed.
 */
export function overallState(checks: readonly Pick<CiCheck, 'state'>[]): CiOverall {
  if (checks.length === 0) return 'none'
  if (checks.some((c) => c.state === 'failed' || c.state === 'cancelled')) return 'failed'
  if (checks.some((c) => c.state === 'running')) return 'running'
  if (checks.some((c) => c.state === 'queued')) return 'pending'
  return 'passed'
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
