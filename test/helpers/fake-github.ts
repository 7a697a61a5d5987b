import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { checkRunBody, commitStatusBody, errorBody, fullRepository, minimalRepository } from './fake-github-bodies'
import { githubApiChecker } from './github-openapi'
import { startLocalHttp, type LocalHttp } from './local-http'
import type { FakeGithubRoute } from './fake-github-pulls'

/** A check run as the fake serves it (fields as in GitHub's check-runs API). */
export interface FakeCheckRun {
  id: number
  name: string
  status: string
  conclusion: string | null
  started_at?: string | null
  completed_at?: string | null
  /** The app's slug; `github-actions` jobs have logs. Default github-actions. */
  app?: string
  /** The job's log: text, or chunks produced on demand (for huge logs). */
  log?: string | (() => Iterable<string>)
}

/** A commit status (one context). */
export interface FakeCommitStatus {
  context: string
  state: string
  description?: string | null
  target_url?: string | null
}

/** One request the fake answered. */
export interface FakeRequest {
  method: string
  path: string
  status: number
  ifNoneMatch: string | null
  authorization: string | null
}

interface Commit {
  checkRuns: FakeCheckRun[]
  statuses: FakeCommitStatus[]
}

/**
 * A local GitHub REST API on 127.0.0.1 with the endpoints Skein reads: check runs and combined
 * status (both paginated), repositories, and job logs (302 to a signed URL that refuses the token).
 * It sends ETags and answers If-None-Match with 304, counts rate-limit use, and its states can be
 * changed by a test at any time. Every API request and answer is checked against GitHub's OpenAPI
 * description; what does not match is kept in `violations` (tests assert it stays empty).
 */
export class FakeGithub {
  /** Accepted bearer token. */
  token = 'gh-test-token'
  readonly requests: FakeRequest[] = []
  /** Answer every API request with 403 (not a rate limit), as for a token without access. */
  forbidden = false
  /** Serve a body that is not JSON ('json') or JSON of the wrong shape ('shape'). */
  malformed: 'json' | 'shape' | null = null
  /** Rate-limit budget; requests answered 304 do not spend it. */
  rate = { limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600 }
  /** When set, every API request gets 429 with this Retry-After (seconds). */
  retryAfter: number | null = null
  /** Answer every API request as GitHub's secondary rate limit does: 403, requests left, no Retry-After. */
  secondaryLimit = false
  /** Overrides the combined state GitHub reports, as when it counts a context no page lists. */
  combinedState: string | null = null
  /** Where a request or an answer differed from GitHub's OpenAPI description. */
  readonly violations: string[] = []
  /** More routes under a repository (pull requests and their merges: fake-github-pulls.ts); the first that answers wins. */
  readonly routes: FakeGithubRoute[] = []
  /** Routes outside /repos (GraphQL: fake-github-threads.ts), tried after the token is checked; true when one answered. */
  readonly rootRoutes: ((ctx: {
    req: IncomingMessage
    url: URL
    send: (status: number, body: string, headers?: Record<string, string>) => void
  }) => boolean)[] = []
  private readonly repos = new Map<string, Map<string, Commit>>()
  // Statuses carry fixed times, so an unchanged combined status keeps its ETag.
  private readonly statusTime = Date.now()
  private http!: LocalHttp
  baseUrl = ''

  /** Starts the fake on a free port. */
  static async start(): Promise<FakeGithub> {
    const f = new FakeGithub()
    f.http = await startLocalHttp((req, res) => f.handle(req, res))
    f.baseUrl = f.http.baseUrl
    return f
  }

  /** Creates a repository (empty). */
  addRepo(fullName: string): void {
    if (!this.repos.has(fullName)) this.repos.set(fullName, new Map())
  }

  /** Adds or replaces (by id) a check run on a commit. */
  setCheckRun(fullName: string, sha: string, run: FakeCheckRun): void {
    const c = this.commit(fullName, sha)
    c.checkRuns = [...c.checkRuns.filter((r) => r.id !== run.id), run].sort((a, b) => a.id - b.id)
  }

