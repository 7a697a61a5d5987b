import type { CiProblem, CiStatus, RemoteProviderKind } from '../../../shared/ci'
import type { PrChecks, PrStatus } from '../../../shared/pr'
import type { RemotePr, RemoteReviews } from './pr-provider'

const PASSED = new Set(['passed', 'skipped', 'neutral'])
const FAILED = new Set(['failed', 'cancelled'])
const RUNNING = new Set(['queued', 'running'])

/**
 * The request's checks, counted from the thread's CI status (its hosted checks; local runs are not on
 * the request). Never better than the checks: a state it does not know keeps it from reading passed.
 */
export function checksFromCi(ci: CiStatus | undefined): PrChecks | null {
  const remote = ci?.checks.filter((c) => c.provider !== 'local') ?? []
  if (!ci || remote.length === 0) return null
  const passed = remote.filter((c) => PASSED.has(c.state)).length
  const failed = remote.filter((c) => FAILED.has(c.state)).length
  const running = remote.filter((c) => RUNNING.has(c.state)).length
  const overall =
    failed > 0 ? 'failed' : remote.some((c) => c.state === 'running') ? 'running' : passed === remote.length ? 'passed' : 'pending'
  return { overall, passed, failed, running, total: remote.length, commit: ci.commit }
}

/** A thread's request status from the service's answers and the CI status. */
export function composeStatus(o: {
  threadId: string
  provider: RemoteProviderKind
  pr: RemotePr
  reviews: RemoteReviews | null
  ci: CiStatus | undefined
  problem: CiProblem | null
  now: number
}): PrStatus {
  const { pr } = o
  const decided = new Set([...(o.reviews?.approvedBy ?? []), ...(o.reviews?.changesRequestedBy ?? [])])
  return {
    threadId: o.threadId,
    provider: o.provider,
    number: pr.number,
    url: pr.url,
    title: pr.title,
    state: pr.state,
    base: pr.base,
    head: pr.head,
    headSha: pr.headSha,
    mergeability: pr.mergeability,
    mergeabilityDetail: pr.mergeabilityDetail,
    review: {
      decision: o.reviews?.decision ?? (pr.requested.length ? 'review-required' : 'none'),
      approvedBy: o.reviews?.approvedBy ?? [],
      changesRequestedBy: o.reviews?.changesRequestedBy ?? [],
      requested: pr.requested.filter((r) => !decided.has(r))
    },
    labels: pr.labels,
    autoMerge: pr.autoMerge,
    checks: checksFromCi(o.ci),
    problem: o.problem,
    rateLimitedUntil: o.problem?.kind === 'rate-limited' ? (o.problem.until ?? null) : null,
    updatedAt: o.now
  }
}

/** Whether two statuses show the same thing (when they were made aside). */
export const sameStatus = (a: PrStatus | null, b: PrStatus | null): boolean =>
  JSON.stringify(a && { ...a, updatedAt: 0 }) === JSON.stringify(b && { ...b, updatedAt: 0 })
