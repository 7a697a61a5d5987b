import { z } from 'zod'
import type { PrMergeability, PrMergeMethod, PrState } from '../../../shared/pr'
import { err, ok, type Result } from '../../../shared/result'
import { CachedToken } from '../ci/ci-provider'
import type { TokenSource } from '../ci/ci-tokens'
import { limitedUntil, NOT_MODIFIED_HEADER, type PrHttp, type RawResponse } from './pr-http'
import {
  failureText,
  type AutoMergeOutcome,
  type CreateRequest,
  type Fetched,
  type PrProvider,
  type RemotePr,
  type RemoteReviews,
  type ServiceFailure,
  type ServiceThread,
  type ServiceWords
} from './pr-provider'
import { Discussion, threadsFromDiscussions } from './gitlab-discussions'
import { GITLAB_PIPELINE_MUST_PASS, GITLAB_PIPELINE_RUNNING } from '../../../shared/pr-readiness'

const MergeRequest = z.object({
  iid: z.number(),
  web_url: z.string(),
  title: z.string(),
  state: z.string(),
  draft: z.boolean().nullish(),
  work_in_progress: z.boolean().nullish(),
  source_branch: z.string(),
  target_branch: z.string(),
  sha: z.string().nullish(),
  detailed_merge_status: z.string().nullish(),
  merge_status: z.string().nullish(),
  has_conflicts: z.boolean().nullish(),
  labels: z.array(z.string()).nullish(),
  reviewers: z.array(z.object({ username: z.string() })).nullish(),
  merge_when_pipeline_succeeds: z.boolean().nullish(),
  squash: z.boolean().nullish()
})
type MergeRequest = z.infer<typeof MergeRequest>
const Approvals = z.object({
  approved: z.boolean().nullish(),
  approvals_required: z.number().nullish(),
  approvals_left: z.number().nullish(),
  approved_by: z.array(z.object({ user: z.object({ username: z.string() }) })).nullish()
})
const User = z.object({ id: z.number(), username: z.string() })

/** Where and how to reach one GitLab project's merge requests. */
export interface GitlabMergeRequestsOptions {
  /** The server root: https://gitlab.com or a self-hosted https://HOST. */
  baseUrl: string
  /** The project's path, e.g. `group/sub/repo`. */
  path: string
  token: TokenSource
  http: PrHttp
  now?: () => number
}

/** A failure carried through gitbeaker, which only knows exceptions. */
class CallFailed extends Error {
  constructor(readonly failure: ServiceFailure) {
    super(failure.kind)
  }
}

type Gitbeaker = typeof import('@gitbeaker/rest')
type Utils = typeof import('@gitbeaker/requester-utils')
let loaded: Promise<[Gitbeaker, Utils]> | null = null
const load = () => (loaded ??= Promise.all([import('@gitbeaker/rest'), import('@gitbeaker/requester-utils')]))

const stateOf = (m: { state: string; draft?: boolean | null; work_in_progress?: boolean | null }): PrState =>
  m.state === 'merged' ? 'merged' : m.state === 'opened' ? (m.draft || m.work_in_progress ? 'draft' : 'open') : 'closed'

const BLOCKED: Record<string, string> = {
  not_approved: 'approvals are missing',
  ci_must_pass: GITLAB_PIPELINE_MUST_PASS,
  ci_still_running: GITLAB_PIPELINE_RUNNING,
  discussions_not_resolved: 'open discussions',
  draft_status: 'it is a draft',
  requested_changes: 'changes were requested',
  blocked_status: 'blocked by another merge request',
  external_status_checks: 'external status checks',
  jira_association_missing: 'no Jira issue linked',
  status_checks_must_pass: 'status checks must pass',
  merge_request_blocked: 'blocked by another merge request',
  commits_status: 'the source branch is missing or has no commits',
  security_policy_violations: 'security policy violations'
}

