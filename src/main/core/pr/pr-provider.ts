import type { CiProblem, RemoteProviderKind } from '../../../shared/ci'
import type { PrAutoMerge, PrMergeability, PrMergeMethod, PrReviewDecision, PrState } from '../../../shared/pr'
import type { Result } from '../../../shared/result'

/** A pull or merge request as a service reports it, in Skein's words. */
export interface RemotePr {
  number: number
  url: string
  title: string
  state: PrState
  base: string
  head: string
  headSha: string | null
  mergeability: PrMergeability
  mergeabilityDetail: string | null
  labels: string[]
  /** Reviewers asked who have not answered. */
  requested: string[]
  /** The service's own auto-merge when it is on. */
  autoMerge: PrAutoMerge | null
}

/** What the reviews of a request add up to. */
export interface RemoteReviews {
  decision: PrReviewDecision
  approvedBy: string[]
  changesRequestedBy: string[]
}

/** A read, and whether the service said nothing changed since the last one (a 304). */
export interface Fetched<T> {
  value: T
  notModified: boolean
  /** Part of the value was kept from an earlier read rather than read now (review threads' resolved states). */
  reused?: boolean
}

/** What to open. */
export interface CreateRequest {
  title: string
  body: string
  base: string
  head: string
  draft: boolean
  reviewers: string[]
  labels: string[]
}

/** A review thread as the service reports it, before Skein places it on the current file. */
export interface ServiceThread {
  /** GitHub: the first comment's id (replies go to it); GitLab: the discussion id. */
  id: string
  path: string
  /** The (last) line at `commit`, on `side`; null when the service no longer places it (GitHub's outdated). */
  line: number | null
  startLine: number | null
  side: 'left' | 'right'
  /** The commit `line` refers to (GitHub's commit_id, GitLab's position head_sha). */
  commit: string | null
  /** The service says its lines changed since (GitHub: no position in the current diff). */
  outdated: boolean
  resolved: boolean
  resolvable: boolean
  comments: { id: string; author: string; body: string; createdAt: number }[]
  url: string | null
}

/** Why a call to the service failed. Every failure is one of these values; nothing throws. */
export type ServiceFailure =
  | { kind: 'http'; status: number; message: string; details: string[] }
  | { kind: 'rate-limited'; until: number }
  | { kind: 'unreachable'; detail: string }
  | { kind: 'malformed'; detail: string }
  | { kind: 'no-token' }
  /** The branch already has an open request (GitHub's 422, GitLab's 409). */
  | { kind: 'exists' }

/** A hosted service's pull (GitHub) or merge (GitLab) requests of one repository. */
export interface PrProvider {
  readonly kind: RemoteProviderKind
  readonly words: ServiceWords
  /** The branch's request: its open one, else its newest merged or closed one; null when it has none. */
  find(branch: string): Promise<Result<{ number: number; state: PrState } | null, ServiceFailure>>
  /** One request (conditional: `notModified` when nothing changed since the last read). */
  get(number: number): Promise<Result<Fetched<RemotePr>, ServiceFailure>>
  /** Its reviews: GitHub's latest review per reviewer, GitLab's approvals. */
  reviews(pr: RemotePr): Promise<Result<RemoteReviews, ServiceFailure>>
  /** Opens one request (sent once), then asks for reviewers and labels; what could not be set comes back as warnings. */
  create(req: CreateRequest): Promise<Result<{ pr: RemotePr; warnings: string[] }, ServiceFailure>>
  /** Merges through the API now, only if the head is still `sha`. Says whether it merged. */
  merge(number: number, o: { method: PrMergeMethod; sha: string }): Promise<Result<{ merged: boolean }, ServiceFailure>>
  /**
   * Turns on the service's own auto-merge for head `sha` (GitHub: enablePullRequestAutoMerge with that
   * expected head; GitLab: merge when the pipeline succeeds). `clean`: GitHub has nothing left to wait
   * for and refuses; `merged`: GitLab merged it at once.
   */
  enableAutoMerge(number: number, o: { method: PrMergeMethod; sha: string }): Promise<Result<AutoMergeOutcome, ServiceFailure>>
  /** Turns the service's own auto-merge off again. */
  cancelAutoMerge(number: number): Promise<Result<void, ServiceFailure>>
  /**
   * The request's review threads on lines of files (conditional reads: `notModified` when nothing changed).
   * `reuseResolved`: resolved states read last may be reused when the comments did not change (GitHub).
   */
  reviewThreads(number: number, o?: { reuseResolved?: boolean }): Promise<Result<Fetched<ServiceThread[]>, ServiceFailure>>
  /** Adds a reply to a review thread (sent once). */
  reply(number: number, threadId: string, body: string): Promise<Result<void, ServiceFailure>>
  /** Resolves or reopens a review thread. */
  resolve(number: number, threadId: string, resolved: boolean): Promise<Result<void, ServiceFailure>>
}

