import { z } from 'zod'
import { CiOverall, CiProblem, RemoteProviderKind } from './ci'

/** A pull request's (GitHub) or merge request's (GitLab) state. */
export const PrState = z.enum(['open', 'draft', 'merged', 'closed'])
/** A pull or merge request's state. */
export type PrState = z.infer<typeof PrState>

/** Whether the service would merge it now, in the same words for both services. */
export const PrMergeability = z.enum(['mergeable', 'conflicts', 'behind', 'blocked', 'checking', 'unknown'])
/** Whether it can be merged now. */
export type PrMergeability = z.infer<typeof PrMergeability>

/** What the reviews add up to: GitHub's latest review per reviewer, GitLab's approvals. */
export const PrReviewDecision = z.enum(['approved', 'changes-requested', 'review-required', 'none'])
/** What the reviews add up to. */
export type PrReviewDecision = z.infer<typeof PrReviewDecision>

/** The thread's CI checks as they bear on the request (counted from the CI status; no request of their own). */
export const PrChecks = z.object({
  overall: CiOverall,
  passed: z.number(),
  failed: z.number(),
  running: z.number(),
  total: z.number(),
  /** The commit the checks ran on; it differs from the request's head while a push is on its way. */
  commit: z.string().nullable()
})
/** The thread's CI checks as they bear on the request. */
export type PrChecks = z.infer<typeof PrChecks>

/** How to merge through the service's API (never forced: the head must still be the one shown). */
export const PrMergeMethod = z.enum(['merge', 'squash', 'rebase'])
/** How to merge. */
export type PrMergeMethod = z.infer<typeof PrMergeMethod>

/** The service's own auto-merge, on: GitHub's auto-merge, GitLab's "merge when the pipeline succeeds". */
export const PrAutoMerge = z.object({
  method: PrMergeMethod,
  /** Who turned it on (GitHub says; GitLab does not). */
  enabledBy: z.string().nullable()
})
/** The service's own auto-merge, on. */
export type PrAutoMerge = z.infer<typeof PrAutoMerge>

/** A thread's pull or merge request as every client sees it (the `pr/updated` notification's payload). */
export const PrStatus = z.object({
  threadId: z.string(),
  provider: RemoteProviderKind,
  /** GitHub's pull request number, GitLab's merge request iid. */
  number: z.number(),
  url: z.string(),
  title: z.string(),
  state: PrState,
  /** The branch it merges into. */
  base: z.string(),
  /** The thread's branch. */
  head: z.string(),
  headSha: z.string().nullable(),
  mergeability: PrMergeability,
  /** Why it is blocked or not mergeable, in a few words ("required reviews", "checks must pass"); null when nothing to say. */
  mergeabilityDetail: z.string().nullable(),
  review: z.object({
    decision: PrReviewDecision,
    approvedBy: z.array(z.string()),
    changesRequestedBy: z.array(z.string()),
    /** Reviewers asked who have not answered yet. */
    requested: z.array(z.string())
  }),
  labels: z.array(z.string()),
  /** The service merges it by itself once its requirements are met; null or absent when that is off. */
  autoMerge: PrAutoMerge.nullish(),
  checks: PrChecks.nullable(),
  /** Why the shown state may be stale (rate limit, service unreachable, token); the last good answer stays. */
  problem: CiProblem.nullable(),
  rateLimitedUntil: z.number().nullable(),
  updatedAt: z.number()
})
/** A thread's pull or merge request. */
export type PrStatus = z.infer<typeof PrStatus>

/** What *Create pull request* starts from: a drafted title and body, the base, and whether it can be sent. */
export const PrDraft = z.object({
  /** The service the remote points at; null when Skein cannot tell. */
  provider: RemoteProviderKind.nullable(),
  title: z.string(),
  /** Markdown: the first prompt, the agent's last summary, the branch's commits. */
  body: z.string(),
  /** The branch the request merges into (from the thread's base ref). */
  base: z.string(),
  head: z.string().nullable(),
  /** The branch's own commits, counted against the base. */
  commits: z.number(),
  canCreate: z.boolean(),
  /** Why it cannot be created, in words a person can act on; null when it can. */
  reason: z.string().nullable(),
  /** The open request the branch already has: it is shown, never duplicated. */
  existing: PrStatus.nullable()
})
/** What *Create pull request* starts from. */
export type PrDraft = z.infer<typeof PrDraft>

/** "pull request" on GitHub, "merge request" on GitLab. */
export const requestNoun = (provider: RemoteProviderKind | null): string => (provider === 'gitlab' ? 'merge request' : 'pull request')

/** "#12" on GitHub, "!12" on GitLab. */
export const requestRef = (status: Pick<PrStatus, 'provider' | 'number'>): string =>
  `${status.provider === 'gitlab' ? '!' : '#'}${status.number}`
