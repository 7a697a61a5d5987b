import { z } from 'zod'
import type { Octokit } from '@octokit/rest'
import type { PrMergeability, PrMergeMethod, PrState } from '../../../shared/pr'
import { err, ok, type Result } from '../../../shared/result'
import { CachedToken } from '../ci/ci-provider'
import type { TokenSource } from '../ci/ci-tokens'
import { limitedUntil, NOT_MODIFIED_HEADER, type PrHttp } from './pr-http'
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
import { reviewDecision } from './review-decision'
import { githubReply, githubResolve, githubReviewThreads } from './github-review-threads'
import { autoMergeOf, githubDisableAutoMerge, githubEnableAutoMerge, RestAutoMerge } from './github-auto-merge'

const Pull = z.object({
  number: z.number(),
  html_url: z.string(),
  title: z.string(),
  state: z.string(),
  draft: z.boolean().nullish(),
  merged: z.boolean().nullish(),
  merged_at: z.string().nullish(),
  mergeable: z.boolean().nullish(),
  mergeable_state: z.string().nullish(),
  head: z.object({ ref: z.string(), sha: z.string() }),
  base: z.object({ ref: z.string() }),
  labels: z.array(z.object({ name: z.string() })).nullish(),
  requested_reviewers: z.array(z.object({ login: z.string() })).nullish(),
  requested_teams: z.array(z.object({ slug: z.string() })).nullish(),
  auto_merge: RestAutoMerge
})
type Pull = z.infer<typeof Pull>
const ListedPull = z.object({ number: z.number(), state: z.string(), draft: z.boolean().nullish(), merged_at: z.string().nullish() })
const Review = z.object({ user: z.object({ login: z.string() }).nullish(), state: z.string() })

/** Where and how to reach one GitHub repository's pull requests. */
export interface GithubPullsOptions {
  /** REST root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise. */
  baseUrl: string
  owner: string
  repo: string
  token: TokenSource
  http: PrHttp
  now?: () => number
}

type Client = Octokit
let clientClass: Promise<new (o: object) => Client> | null = null

/** Octokit with its throttling and retry plugins, loaded on first use (the core starts without it). */
function loadClient(): Promise<new (o: object) => Client> {
  clientClass ??= Promise.all([import('@octokit/rest'), import('@octokit/plugin-throttling'), import('@octokit/plugin-retry')]).then(
    ([rest, throttle, retry]) => rest.Octokit.plugin(throttle.throttling, retry.retry) as unknown as new (o: object) => Client
  )
  return clientClass
}

const stateOf = (p: { state: string; draft?: boolean | null; merged_at?: string | null; merged?: boolean | null }): PrState =>
  p.merged || p.merged_at ? 'merged' : p.state === 'closed' ? 'closed' : p.draft ? 'draft' : 'open'

/** GitHub's `mergeable` and `mergeable_state` in Skein's words (GitHub computes them lazily: null means it is still looking). */
export function githubMergeability(p: Pick<Pull, 'mergeable' | 'mergeable_state'>): {
  mergeability: PrMergeability
  detail: string | null
} {
  switch (p.mergeable_state) {
    case 'clean':
    case 'has_hooks':
      return { mergeability: 'mergeable', detail: null }
    case 'unstable':
      return { mergeability: 'mergeable', detail: 'some checks are not passing' }
    case 'dirty':
      return { mergeability: 'conflicts', detail: 'conflicts with the base branch' }
    case 'behind':
      return { mergeability: 'behind', detail: 'the base branch has moved on' }
    case 'blocked':
      return { mergeability: 'blocked', detail: 'required reviews or checks' }
    case 'draft':
      return { mergeability: 'blocked', detail: 'it is a draft' }
    default:
      return p.mergeable === false ? { mergeability: 'conflicts', detail: null } : { mergeability: 'checking', detail: null }
  }
}

/** A GitHub pull request as a RemotePr. */
export function remoteFromPull(p: Pull): RemotePr {
  const state = stateOf(p)
  const m = state === 'open' || state === 'draft' ? githubMergeability(p) : { mergeability: 'unknown' as const, detail: null }
  return {
    number: p.number,
    url: p.html_url,
    title: p.title,
    state,
    base: p.base.ref,
    head: p.head.ref,
    headSha: p.head.sha,
    mergeability: m.mergeability,
    mergeabilityDetail: m.detail,
    labels: (p.labels ?? []).map((l) => l.name),
    requested: [...(p.requested_reviewers ?? []).map((r) => r.login), ...(p.requested_teams ?? []).map((t) => t.slug)],
    autoMerge: state === 'open' || state === 'draft' ? autoMergeOf(p.auto_merge) : null
  }
}

/** Pull requests of one repository over GitHub's REST API, through Octokit (throttled, 5xx retried) on Skein's conditional transport. */
export class GithubPulls implements PrProvider {
  readonly kind = 'github' as const
  readonly words: ServiceWords
  private readonly token: CachedToken
  private client: { token: string; octokit: Client } | null = null
  private readonly now: () => number