/** What came of turning the service's auto-merge on. */
export type AutoMergeOutcome = 'enabled' | 'clean' | 'merged'

/** The words a service uses in messages. */
export interface ServiceWords {
  /** "GitHub" or "GitLab". */
  service: string
  /** "pull request" or "merge request". */
  noun: string
  /** The API's host, for "cannot reach …". */
  host: string
  /** How to get a token, e.g. "Set GITHUB_TOKEN or run `gh auth login`". */
  tokenHint: string
  /** What a 403 usually means here. */
  forbiddenHint: string
}

const clock = (ms: number): string => {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/** The failure as a problem on a polled status: the shown state may be stale, and why. */
export function problemOf(f: ServiceFailure, w: ServiceWords): CiProblem {
  switch (f.kind) {
    case 'no-token':
      return { kind: 'no-token', message: `Skein has no ${w.service} token for ${w.noun}s. ${w.tokenHint}.` }
    case 'rate-limited':
      return {
        kind: 'rate-limited',
        message: `${w.service} rate-limited Skein until ${clock(f.until)}. The ${w.noun} shown may be out of date; Skein asks again then.`,
        until: f.until
      }
    case 'unreachable':
      return { kind: 'unreachable', message: `Cannot reach ${w.host} (${f.detail}). Skein will try again.` }
    case 'malformed':
      return { kind: 'malformed', message: `${w.service} sent an answer Skein cannot read (${f.detail}). Skein will try again.` }
    case 'exists':
      return { kind: 'malformed', message: `${w.service} says the branch already has an open ${w.noun}.` }
    case 'http':
      if (f.status === 401)
        return { kind: 'unauthorized', message: `${w.service} rejected the token (401). ${w.tokenHint} with a valid token.` }
      if (f.status === 403) return { kind: 'forbidden', message: `${w.service} refused access (403). ${w.forbiddenHint}` }
      if (f.status === 404)
        return {
          kind: 'repo-not-found',
          message: `${w.service} found no such repository or ${w.noun}, or the token cannot see it (404). Check the remote URL and the token's access.`
        }
      if (f.status >= 500)
        return { kind: 'unreachable', message: `${w.service} is having trouble (HTTP ${f.status}). Skein will try again.` }
      return { kind: 'malformed', message: `${w.service} answered HTTP ${f.status}: ${sentence(f)}` }
  }
}

/** The service's own words for a refusal: its message and the details of each error it listed. */
export function sentence(f: { message: string; details: string[] }): string {
  const parts = [f.message, ...f.details].map((s) => s.trim()).filter(Boolean)
  const unique = parts.filter((p, i) => parts.indexOf(p) === i && !(p === 'Validation Failed' && parts.length > 1))
  return unique.join('; ').replace(/\.?$/, '.')
}

/** The failure of something a person asked for (create, merge), as a sentence that says what happened and what to do. */
export function refusal(f: ServiceFailure, w: ServiceWords, what: string): string {
  switch (f.kind) {
    case 'rate-limited':
      return `${w.service} rate-limited Skein until ${clock(f.until)}, so the ${w.noun} was not ${what}. Try again after ${clock(f.until)}.`
    case 'unreachable':
      return `Cannot reach ${w.host} (${f.detail}), so the ${w.noun} was not ${what}. Check the network and try again.`
    case 'http':
      if (f.status >= 500)
        return `${w.service} is having trouble (HTTP ${f.status}, still after retries), so the ${w.noun} was not ${what}. Try again in a few minutes.`
      if (f.status === 422 || f.status === 400 || f.status === 405 || f.status === 406 || f.status === 409)
        return `${w.service} refused: ${sentence(f)}${hint(f)}`
      return problemOf(f, w).message
    default:
      return problemOf(f, w).message
  }
}

function hint(f: { message: string; details: string[] }): string {
  const text = [f.message, ...f.details].join(' ')
  if (/no commits between/i.test(text)) return ' Commit the work on the branch (and push it) first.'
  if (/base.*(invalid|does not exist)|target_branch|invalid.*base/i.test(text)) return ' Check that the base branch exists on the remote.'
  if (/auto.?merge is not allowed/i.test(text))
    return ' Turn on "Allow auto-merge" in the repository\'s settings (Settings → General → Pull Requests), or merge it by hand once its requirements are met.'
  if (/head.*sha|sha.*(does not match|mismatch)|head branch was modified|expected head/i.test(text))
    return ' The branch moved since it was shown; look at the new commits first.'
  return ''
}

/** A failure in a few words, for warnings. */
export function failureText(f: ServiceFailure): string {
  if (f.kind === 'http') return [f.message, ...f.details].filter((s, i, a) => s && a.indexOf(s) === i).join('; ')
  if (f.kind === 'rate-limited') return `rate-limited until ${new Date(f.until).toLocaleTimeString()}`
  if (f.kind === 'unreachable' || f.kind === 'malformed') return f.detail
  return f.kind
}