/** GitLab's `detailed_merge_status` (or the older `merge_status`) in Skein's words. */
export function gitlabMergeability(m: Pick<MergeRequest, 'detailed_merge_status' | 'merge_status' | 'has_conflicts'>): {
  mergeability: PrMergeability
  detail: string | null
} {
  const s = m.detailed_merge_status
  if (s === 'mergeable') return { mergeability: 'mergeable', detail: null }
  if (s === 'checking' || s === 'unchecked' || s === 'preparing' || s === 'approvals_syncing')
    return { mergeability: 'checking', detail: null }
  if (s === 'conflict') return { mergeability: 'conflicts', detail: 'conflicts with the target branch' }
  if (s === 'need_rebase') return { mergeability: 'behind', detail: 'the target branch has moved on; rebase' }
  if (s && s !== 'not_open') return { mergeability: 'blocked', detail: BLOCKED[s] ?? s.replace(/_/g, ' ') }
  if (m.has_conflicts) return { mergeability: 'conflicts', detail: 'conflicts with the target branch' }
  if (m.merge_status === 'can_be_merged') return { mergeability: 'mergeable', detail: null }
  if (m.merge_status === 'cannot_be_merged') return { mergeability: 'conflicts', detail: null }
  if (m.merge_status === 'checking' || m.merge_status === 'unchecked') return { mergeability: 'checking', detail: null }
  return { mergeability: 'unknown', detail: null }
}

/** A GitLab merge request as a RemotePr. */
export function remoteFromMergeRequest(m: MergeRequest): RemotePr {
  const state = stateOf(m)
  const merge = state === 'open' || state === 'draft' ? gitlabMergeability(m) : { mergeability: 'unknown' as const, detail: null }
  return {
    number: m.iid,
    url: m.web_url,
    title: m.title,
    state,
    base: m.target_branch,
    head: m.source_branch,
    headSha: m.sha ?? null,
    mergeability: merge.mergeability,
    mergeabilityDetail: merge.detail,
    labels: m.labels ?? [],
    requested: (m.reviewers ?? []).map((r) => r.username),
    // GitLab says only that it will merge, not who set it: `squash` tells the method.
    autoMerge:
      (state === 'open' || state === 'draft') && m.merge_when_pipeline_succeeds
        ? { method: m.squash ? 'squash' : 'merge', enabledBy: null }
        : null
  }
}

