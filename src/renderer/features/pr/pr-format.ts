import type { RemoteProviderKind } from '../../../shared/ci'
import type { PrMergeability, PrReviewDecision, PrState, PrStatus } from '../../../shared/pr'
import { requestNoun, requestRef } from '../../../shared/pr'
import { canWaitForReady } from '../../../shared/pr-readiness'

export { requestNoun, requestRef }

/** "Pull request" or "Merge request", capitalised for buttons and titles. */
export const RequestNoun = (provider: RemoteProviderKind | null): string => (provider === 'gitlab' ? 'Merge request' : 'Pull request')

/** The service's name. */
export const serviceName = (provider: RemoteProviderKind | null): string => (provider === 'gitlab' ? 'GitLab' : 'GitHub')

/** The words for a request's state. */
export const stateLabels: Record<PrState, string> = { open: 'Open', draft: 'Draft', merged: 'Merged', closed: 'Closed' }

/** The words for whether it can be merged. */
export const mergeabilityLabels: Record<PrMergeability, string> = {
  mergeable: 'Ready to merge',
  conflicts: 'Has conflicts',
  behind: 'Behind its base',
  blocked: 'Blocked',
  checking: 'Checking mergeability…',
  unknown: 'Mergeability unknown'
}

/** The words for the reviews. */
export function reviewText(status: PrStatus): string {
  const r = status.review
  const names = (list: string[]) => (list.length > 2 ? `${list.slice(0, 2).join(', ')} and ${list.length - 2} more` : list.join(' and '))
  const decision: Record<PrReviewDecision, string> = {
    approved: `Approved by ${names(r.approvedBy)}`,
    'changes-requested': `Changes requested by ${names(r.changesRequestedBy)}`,
    'review-required': r.requested.length ? `Review requested from ${names(r.requested)}` : 'Review required',
    none: 'No reviews yet'
  }
  return decision[r.decision]
}

/** How the request looks at a glance: good (ready), bad (conflicts, changes asked, failing checks), waiting, done, quiet. */
export type PrTone = 'ready' | 'attention' | 'waiting' | 'merged' | 'quiet'

/** The tone of a request. */
export function prTone(status: PrStatus): PrTone {
  if (status.state === 'merged') return 'merged'
  if (status.state === 'closed' || status.state === 'draft') return 'quiet'
  if (status.mergeability === 'conflicts' || status.review.decision === 'changes-requested' || status.checks?.overall === 'failed')
    return 'attention'
  if (status.mergeability === 'mergeable' && status.review.decision !== 'review-required' && status.checks?.overall !== 'running')
    return 'ready'
  return 'waiting'
}

/** The checks in a few words: "12 of 12 passed", "2 failing", "3 running"; null without checks. */
export function checksText(status: PrStatus): string | null {
  const c = status.checks
  if (!c) return null
  if (c.failed) return `${c.failed} of ${c.total} ${c.total === 1 ? 'check' : 'checks'} failing`
  if (c.running) return `${c.running} of ${c.total} ${c.total === 1 ? 'check' : 'checks'} running`
  if (c.overall === 'passed') return `${c.total === 1 ? 'The check' : `All ${c.total} checks`} passed`
  return `${c.passed} of ${c.total} checks passed`
}

/** One line for tooltips and accessible names: "Pull request #12: open, ready to merge, approved by octocat, all 3 checks passed". */
export function prSummary(status: PrStatus): string {
  const parts = [stateLabels[status.state].toLowerCase()]
  if (status.state === 'open' || status.state === 'draft') {
    parts.push(mergeabilityLabels[status.mergeability].replace('…', '').toLowerCase())
    parts.push(reviewText(status).replace(/^\w/, (c) => c.toLowerCase()))
  }
  const checks = checksText(status)
  if (checks) parts.push(checks.replace(/^\w/, (c) => c.toLowerCase()))
  return `${RequestNoun(status.provider)} ${requestRef(status)}: ${parts.join(', ')}`
}

/** Why the request cannot be merged from Skein now; null when it can (the service still has the last word). */
export function mergeBlocker(status: PrStatus): string | null {
  if (status.state === 'draft') return 'It is a draft.'
  if (status.state !== 'open') return null
  if (status.mergeability !== 'mergeable') return `It is not ready to merge (${status.mergeabilityDetail ?? status.mergeability}).`
  if (status.checks?.overall === 'failed') return 'Checks failed.'
  if (status.checks && status.checks.overall !== 'passed') return 'Checks have not passed yet.'
  if (status.review.decision === 'changes-requested') return 'A reviewer asked for changes.'
  return null
}

/**
 * Whether "Merge when ready" (the service's own auto-merge) fits: not mergeable yet, but only for what the
 * service enforces (GitHub: its checks, a required review; GitLab: the pipeline), by the core's own rule.
 */
export function canMergeWhenReady(status: PrStatus): boolean {
  return mergeBlocker(status) !== null && canWaitForReady(status)
}

/** "Auto-merge on (squash) — GitHub will merge when the checks pass and reviews allow it"; null while it is off. */
export function autoMergeText(status: PrStatus): string | null {
  if (!status.autoMerge || (status.state !== 'open' && status.state !== 'draft')) return null
  const when =
    status.provider === 'gitlab'
      ? 'GitLab will merge when the pipeline succeeds'
      : 'GitHub will merge when the checks pass and reviews allow it'
  return `Auto-merge on (${status.autoMerge.method}) — ${when}`
}
