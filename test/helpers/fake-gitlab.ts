import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  bridgeBody,
  jobBody,
  mergeRequestBody,
  mergeRequestDetail,
  pipelineBasic,
  type FakeMergeRequest,
  type FakePipeline,
  type MrFields
} from './fake-gitlab-bodies'
import { gitlabApiChecker } from './gitlab-shapes'
import { startLocalHttp, type LocalHttp } from './local-http'
import type { FakeGitlabRoute } from './fake-gitlab-mrs'

export type { FakeBridge, FakeJob, FakeMergeRequest, FakePipeline } from './fake-gitlab-bodies'

/** One request the fake answered. */
export interface FakeGitlabRequest {
  path: string
  status: number
  /** The token, from whichever header carried it. */
  token: string | null
  /** How the token came: `PRIVATE-TOKEN` or `Authorization: Bearer`. */
  auth: 'private-token' | 'bearer' | null
}

interface Project {
  pipelines: FakePipeline[]
  commits: Set<string>
  mergeRequests: FakeMergeRequest[]
}

/**
 * A local GitLab API (v4) on 127.0.0.1: pipelines by ref and sha, a pipeline's jobs and trigger jobs
 * (paginated with x-next-page and Link), merge requests and their pipelines, job traces and commits.
 * ETag/304, RateLimit-* headers, 429 with Retry-After. Like GitLab it takes a personal access token
 * as `PRIVATE-TOKEN` or `Authorization: Bearer`, and an OAuth token only as Bearer. Every request and
 * answer is checked against GitLab's documented shapes; what does not match is kept in `violations`.
 */
export class FakeGitlab {
  /** Accepted personal access token. */
  token = 'gl-test-token'
  /** Accepted OAuth access token (as glab's web login stores it). */
  oauthToken = 'a1b2c3d4'.repeat(8)
  readonly requests: FakeGitlabRequest[] = []
  /** Where a request or an answer differed from GitLab's documented shapes. */
  readonly violations: string[] = []
  /** Answer every request with 403. */
  forbidden = false
  /** When set, every request gets 429 with this Retry-After (seconds). */
  retryAfter: number | null = null
  /** Where trigger jobs are listed: both routes (GitLab 19.2+), or only one (older GitLab; a future one without /bridges). */
  triggerJobRoutes: ReadonlyArray<'bridges' | 'trigger_jobs'> = ['bridges', 'trigger_jobs']
  rate = { limit: 2000, remaining: 2000, reset: Math.floor(Date.now() / 1000) + 60 }
  /** More routes (merge requests, users: fake-gitlab-mrs.ts); the first that answers wins. */
  readonly routes: FakeGitlabRoute[] = []
  private readonly projects = new Map<string, Project>()
  private http!: LocalHttp
  /** The server root, as configured for a self-hosted GitLab. */
  baseUrl = ''

  /** Starts the fake on a free port. */
  static async start(): Promise<FakeGitlab> {
    const f = new FakeGitlab()
    f.http = await startLocalHttp((req, res) => f.handle(req, res))
    f.baseUrl = f.http.baseUrl
    return f
  }

  /** Creates a project by path, e.g. `group/sub/repo`. */
  addProject(path: string): void {
    if (!this.projects.has(path)) this.projects.set(path, { pipelines: [], commits: new Set(), mergeRequests: [] })
  }

  /** Makes a commit known to the project (pushed), without a pipeline. */
  addCommit(path: string, sha: string): void {
    this.addProject(path)
    this.projects.get(path)!.commits.add(sha)
  }

  /** Adds or replaces (by id) a pipeline. */
  setPipeline(path: string, p: FakePipeline): void {
    this.addCommit(path, p.sha)
    const proj = this.projects.get(path)!
    proj.pipelines = [...proj.pipelines.filter((x) => x.id !== p.id), p]
  }

  /** Adds or replaces (by iid) a merge request. */
  setMergeRequest(path: string, mr: FakeMergeRequest): void {
    this.addCommit(path, mr.sha)
    const proj = this.projects.get(path)!
    proj.mergeRequests = [...proj.mergeRequests.filter((x) => x.iid !== mr.iid), mr]
  }

  /** The newest pipeline of a commit, as GitLab ties one to a merge request's head. */
  pipelineOf(path: string, sha: string): FakePipeline | undefined {
    return this.projects
      .get(path)
      ?.pipelines.filter((p) => p.sha === sha)
      .sort((a, b) => b.id - a.id)[0]
  }

