import type { RemoteReviews } from './pr-provider'

/**
 * What GitHub reviews add up to, as its own review decision does without GraphQL: each reviewer's
 * latest approving, change-requesting or dismissed review counts (comments and pending reviews do
 * not); any change request wins over approvals; with neither, review is required while reviewers
 * were asked and have not answered.
 */
export function reviewDecision(reviews: readonly { by: string; state: string }[], requested: readonly string[]): RemoteReviews {
  const latest = new Map<string, string>()
  for (const r of reviews) {
    const state = r.state.toUpperCase()
    if (r.by && (state === 'APPROVED' || state === 'CHANGES_REQUESTED' || state === 'DISMISSED')) latest.set(r.by, state)
  }
  const approvedBy = [...latest].filter(([, s]) => s === 'APPROVED').map(([by]) => by)
  const changesRequestedBy = [...latest].filter(([, s]) => s === 'CHANGES_REQUESTED').map(([by]) => by)
  const decision =
    changesRequestedBy.length > 0
      ? 'changes-requested'
      : approvedBy.length > 0
        ? 'approved'
        : requested.length > 0
          ? 'review-required'
          : 'none'
  return { decision, approvedBy, changesRequestedBy }
}
