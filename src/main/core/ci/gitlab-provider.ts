import { z } from 'zod'
import type { CiCheck, CiProblem } from '../../../shared/ci'
import { err, ok, type Result } from '../../../shared/result'
import { durationOf, gitlabState, parseTime } from './check-states'
import { CiHttp, type HttpFailure } from './ci-http'
import {
  CachedToken,
  logOutcome,
  nextLink,
  noToken,
  parseBody,
  problemFor,
  short,
  type CiProvider,
  type ProblemWords,
  type RemoteChecks
} from './ci-provider'
import type { TokenSource } from './ci-tokens'

const Pipeline = z.object({
  id: z.number(),
  status: z.string(),
  ref: z.string().nullish(),
  sha: z.string(),
  web_url: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  started_at: z.string().nullish(),
  finished_at: z.string().nullish()
})
type Pipeline = z.infer<typeof Pipeline>

const Job = z.object({
  id: z.number(),
  name: z.string(),
  stage: z.string().nullish(),
  status: z.string(),
  allow_failure: z.boolean().nullish(),
  started_at: z.string().nullish(),
  finished_at: z.string().nullish(),
  duration: z.number().nullish(),
  web_url: z.string().nullish(),
  failure_reason: z.string().nullish()
})
type Job = z.infer<typeof Job>

/** Where and how to read one GitLab project's pipelines. */
export interface GitlabProviderOptions {
  /** The server root: https://gitlab.com or a self-hosted https://HOST. The API is under /api/v4. */
  baseUrl?: string
  /** The project's path, e.g. `group/sub/repo`. */
  path: string
  token: TokenSource
  http?: CiHttp
  /** Page size for jobs (GitLab's maximum is 100). */
  perPage?: number
}

/** A GitLab job as a CiCheck. A job that started has a trace. */
export function checkFromJob(j: Job): CiCheck {
  const mapped = gitlabState(j.status, j.allow_failure ?? false)
  const startedAt = parseTime(j.started_at)
  const completedAt = parseTime(j.finished_at)
  const detail = [mapped.detail, j.failure_reason?.replace(/_/g, ' ')].filter(Boolean).join('; ')
  return {
    id: `gl-job:${j.id}`,
    name: j.stage ? `${j.stage}: ${j.name}` : j.name,
    provider: 'gitlab',
    state: mapped.state,
    startedAt,
    completedAt,
    durationMs: typeof j.duration === 'number' ? Math.round(j.duration * 1000) : durationOf(startedAt, completedAt),
    url: j.web_url ?? null,
    hasLog: startedAt !== null,
    ...(detail ? { detail } : {})
  }
}

/** A pipeline with no jobs (e.g. a configuration error) as one CiCheck, so its state still shows. */
export function checkFromPipeline(p: Pipeline): CiCheck {
  const mapped = gitlabState(p.status)
  const startedAt = parseTime(p.started_at ?? p.created_at)
  const completedAt = parseTime(p.finished_at)
  return {
    id: `gl-pipeline:${p.id}`,
    name: 'pipeline',
    provider: 'gitlab',
    state: mapped.state,
    startedAt,
    completedAt,
    durationMs: durationOf(startedAt, completedAt),
    url: p.web_url ?? null,
    hasLog: false,
    ...(mapped.detail ? { detail: mapped.detail } : {})
  }
}

/** Reads pipelines, jobs and job traces over GitLab's REST API (v4). */
export class GitlabProvider implements CiProvider {
  readonly kind = 'gitlab' as const
  private readonly api: string
  private readonly project: string
  private readonly path: string
  private readonly token: CachedToken
  private readonly http: CiHttp
  private readonly perPage: number
  private readonly words: ProblemWords

  constructor(options: GitlabProviderOptions) {
    const base = (options.baseUrl ?? 'https://gitlab.com').replace(/\/+$/, '')
    this.api = `${base}/api/v4`
    this.path = options.path
    this.project = encodeURIComponent(options.path)
    this.token = new CachedToken(options.token)
    this.http = options.http ?? new CiHttp()
    this.perPage = options.perPage ?? 100
    const host = new URL(base).hostname
    this.words = {
      service: 'GitLab',
      host: new URL(base).host,
      tokenHint: `Set GITLAB_TOKEN or run \`glab auth login${host === 'gitlab.com' ? '' : ` --hostname ${host}`}\``,
      forbiddenHint: `The token cannot read pipelines of ${options.path}. It needs the read_api scope and at least Reporter access to the project.`
    }
  }