/** A GitLab answer that is not a success, as a ServiceFailure (its `message` may be a string, a list, or a map of field errors). */
export function gitlabFailure(r: RawResponse, now: number): ServiceFailure {
  const until = limitedUntil(r.status, r.headers, r.text, now)
  if (until !== null) return { kind: 'rate-limited', until }
  let body: unknown = null
  try {
    body = JSON.parse(r.text)
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  const raw = (body as { message?: unknown; error?: unknown } | null)?.message ?? (body as { error?: unknown } | null)?.error
  const details =
    typeof raw === 'string'
      ? [raw]
      : Array.isArray(raw)
        ? raw.map(String)
        : raw && typeof raw === 'object'
          ? Object.entries(raw).map(([field, v]) => `${field} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
          : []
  if (r.status === 409 && details.some((d) => /already exists/i.test(d))) return { kind: 'exists' }
  return { kind: 'http', status: r.status, message: details[0] ?? `HTTP ${r.status}`, details: details.slice(1) }
}

/** Merge requests of one project over GitLab's REST API (v4), through gitbeaker on Skein's conditional, rate-aware transport. */
export class GitlabMergeRequests implements PrProvider {
  readonly kind = 'gitlab' as const
  readonly words: ServiceWords
  private readonly token: CachedToken
  private readonly now: () => number

  constructor(private readonly o: GitlabMergeRequestsOptions) {
    this.token = new CachedToken(o.token)
    this.now = o.now ?? Date.now
    const host = new URL(o.baseUrl).hostname
    this.words = {
      service: 'GitLab',
      noun: 'merge request',
      host: new URL(o.baseUrl).host,
      tokenHint: `Set GITLAB_TOKEN or run \`glab auth login${host === 'gitlab.com' ? '' : ` --hostname ${host}`}\``,
      forbiddenHint: `The token cannot use merge requests of ${o.path}. It needs the api scope and at least Developer access to the project.`
    }
  }

  async find(branch: string): Promise<Result<{ number: number; state: PrState } | null, ServiceFailure>> {
    return this.call(async (gl) => {
      const list = z
        .array(MergeRequest.pick({ iid: true, state: true, draft: true, work_in_progress: true }))
        .safeParse(
          await gl.mrs.all({ projectId: this.o.path, sourceBranch: branch, orderBy: 'created_at', sort: 'desc', perPage: 20, maxPages: 1 })
        )
      if (!list.success) return err({ kind: 'malformed', detail: 'the merge request list' })
      const pick = list.data.find((m) => m.state === 'opened') ?? list.data[0]
      return ok(pick ? { number: pick.iid, state: stateOf(pick) } : null)
    })
  }

  async get(number: number): Promise<Result<Fetched<RemotePr>, ServiceFailure>> {
    return this.call(async (gl) => {
      const res = (await gl.mrs.show(this.o.path, number, { showExpanded: true })) as unknown as {
        data: unknown
        headers: Record<string, string>
      }
      const mr = MergeRequest.safeParse(res.data)
      if (!mr.success) return err({ kind: 'malformed', detail: `merge request !${number}` })
      return ok({ value: remoteFromMergeRequest(mr.data), notModified: res.headers[NOT_MODIFIED_HEADER] === '1' })
    })
  }

  async reviews(pr: RemotePr): Promise<Result<RemoteReviews, ServiceFailure>> {
    return this.call(async (gl) => {
      const a = Approvals.safeParse(await gl.approvals.showConfiguration(this.o.path, { mergerequestIId: pr.number }))
      if (!a.success) return err({ kind: 'malformed', detail: `the approvals of !${pr.number}` })
      const approvedBy = (a.data.approved_by ?? []).map((x) => x.user.username)
      const changes = pr.mergeabilityDetail === BLOCKED.requested_changes
      // GitLab's `approved` is also true when no approval is required: only approvers make a request approved.
      const left = a.data.approvals_left ?? 0
      const decision = changes
        ? 'changes-requested'
        : left > 0
          ? 'review-required'
          : approvedBy.length > 0
            ? 'approved'
            : pr.requested.length > 0
              ? 'review-required'
              : 'none'
      return ok({ decision, approvedBy, changesRequestedBy: [] })
    })
  }

  async create(req: CreateRequest): Promise<Result<{ pr: RemotePr; warnings: string[] }, ServiceFailure>> {
    const warnings: string[] = []
    const reviewerIds: number[] = []
    for (const name of req.reviewers.map((r) => r.replace(/^@/, ''))) {
      const found = await this.call(async (gl) => ok(z.array(User).safeParse(await gl.users.all({ username: name }))))
      if (!found.ok) warnings.push(`Could not look up ${name} to ask for a review: ${failureText(found.error)}`)
      else if (!found.value.success || !found.value.data[0]) warnings.push(`GitLab has no user ${name}, so no review was asked of them.`)
      else reviewerIds.push(found.value.data[0].id)
    }
    const made = await this.call(async (gl) => {
      const title = req.draft && !/^(draft|wip)\b/i.test(req.title) ? `Draft: ${req.title}` : req.title
      const body = await gl.mrs.create(this.o.path, req.head, req.base, title, {
        description: req.body,
        ...(req.labels.length ? { labels: req.labels.join(',') } : {}),
        ...(reviewerIds.length ? { reviewerIds } : {})
      })
      const mr = MergeRequest.safeParse(body)
      return mr.success ? ok(remoteFromMergeRequest(mr.data)) : err<ServiceFailure>({ kind: 'malformed', detail: 'the new merge request' })
    }, false)
    return made.ok ? ok({ pr: made.value, warnings }) : made
  }

  async merge(number: number, o: { method: PrMergeMethod; sha: string }): Promise<Result<{ merged: boolean }, ServiceFailure>> {
    const done = await this.put(number, o, false)
    return done.ok ? ok({ merged: done.value }) : done
  }

  async enableAutoMerge(number: number, o: { method: PrMergeMethod; sha: string }): Promise<Result<AutoMergeOutcome, ServiceFailure>> {
    const done = await this.put(number, o, true)
    return done.ok ? ok(done.value ? 'merged' : 'enabled') : done
  }

  async cancelAutoMerge(number: number): Promise<Result<void, ServiceFailure>> {
    return this.call(async (gl) => {
      await gl.mrs.cancelOnPipelineSuccess(this.o.path, number)
      return ok(undefined)
    }, false)
  }

  // The merge call, at once or when the pipeline succeeds; says whether it merged now.
  private async put(number: number, o: { method: PrMergeMethod; sha: string }, auto: boolean): Promise<Result<boolean, ServiceFailure>> {
    if (o.method === 'rebase')
      return err({
        kind: 'http',
        status: 400,
        message: 'GitLab merges with a merge commit or a squash; rebase the branch instead',
        details: []
      })
    return this.call(async (gl) => {
      const done = await gl.mrs.merge(this.o.path, number, {
        sha: o.sha,
        ...(o.method === 'squash' ? { squash: true } : {}),
        // Both words: `auto_merge` since GitLab 17.11, `merge_when_pipeline_succeeds` before it.
        ...(auto ? { autoMerge: true, mergeWhenPipelineSucceeds: true } : {})
      })
      return ok((done as { state?: unknown }).state === 'merged')
    }, false)
  }

  async reviewThreads(number: number): Promise<Result<Fetched<ServiceThread[]>, ServiceFailure>> {
    return this.call(async (gl) => {
      const list = z.array(Discussion).safeParse(await gl.discussions.all(this.o.path, number, { perPage: 100 }))
      if (!list.success) return err({ kind: 'malformed', detail: `the discussions of !${number}` })
      const web = `${this.o.baseUrl.replace(/\/$/, '')}/${this.o.path}/-/merge_requests/${number}`
      return ok({ value: threadsFromDiscussions(list.data, web), notModified: false })
    })
  }

  async reply(number: number, threadId: string, body: string): Promise<Result<void, ServiceFailure>> {
    return this.call(async (gl) => {
      await gl.discussions.addNote(this.o.path, number, threadId, body)
      return ok(undefined)
    }, false)
  }

  async resolve(number: number, threadId: string, resolved: boolean): Promise<Result<void, ServiceFailure>> {
    return this.call(async (gl) => {
      await gl.discussions.resolve(this.o.path, number, threadId, resolved)
      return ok(undefined)
    })
  }

  private async clients(retry: boolean) {
    const token = await this.token.get()
    if (!token) return null
    const [rest, utils] = await load()
    const http = this.o.http
    const now = this.now
    const requesterFn = utils.createRequesterFn(
      (_, options) => Promise.resolve(options),
      async (endpoint: string, options?: Record<string, unknown>) => {
        const { prefixUrl, searchParams, method, headers, body } = (options ?? {}) as {
          prefixUrl: string
          searchParams?: string
          method: string
          headers: Record<string, string>
          body?: string
        }
        const url = new URL(endpoint, prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`)
        if (searchParams) url.search = searchParams
        const init = { method, headers: { accept: 'application/json', 'user-agent': 'Skein', ...headers }, body: body ?? null }
        const r = retry ? await http.sendWithRetries(url.toString(), init) : await http.send(url.toString(), init)
        if ('unreachable' in r) throw new CallFailed({ kind: 'unreachable', detail: r.unreachable })
        if (r.status < 200 || r.status >= 300) throw new CallFailed(gitlabFailure(r, now()))
        let parsed: unknown = null
        if (r.text && r.status !== 204) {
          try {
            parsed = JSON.parse(r.text)
          } catch {
            throw new CallFailed({ kind: 'malformed', detail: `${url.pathname} did not answer with JSON` })
          }
        }
        return { body: parsed as Record<string, unknown>, headers: Object.fromEntries(r.headers.entries()), status: r.status }
      }
    )
    const options = { host: this.o.baseUrl, token, requesterFn, rateLimits: {} }
    return {
      mrs: new rest.MergeRequests(options),
      approvals: new rest.MergeRequestApprovals(options),
      users: new rest.Users(options),
      discussions: new rest.MergeRequestDiscussions(options)
    }
  }

  // A write is sent once (it may have been carried out even when the answer was lost); reads are retried after a 5xx.
  private async call<T>(
    fn: (gl: NonNullable<Awaited<ReturnType<GitlabMergeRequests['clients']>>>) => Promise<Result<T, ServiceFailure>>,
    retry = true
  ): Promise<Result<T, ServiceFailure>> {
    const gl = await this.clients(retry)
    if (!gl) return err({ kind: 'no-token' })
    try {
      return await fn(gl)
    } catch (e) {
      if (!(e instanceof CallFailed)) throw e
      if (e.failure.kind === 'http' && e.failure.status === 401) this.token.forget()
      return err(e.failure)
    }
  }
}