  constructor(private readonly o: GithubPullsOptions) {
    this.token = new CachedToken(o.token)
    this.now = o.now ?? Date.now
    const host = new URL(o.baseUrl).hostname
    const enterprise = host !== 'api.github.com'
    this.words = {
      service: 'GitHub',
      noun: 'pull request',
      host: new URL(o.baseUrl).host,
      tokenHint: enterprise
        ? `Set GH_ENTERPRISE_TOKEN or GITHUB_TOKEN, or run \`gh auth login --hostname ${host}\``
        : 'Set GITHUB_TOKEN or run `gh auth login`',
      forbiddenHint: `The token cannot use pull requests of ${o.owner}/${o.repo}. A fine-grained token needs read and write access to "Pull requests" (and "Issues" for labels); a classic one needs the repo scope.`
    }
  }

  async find(branch: string): Promise<Result<{ number: number; state: PrState } | null, ServiceFailure>> {
    return this.call(async (gh) => {
      const res = await gh.rest.pulls.list({
        owner: this.o.owner,
        repo: this.o.repo,
        head: `${this.o.owner}:${branch}`,
        state: 'all',
        per_page: 20
      })
      const list = z.array(ListedPull).safeParse(res.data)
      if (!list.success) return err({ kind: 'malformed', detail: 'the pull request list' })
      const pick = list.data.find((p) => p.state === 'open') ?? list.data[0]
      return ok(pick ? { number: pick.number, state: stateOf(pick) } : null)
    })
  }

  async get(number: number): Promise<Result<Fetched<RemotePr>, ServiceFailure>> {
    return this.call(async (gh) => {
      const res = await gh.rest.pulls.get({ owner: this.o.owner, repo: this.o.repo, pull_number: number })
      const pull = Pull.safeParse(res.data)
      if (!pull.success) return err({ kind: 'malformed', detail: `pull request #${number}` })
      return ok({ value: remoteFromPull(pull.data), notModified: res.headers[NOT_MODIFIED_HEADER] === '1' })
    })
  }

  async reviews(pr: RemotePr): Promise<Result<RemoteReviews, ServiceFailure>> {
    return this.call(async (gh) => {
      const data = await gh.paginate(gh.rest.pulls.listReviews, {
        owner: this.o.owner,
        repo: this.o.repo,
        pull_number: pr.number,
        per_page: 100
      })
      const reviews = z.array(Review).safeParse(data)
      if (!reviews.success) return err({ kind: 'malformed', detail: `the reviews of #${pr.number}` })
      return ok(
        reviewDecision(
          reviews.data.map((r) => ({ by: r.user?.login ?? '', state: r.state })),
          pr.requested
        )
      )
    })
  }

  async create(req: CreateRequest): Promise<Result<{ pr: RemotePr; warnings: string[] }, ServiceFailure>> {
    const made = await this.call(async (gh) => {
      // Sent once: a POST that failed on the way may still have opened the pull request, so the caller looks before trying again.
      const res = await gh.rest.pulls.create({
        owner: this.o.owner,
        repo: this.o.repo,
        title: req.title,
        body: req.body,
        head: req.head,
        base: req.base,
        draft: req.draft,
        request: { retries: 0 }
      })
      const pull = Pull.safeParse(res.data)
      return pull.success ? ok(pull.data.number) : err<ServiceFailure>({ kind: 'malformed', detail: 'the new pull request' })
    })
    if (!made.ok) return made
    const number = made.value
    const warnings: string[] = []
    const users = req.reviewers.filter((r) => !r.includes('/'))
    const teams = req.reviewers.filter((r) => r.includes('/')).map((r) => r.slice(r.lastIndexOf('/') + 1))
    if (users.length || teams.length) {
      const asked = await this.call(async (gh) => {
        await gh.rest.pulls.requestReviewers({
          owner: this.o.owner,
          repo: this.o.repo,
          pull_number: number,
          reviewers: users,
          team_reviewers: teams
        })
        return ok(undefined)
      })
      if (!asked.ok) {
        const f = asked.error
        // GitHub's description gives the 422 for a reviewer who is not a collaborator no body.
        const bare = f.kind === 'http' && f.status === 422 && !f.details.length && /^(HTTP 422)?$/.test(f.message)
        const why = bare ? 'GitHub asks only collaborators of the repository to review' : failureText(f)
        warnings.push(`Could not ask ${req.reviewers.join(', ')} to review: ${why}`)
      }
    }
    if (req.labels.length) {
      const labelled = await this.call(async (gh) => {
        await gh.rest.issues.addLabels({ owner: this.o.owner, repo: this.o.repo, issue_number: number, labels: req.labels })
        return ok(undefined)
      })
      if (!labelled.ok) warnings.push(`Could not add the labels ${req.labels.join(', ')}: ${failureText(labelled.error)}`)
    }
    const fresh = await this.get(number)
    if (!fresh.ok) return fresh
    return ok({ pr: fresh.value.value, warnings })
  }