  /** Adds or replaces (by context) a commit status. */
  setStatus(fullName: string, sha: string, status: FakeCommitStatus): void {
    const c = this.commit(fullName, sha)
    c.statuses = [...c.statuses.filter((s) => s.context !== status.context), status]
  }

  /** Makes a commit known with no checks yet. */
  commit(fullName: string, sha: string): Commit {
    this.addRepo(fullName)
    const commits = this.repos.get(fullName)!
    let c = commits.get(sha)
    if (!c) commits.set(sha, (c = { checkRuns: [], statuses: [] }))
    return c
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
    const record = (status: number) =>
      this.requests.push({
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        status,
        ifNoneMatch: (req.headers['if-none-match'] as string) ?? null,
        authorization: req.headers.authorization ?? null
      })
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      record(status)
      // A deliberately malformed answer breaks the description on purpose; the request must still follow it.
      const deliberate = this.malformed !== null && status === 200
      // GraphQL is not in the OpenAPI description: fake-github-threads.ts checks its requests itself.
      if (!url.pathname.startsWith('/_blob/') && url.pathname !== '/graphql') {
        const exchange = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, status, body }
        const found = githubApiChecker().check({ ...exchange, conditional: !!req.headers['if-none-match'] })
        this.violations.push(...found.filter((v) => !(deliberate && v.includes(': the body'))))
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      res.end(body)
    }

    // The signed log URL: like GitHub's blob storage, it must not be sent the API token.
    const blob = /^\/_blob\/(.+)\/(\d+)$/.exec(url.pathname)
    if (blob) {
      if (req.headers.authorization)
        return send(400, '<Error>Authorization header not allowed with a signed URL</Error>', { 'content-type': 'application/xml' })
      const run = this.findRun(decodeURIComponent(blob[1]!), Number(blob[2]))
      if (!run?.log) return send(404, '<Error>BlobNotFound</Error>', { 'content-type': 'application/xml' })
      record(200)
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      if (typeof run.log === 'string') return void res.end(run.log)
      return this.pipe(run.log(), res)
    }

    if (req.headers.accept !== 'application/vnd.github+json' || req.headers['x-github-api-version'] !== '2022-11-28') {
      return send(415, errorBody('Send Accept: application/vnd.github+json and X-GitHub-Api-Version', 415))
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, errorBody('Bad credentials', 401))
    const limitHeaders = () => ({
      'x-ratelimit-limit': String(this.rate.limit),
      'x-ratelimit-remaining': String(this.rate.remaining),
      'x-ratelimit-reset': String(this.rate.reset),
      'x-ratelimit-used': String(this.rate.limit - this.rate.remaining),
      'x-ratelimit-resource': 'core'
    })
    const secondary =
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.'
    const limitsDocs = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'
    if (this.retryAfter !== null)
      return send(429, errorBody(secondary, 429, limitsDocs), { ...limitHeaders(), 'retry-after': String(this.retryAfter) })
    if (this.secondaryLimit) return send(403, errorBody(secondary, 403, `${limitsDocs}#about-secondary-rate-limits`), limitHeaders())
    if (this.rate.remaining <= 0) return send(403, errorBody('API rate limit exceeded for user ID 1.', 403, limitsDocs), limitHeaders())
    if (this.forbidden) return send(403, errorBody('Resource not accessible by personal access token', 403), limitHeaders())

