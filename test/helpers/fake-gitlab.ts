import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startLocalHttp, type LocalHttp } from './local-http'
import type { FakeGitlabRoute } from './fake-gitlab-mrs'

/** A job as the fake serves it (fields as in GitLab's jobs API). */
export interface FakeJob {
  id: number
  name: string
  stage?: string
  status: string
  allow_failure?: boolean
  started_at?: string | null
  finished_at?: string | null
  duration?: number | null
  failure_reason?: string
  /** The job's trace. */
  trace?: string
}

/** A pipeline and its jobs. */
export interface FakePipeline {
  id: number
  ref: string
  sha: string
  status: string
  jobs: FakeJob[]
}

/** One request the fake answered. */
export interface FakeGitlabRequest {
  path: string
  status: number
  token: string | null
}

/**
 * A local GitLab API (v4) on 127.0.0.1: pipelines by ref and sha, a pipeline's jobs (paginated with
 * x-next-page and Link), job traces and commits. ETag/304, RateLimit-* headers, 429 with Retry-After.
 */
export class FakeGitlab {
  /** Accepted PRIVATE-TOKEN. */
  token = 'gl-test-token'
  readonly requests: FakeGitlabRequest[] = []
  /** Answer every request with 403. */
  forbidden = false
  /** When set, every request gets 429 with this Retry-After (seconds). */
  retryAfter: number | null = null
  rate = { limit: 2000, remaining: 2000, reset: Math.floor(Date.now() / 1000) + 60 }
  /** More routes (merge requests, users: fake-gitlab-mrs.ts); the first that answers wins. */
  readonly routes: FakeGitlabRoute[] = []
  private readonly projects = new Map<string, { pipelines: FakePipeline[]; commits: Set<string> }>()
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
    if (!this.projects.has(path)) this.projects.set(path, { pipelines: [], commits: new Set() })
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

  /** Requests whose path starts with `prefix`. */
  count(prefix = '/'): { all: number; notModified: number } {
    const hits = this.requests.filter((r) => r.path.startsWith(prefix))
    return { all: hits.length, notModified: hits.filter((r) => r.status === 304).length }
  }

  /** Stops the server. */
  close(): Promise<void> {
    return this.http.close()
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl)
    const token = (req.headers['private-token'] as string) ?? null
    const limits = () => ({
      'ratelimit-limit': String(this.rate.limit),
      'ratelimit-observed': String(this.rate.limit - this.rate.remaining),
      'ratelimit-remaining': String(this.rate.remaining),
      'ratelimit-reset': String(this.rate.reset),
      'ratelimit-resettime': new Date(this.rate.reset * 1000).toUTCString()
    })
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      this.requests.push({ path: url.pathname + url.search, status, token })
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

    if (token !== this.token) return message(401, '401 Unauthorized')
    if (this.retryAfter !== null) return send(429, 'Retry later', { 'content-type': 'text/plain', 'retry-after': String(this.retryAfter) })
    if (this.forbidden) return message(403, '403 Forbidden')

    if (this.routes.some((route) => route({ req, url, send, body, message }))) return
    // The project id is the URL-encoded path: one segment on the wire.
    const m = /^\/api\/v4\/projects\/([^/]+)(\/.*)$/.exec(url.pathname)
    const project = m ? this.projects.get(decodeURIComponent(m[1]!)) : undefined
    if (!m || !project) return message(404, '404 Project Not Found')
    const rest = m[2]!

    if (rest === '/pipelines') {
      const ref = url.searchParams.get('ref')
      const sha = url.searchParams.get('sha')
      const list = project.pipelines.filter((p) => (!ref || p.ref === ref) && (!sha || p.sha === sha)).sort((a, b) => b.id - a.id)
      return body(
        JSON.stringify(
          list.map((p) => ({
            id: p.id,
            iid: p.id,
            project_id: 1,
            sha: p.sha,
            ref: p.ref,
            status: p.status,
            source: 'push',
            created_at: '2024-05-01T10:00:00.000Z',
            updated_at: '2024-05-01T10:05:00.000Z',
            web_url: `${this.baseUrl}/group/repo/-/pipelines/${p.id}`
          }))
        ),
        'application/json'
      )
    }
    const jobs = /^\/pipelines\/(\d+)\/jobs$/.exec(rest)
    if (jobs) {
      const p = project.pipelines.find((x) => x.id === Number(jobs[1]))
      if (!p) return message(404, '404 Not found')
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 20))
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1))
      const totalPages = Math.max(1, Math.ceil(p.jobs.length / perPage))
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
      const slice = p.jobs.slice((page - 1) * perPage, page * perPage).map((j) => ({
        id: j.id,
        status: j.status,
        stage: j.stage ?? 'test',
        name: j.name,
        ref: p.ref,
        tag: false,
        allow_failure: j.allow_failure ?? false,
        created_at: '2024-05-01T10:00:00.000Z',
        started_at: j.started_at ?? null,
        finished_at: j.finished_at ?? null,
        duration: j.duration ?? null,
        queued_duration: 1.5,
        failure_reason: j.failure_reason,
        web_url: `${this.baseUrl}/group/repo/-/jobs/${j.id}`,
        pipeline: { id: p.id, project_id: 1, ref: p.ref, sha: p.sha, status: p.status }
      }))
      return body(JSON.stringify(slice), 'application/json', {
        'x-page': String(page),
        'x-per-page': String(perPage),
        'x-total': String(p.jobs.length),
        'x-total-pages': String(totalPages),
        'x-next-page': next,
        'x-prev-page': page > 1 ? String(page - 1) : '',
        link
      })
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
      return body(JSON.stringify({ id: sha, short_id: sha.slice(0, 8), title: 'commit', message: 'commit' }), 'application/json')
    }
    message(404, '404 Not found')
  }
}