  async merge(number: number, o: { method: PrMergeMethod; sha: string }): Promise<Result<{ merged: boolean }, ServiceFailure>> {
    return this.call(async (gh) => {
      await gh.rest.pulls.merge({
        owner: this.o.owner,
        repo: this.o.repo,
        pull_number: number,
        merge_method: o.method,
        sha: o.sha,
        request: { retries: 0 }
      })
      return ok({ merged: true })
    })
  }

  async enableAutoMerge(number: number, o: { method: PrMergeMethod; sha: string }): Promise<Result<AutoMergeOutcome, ServiceFailure>> {
    return this.call((gh) => githubEnableAutoMerge(gh, { owner: this.o.owner, repo: this.o.repo, number }, o))
  }

  async cancelAutoMerge(number: number): Promise<Result<void, ServiceFailure>> {
    return this.call((gh) => githubDisableAutoMerge(gh, { owner: this.o.owner, repo: this.o.repo, number }))
  }

  async reviewThreads(number: number, o: { reuseResolved?: boolean } = {}): Promise<Result<Fetched<ServiceThread[]>, ServiceFailure>> {
    return this.call((gh) => githubReviewThreads(gh, { owner: this.o.owner, repo: this.o.repo, number }, o))
  }

  async reply(number: number, threadId: string, body: string): Promise<Result<void, ServiceFailure>> {
    return this.call((gh) => githubReply(gh, { owner: this.o.owner, repo: this.o.repo, number }, threadId, body))
  }

  async resolve(number: number, threadId: string, resolved: boolean): Promise<Result<void, ServiceFailure>> {
    return this.call((gh) => githubResolve(gh, { owner: this.o.owner, repo: this.o.repo, number }, threadId, resolved))
  }

  private async octokit(): Promise<Client | null> {
    const token = await this.token.get()
    if (!token) return null
    if (this.client?.token === token) return this.client.octokit
    const Made = await loadClient()
    const http = this.o.http
    const quiet = () => undefined
    const octokit = new Made({
      baseUrl: this.o.baseUrl,
      userAgent: 'Skein',
      request: { fetch: http.fetch },
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      // Skein's own schedule waits out a limit; a request never sleeps inside the client.
      throttle: { onRateLimit: () => false, onSecondaryRateLimit: () => false, id: `skein ${this.o.baseUrl}` },
      retry: {
        retries: http.retries,
        retryAfterBaseValue: http.retryBaseMs,
        doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 429, 451]
      }
    })
    octokit.hook.before('request', (options) => {
      options.headers.accept = 'application/vnd.github+json'
      options.headers['x-github-api-version'] = '2022-11-28'
      options.headers.authorization = `Bearer ${token}`
    })
    this.client = { token, octokit }
    return octokit
  }

  private async call<T>(fn: (gh: Client) => Promise<Result<T, ServiceFailure>>): Promise<Result<T, ServiceFailure>> {
    const gh = await this.octokit()
    if (!gh) return err({ kind: 'no-token' })
    try {
      return await fn(gh)
    } catch (e) {
      const f = failureOf(e, this.now())
      if (f.kind === 'http' && f.status === 401) {
        this.token.forget()
        this.client = null
      }
      return err(f)
    }
  }
}

/** An Octokit RequestError as a ServiceFailure; anything else is a bug and is thrown on. */
export function failureOf(e: unknown, now: number): ServiceFailure {
  const x = e as { status?: unknown; message?: string; response?: { headers?: Record<string, unknown>; data?: unknown } }
  if (typeof x?.status !== 'number') throw e
  const headers = new Headers()
  for (const [k, v] of Object.entries(x.response?.headers ?? {})) if (v !== undefined) headers.set(k, String(v))
  const data = x.response?.data
  const text = typeof data === 'string' ? data : JSON.stringify(data ?? '')
  const until = limitedUntil(x.status, headers, text, now)
  if (until !== null) return { kind: 'rate-limited', until }
  if (!x.response) return { kind: 'unreachable', detail: x.message ?? 'no answer' }
  const body = (typeof data === 'object' && data !== null ? data : {}) as { message?: unknown; errors?: unknown }
  const details = Array.isArray(body.errors)
    ? body.errors.map((e) =>
        typeof e === 'string' ? e : String((e as { message?: unknown; code?: unknown }).message ?? (e as { code?: unknown }).code ?? '')
      )
    : []
  const message = typeof body.message === 'string' ? body.message : typeof data === 'string' ? data.slice(0, 200) : `HTTP ${x.status}`
  if (x.status === 422 && [message, ...details].some((d) => /already exists/i.test(d))) return { kind: 'exists' }
  return { kind: 'http', status: x.status, message, details: details.filter(Boolean) }
}