  /** Requests whose path starts with `prefix`. */
  count(prefix = '/'): { all: number; notModified: number } {
    const hits = this.requests.filter((r) => r.path.startsWith(prefix))
    return { all: hits.length, notModified: hits.filter((r) => r.status === 304).length }
  }

  /** Stops the server. */
  close(): Promise<void> {
    return this.http.close()
  }

  // The body is read whole first, so that the request can be checked along with the answer.
  private handle(req: IncomingMessage, res: ServerResponse): void {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString()))
    req.on('end', () => this.answer(req, res, text))
  }

  private answer(req: IncomingMessage, res: ServerResponse, requestText: string): void {
    const url = new URL(req.url ?? '/', this.baseUrl)
    const privateToken = (req.headers['private-token'] as string | undefined) ?? null
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null
    const token = privateToken ?? bearer
    const limits = () => ({
      'ratelimit-limit': String(this.rate.limit),
      'ratelimit-observed': String(this.rate.limit - this.rate.remaining),
      'ratelimit-remaining': String(this.rate.remaining),
      'ratelimit-reset': String(this.rate.reset),
      'ratelimit-resettime': new Date(this.rate.reset * 1000).toUTCString()
    })
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      this.requests.push({
        path: url.pathname + url.search,
        status,
        token,
        auth: privateToken ? 'private-token' : bearer ? 'bearer' : null
      })
      // GitLab's 429 is plain text ("Retry later") from its rate limiter, outside every endpoint's description.
      if (status !== 429) {
        const path = url.pathname.replace(/^\/api\/v4/, '')
        const conditional = !!req.headers['if-none-match']
        const exchange = { method: req.method ?? 'GET', path, query: url.searchParams, conditional, status, body, requestBody: requestText }
        this.violations.push(...gitlabApiChecker().check(exchange))
      }
      res.writeHead(status, { 'content-type': 'application/json', ...limits(), ...headers })
      res.end(body)
    }
    const message = (status: number, text: string, headers: Record<string, string> = {}) =>
      send(status, JSON.stringify({ message: text }), headers)
    const body = (text: string, contentType: string, extra: Record<string, string> = {}) => {
      const etag = `W/"${createHash('md5').update(text).digest('hex')}"`
      if (req.headers['if-none-match'] === etag) return send(304, '', { etag })
      this.rate.remaining--
      send(200, text, { 'content-type': contentType, etag, ...extra })
    }
    const json = (value: unknown, extra: Record<string, string> = {}) => body(JSON.stringify(value), 'application/json', extra)

    // GitLab refuses an OAuth token sent as PRIVATE-TOKEN: it looks it up among personal access tokens.
    const valid =
      (privateToken !== null && privateToken === this.token) || (bearer !== null && [this.token, this.oauthToken].includes(bearer))
    if (!valid) return message(401, '401 Unauthorized')
    if (this.retryAfter !== null) return send(429, 'Retry later', { 'content-type': 'text/plain', 'retry-after': String(this.retryAfter) })
    if (this.forbidden) return message(403, '403 Forbidden')

    let requestJson: Record<string, unknown> = {}
    try {
      requestJson = requestText ? (JSON.parse(requestText) as Record<string, unknown>) : {}
    } catch {
      requestJson = { __invalid: requestText }
    }
    const ctx = { req, url, text: requestText, json: requestJson, send, body, message }
    if (this.routes.some((route) => route(ctx))) return
    // The project id is the URL-encoded path: one segment on the wire.
    const m = /^\/api\/v4\/projects\/([^/]+)(\/.*)$/.exec(url.pathname)
    const project = m ? this.projects.get(decodeURIComponent(m[1]!)) : undefined
    if (!m || !project) return message(404, '404 Project Not Found')
    const rest = m[2]!
    const base = this.baseUrl
    const path = decodeURIComponent(m[1]!)

    if (rest === '/pipelines') {
      const ref = url.searchParams.get('ref')
      const sha = url.searchParams.get('sha')
      const found = project.pipelines.filter((p) => (!ref || p.ref === ref) && (!sha || p.sha === sha)).sort((a, b) => b.id - a.id)
      return json(found.map((p) => pipelineBasic(base, p)))
    }
    const pipelineList = /^\/pipelines\/(\d+)\/(jobs|bridges|trigger_jobs)$/.exec(rest)
    if (pipelineList && pipelineList[2] !== 'jobs' && !this.triggerJobRoutes.includes(pipelineList[2] as 'bridges')) {
      return message(404, '404 Not Found')
    }
    if (pipelineList) {
      const p = project.pipelines.find((x) => x.id === Number(pipelineList[1]))
      if (!p) return message(404, '404 Not found')
      const items =
        pipelineList[2] === 'jobs' ? p.jobs.map((j) => jobBody(base, j, p)) : (p.bridges ?? []).map((b) => bridgeBody(base, b, p))
      const { slice, headers } = this.page(url, items)
      return json(slice, headers)
    }
    const trace = /^\/jobs\/(\d+)\/trace$/.exec(rest)
    if (trace) {
      const job = project.pipelines.flatMap((p) => p.jobs).find((j) => j.id === Number(trace[1]))
      if (!job || job.trace === undefined) return message(404, '404 Not found')
      return send(200, job.trace, { 'content-type': 'text/plain' })
    }
    const commit = /^\/repository\/commits\/([^/]+)$/.exec(rest)
    if (commit) {
      const sha = decodeURIComponent(commit[1]!)
      if (!project.commits.has(sha)) return message(404, '404 Commit Not Found')
      return json({ id: sha, short_id: sha.slice(0, 8), title: 'commit', message: 'commit' })
    }
    if (rest === '/merge_requests') {
      const state = url.searchParams.get('state') ?? 'all'
      const source = url.searchParams.get('source_branch')
      const found = project.mergeRequests
        .filter((mr) => (state === 'all' || (mr.state ?? 'opened') === state) && (!source || mr.source_branch === source))
        .sort((a, b) => b.iid - a.iid)
      return json(found.map((mr) => mergeRequestBody(base, mrFields(path, mr))))
    }
    const mr = /^\/merge_requests\/(\d+)(\/pipelines)?$/.exec(rest)
    if (mr) {
      const found = project.mergeRequests.find((x) => x.iid === Number(mr[1]))
      if (!found) return message(404, '404 Not found')
      if (mr[2]) {
        const ofMr = project.pipelines.filter((p) => p.ref.startsWith(`refs/merge-requests/${found.iid}/`)).sort((a, b) => b.id - a.id)
        return json(ofMr.map((p) => pipelineBasic(base, p)))
      }
      const head = project.pipelines.find((p) => p.id === found.headPipelineId)
      return json(mergeRequestDetail(base, mrFields(path, found), { head, baseSha: 'b'.repeat(40) }))
    }
    message(404, '404 Not found')
  }

  // GitLab's offset pagination: x-next-page (empty on the last page), x-total and a Link header.
  private page<T>(url: URL, items: T[]): { slice: T[]; headers: Record<string, string> } {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 20))
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1))
    const totalPages = Math.max(1, Math.ceil(items.length / perPage))
    const next = page < totalPages ? String(page + 1) : ''
    const pageUrl = (n: number) => {
      const u = new URL(url)
      u.searchParams.set('page', String(n))
      return u.toString()
    }
    const link = [
      next ? `<${pageUrl(page + 1)}>; rel="next"` : null,
      `<${pageUrl(1)}>; rel="first"`,
      `<${pageUrl(totalPages)}>; rel="last"`
    ]
      .filter(Boolean)
      .join(', ')
    return {
      slice: items.slice((page - 1) * perPage, page * perPage),
      headers: {
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-total': String(items.length),
        'x-total-pages': String(totalPages),
        'x-next-page': next,
        'x-prev-page': page > 1 ? String(page - 1) : '',
        link
      }
    }
  }
}

// A merge request set up for the CI side, in the words every fake merge request is answered with.
function mrFields(path: string, mr: FakeMergeRequest): MrFields {
  return {
    path,
    iid: mr.iid,
    title: `Merge ${mr.source_branch}`,
    description: '',
    state: mr.state ?? 'opened',
    sourceBranch: mr.source_branch,
    targetBranch: mr.target_branch ?? 'main',
    sha: mr.sha,
    labels: [],
    reviewers: [],
    draft: false,
    detailedMergeStatus: 'mergeable',
    autoMerge: false,
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-01T10:05:00.000Z'
  }
}
