import type { PrStatus } from './pr'

/** GitLab's blocked details (in Skein's words) that only wait for the pipeline: its auto-merge may be set. */
export const GITLAB_PIPELINE_MUST_PASS = 'the pipeline must pass'
/** See GITLAB_PIPELINE_MUST_PASS. */
export const GITLAB_PIPELINE_RUNNING = 'the pipeline is still running'

/** Whether a merge request's blocked detail only waits for its pipeline (auto-merge may be set). */
export const waitsForPipeline = (detail: string | null): boolean =>
  detail === GITLAB_PIPELINE_MUST_PASS || detail === GITLAB_PIPELINE_RUNNING

/** Whether a request may be merged now, and if not, whether the service can wait for what is missing by itself. */
export interface Readiness {
  /** What stops merging now, in a few words; null when nothing does. */
  why: string | null
  /**
   * Only what the service enforces itself is missing (checks still running, a required review still to
   * come, GitLab's pipeline): its own auto-merge can wait for it. Never for changes requested, conflicts,
   * a branch behind its base, failing checks or a draft.
   */
  wait: boolean
}

/**
 * What stops a ready-only merge, and whether the service's own auto-merge may wait for it: changes
 * requested, a requested review not given, the service not calling it mergeable (on GitHub "clean":
 * not even failing checks of its own), or Skein's checks of the head not passed.
 */
export function readiness(s: PrStatus): Readiness {
  const r = s.review
  const github = s.provider === 'github'
  const hard: string[] = []
  const soft: string[] = []
  if (r.decision === 'changes-requested') hard.push(`${r.changesRequestedBy.join(', ') || 'a reviewer'} requested changes`)
  const checks = s.checks && s.checks.commit === s.headSha ? s.checks : null
  if (checks?.overall === 'failed') hard.push(`${checks.failed} of ${checks.total} checks failed`)
  else if (checks && checks.overall !== 'passed') soft.push('its checks have not passed yet')
  if (r.decision === 'review-required')
    (github ? soft : hard).push(r.requested.length ? `it waits for a review from ${r.requested.join(', ')}` : 'it waits for approval')
  if (s.mergeability !== 'mergeable' || s.mergeabilityDetail) {
    const said =
      s.mergeabilityDetail ??
      (s.mergeability === 'checking' ? 'the service has not worked out whether it can be merged yet' : s.mergeability)
    const waits =
      s.mergeability === 'checking' ||
      (s.mergeability === 'blocked' && (github ? s.mergeabilityDetail !== 'it is a draft' : waitsForPipeline(s.mergeabilityDetail)))
    ;(waits ? soft : hard).push(said)
  }
  if (hard.length) return { why: hard[0]!, wait: false }
  return { why: soft[0] ?? null, wait: soft.length > 0 }
}

/**
 * Whether the service's own auto-merge can take over ("Merge when ready"): an open request, auto-merge
 * not on yet, something missing that only the service's own rules wait for. GitHub calling the request
 * mergeable ("clean") while Skein still sees something missing (a review it does not require) is not
 * such a case: its auto-merge would have nothing to wait for.
 */
export function canWaitForReady(s: PrStatus): boolean {
  if (s.state !== 'open' || s.autoMerge) return false
  const r = readiness(s)
  return r.why !== null && r.wait && !(s.provider === 'github' && s.mergeability === 'mergeable')
}