    const json = (body: unknown, extra: Record<string, string> = {}) => {
      const text =
        this.malformed === 'json'
          ? '{"total_count": 1, "check_runs": ['
          : JSON.stringify(this.malformed === 'shape' ? { total_count: 'many', check_runs: {} } : body)
      const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`
      if (req.headers['if-none-match'] === etag) return send(304, '', { ...limitHeaders(), etag })
      this.rate.remaining--
      send(200, text, { ...limitHeaders(), etag, ...extra })
    }
    const notFound = () => {
      this.rate.remaining--
      send(404, errorBody('Not Found', 404), limitHeaders())
    }

    if (
      this.rootRoutes.some((route) =>
        route({ req, url, send: (status, body, headers) => send(status, body, { ...limitHeaders(), ...headers }) })
      )
    )
      return
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname)
    if (!m) return notFound()
    const fullName = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`
    const commits = this.repos.get(fullName)
    if (!commits) return notFound()
    const rest = m[3] ?? ''
    if (this.routes.some((route) => route({ req, url, fullName, rest, json, send, notFound }))) return
    const repoId = [...this.repos.keys()].indexOf(fullName) + 1
    if (rest === '') return json(fullRepository(this.baseUrl, fullName, repoId))

    const logs = /^\/actions\/jobs\/(\d+)\/logs$/.exec(rest)
    if (logs) {
      const run = this.findRun(fullName, Number(logs[1]))
      if (!run || (run.app ?? 'github-actions') !== 'github-actions') return notFound()
      this.rate.remaining--
      return send(302, '', {
        ...limitHeaders(),
        location: `${this.baseUrl}/_blob/${encodeURIComponent(fullName)}/${run.id}?sv=2021&sig=signed`
      })
    }

    const ref = /^\/commits\/([^/]+)\/(check-runs|status)$/.exec(rest)
    if (!ref) return notFound()
    const sha = decodeURIComponent(ref[1]!)
    const commit = commits.get(sha)
    if (!commit) {
      this.rate.remaining--
      return send(422, errorBody(`No commit found for SHA: ${sha}`, 422, 'https://docs.github.com/rest/checks/runs'), limitHeaders())
    }
    // Both lists page alike: per_page (at most 100) and page, with a Link header.
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30))
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1))
    const paged = <T>(items: T[]) => {
      const last = Math.max(1, Math.ceil(items.length / perPage))
      const pageUrl = (p: number) => {
        const u = new URL(url)
        u.searchParams.set('page', String(p))
        return u.toString()
      }
      const links = [
        page < last ? `<${pageUrl(page + 1)}>; rel="next"` : null,
        page < last ? `<${pageUrl(last)}>; rel="last"` : null,
        page > 1 ? `<${pageUrl(1)}>; rel="first"` : null,
        page > 1 ? `<${pageUrl(page - 1)}>; rel="prev"` : null
      ].filter(Boolean)
      const headers: Record<string, string> = links.length ? { link: links.join(', ') } : {}
      return { slice: items.slice((page - 1) * perPage, page * perPage), headers }
    }
    if (ref[2] === 'status') {
      const states = commit.statuses.map((s) => s.state)
      const state =
        (this.combinedState ?? states.some((s) => s === 'failure' || s === 'error'))
          ? 'failure'
          : states.some((s) => s === 'pending') || states.length === 0
            ? 'pending'
            : 'success'
      const { slice, headers } = paged(commit.statuses.map((s, i) => ({ s, i })))
      return json(
        {
          state,
          sha,
          total_count: commit.statuses.length,
          statuses: slice.map(({ s, i }) => commitStatusBody(this.baseUrl, fullName, sha, s, i + 1, this.statusTime)),
          repository: minimalRepository(this.baseUrl, fullName, repoId),
          commit_url: `${this.baseUrl}/repos/${fullName}/commits/${sha}`,
          url: `${this.baseUrl}/repos/${fullName}/commits/${sha}/status`
        },
        headers
      )
    }
    const { slice, headers } = paged(commit.checkRuns)
    json({ total_count: commit.checkRuns.length, check_runs: slice.map((r) => checkRunBody(this.baseUrl, fullName, sha, r)) }, headers)
  }

  private findRun(fullName: string, id: number): FakeCheckRun | undefined {
    for (const c of this.repos.get(fullName)?.values() ?? []) {
      const r = c.checkRuns.find((x) => x.id === id)
      if (r) return r
    }
    return undefined
  }

  // Writes chunks with backpressure, so a huge log never sits in memory at once.
  private pipe(chunks: Iterable<string>, res: ServerResponse): void {
    const it = chunks[Symbol.iterator]()
    const write = () => {
      for (;;) {
        const n = it.next()
        if (n.done) return void res.end()
        if (!res.write(n.value)) return void res.once('drain', write)
      }
    }
    res.on('error', () => undefined)
    write()
  }
}