  /** The jobs of the latest pipeline for `branch` at `sha`. */
  async checks(ref: { sha: string; branch: string }): Promise<Result<RemoteChecks, CiProblem>> {
    const headers = await this.headers()
    if (!headers) return err(noToken(this.words))
    const q = new URLSearchParams({ ref: ref.branch, sha: ref.sha, order_by: 'id', sort: 'desc', per_page: '20' })
    const res = await this.http.getJson(`${this.api}/projects/${this.project}/pipelines?${q}`, headers)
    if (res.kind !== 'ok') return err(this.problem(res))
    const pipelines = parseBody(z.array(Pipeline), res.body, 'pipelines', this.words)
    if (!pipelines.ok) return pipelines
    const latest = pipelines.value[0]
    if (!latest) {
      // No pipeline: either the commit is not on GitLab yet, or the project runs no CI for it.
      const commit = await this.http.getJson(
        `${this.api}/projects/${this.project}/repository/commits/${encodeURIComponent(ref.sha)}`,
        headers
      )
      if (commit.kind === 'http-error' && commit.status === 404)
        return err({
          kind: 'not-pushed',
          message: `GitLab does not have commit ${short(ref.sha)} yet. Push the branch to see its pipeline.`
        })
      if (commit.kind !== 'ok') return err(this.problem(commit))
      return ok({ commit: ref.sha, checks: [] })
    }
    const checks: CiCheck[] = []
    let url: string | null = `${this.api}/projects/${this.project}/pipelines/${latest.id}/jobs?per_page=${this.perPage}`
    while (url) {
      const page = await this.http.getJson(url, headers)
      if (page.kind !== 'ok') return err(this.problem(page))
      const jobs = parseBody(z.array(Job), page.body, 'jobs', this.words)
      if (!jobs.ok) return jobs
      checks.push(...jobs.value.map(checkFromJob))
      url = this.next(url, page.headers)
    }
    return ok({ commit: ref.sha, checks: checks.length > 0 ? checks : [checkFromPipeline(latest)] })
  }

  /** A job's trace (its raw log). */
  async log(checkId: string): Promise<Result<AsyncIterable<Uint8Array>, CiProblem>> {
    const m = /^gl-job:(\d+)$/.exec(checkId)
    if (!m)
      return err({ kind: 'repo-not-found', message: 'Only GitLab jobs have logs; this pipeline has no jobs. Open it on GitLab instead.' })
    const headers = await this.headers()
    if (!headers) return err(noToken(this.words))
    const res = await this.http.stream(`${this.api}/projects/${this.project}/jobs/${m[1]}/trace`, headers)
    if (res.kind === 'http-error' && res.status === 401) this.token.forget()
    return logOutcome(res, this.words, 'GitLab has no log for this job: it was erased or has expired. Open the job on GitLab instead.')
  }

  private async headers(): Promise<Record<string, string> | null> {
    const token = await this.token.get()
    return token ? { 'PRIVATE-TOKEN': token, Accept: 'application/json', 'User-Agent': 'Skein' } : null
  }

  // GitLab's offset pagination says the next page in x-next-page (empty on the last); Link is also sent.
  private next(url: string, headers: Headers): string | null {
    const link = nextLink(headers.get('link'))
    if (link) return link
    const page = headers.get('x-next-page')?.trim()
    if (!page) return null
    const u = new URL(url)
    u.searchParams.set('page', page)
    return u.toString()
  }

  private problem(res: HttpFailure): CiProblem {
    if (res.kind === 'http-error' && res.status === 401) this.token.forget()
    if (res.kind === 'http-error' && res.status === 404) {
      return {
        kind: 'repo-not-found',
        message: `GitLab has no project ${this.path} that this token can see. Check the remote URL, and that the token has access to the project.`
      }
    }
    return problemFor(res, this.words)
  }
}
