import { z } from 'zod'
import type { CiCheck, CiProblem } from '../../../shared/ci'
import { err, ok, type Result } from '../../../shared/result'
import { DEFAULT_SCHEDULE } from './backoff'
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
import { gitlabAuthHeaders, gitlabCredentialOf, type GitlabCredential, type GitlabTokenSource } from './ci-tokens'
import {
  checkFromBridge,
  checkFromJob,
  GitlabBridge,
  GitlabJob,
  GitlabPipeline,
  pipelineReadsWorse,
  withPipelineFloor
} from './gitlab-checks'
import { MergeRequestFinder } from './gitlab-merge-requests'

/** Where and how to read one GitLab project's pipelines. */
export interface GitlabProviderOptions {
  /** The server root: https://gitlab.com or a self-hosted https://HOST. The API is under /api/v4. */
  baseUrl?: string
  /** The project's path, e.g. `group/sub/repo`. */
  path: string
  /** The token; an OAuth one (from glab's web login) is sent as `Authorization: Bearer`, others as `PRIVATE-TOKEN`. */
  token: GitlabTokenSource
  http?: CiHttp
  /** Page size for jobs (GitLab's maximum is 100). */
  perPage?: number
  /** How long "the branch has no open merge request" is believed while the branch has its own pipeline. Default 10 min. */
  mergeRequestRecheckMs?: number
}

// Pipelines known to have no trigger jobs: GitLab creates a pipeline's jobs with it, so none appear later.
const NO_BRIDGES_KEPT = 500

/**
 * Reads pipelines, jobs, trigger jobs and job traces over GitLab's REST API (v4). The checks of a
 * commit are those of the branch's latest pipeline and of its open merge request's pipeline, and a
 * pipeline's own status is a floor: they never read better than GitLab says the pipeline is.
 */
export class GitlabProvider implements CiProvider {
  readonly kind = 'gitlab' as const
  private readonly api: string
  private readonly project: string
  private readonly path: string
  private readonly token: CachedToken<GitlabCredential>
  private readonly http: CiHttp
  private readonly perPage: number
  private readonly words: ProblemWords
  private readonly mergeRequests: MergeRequestFinder
  private readonly noBridges = new Set<number>()
  // Where this server lists trigger jobs (see triggerJobs).
  private triggerRoute: 'bridges' | 'trigger_jobs' = 'bridges'

  constructor(options: GitlabProviderOptions) {
    const base = (options.baseUrl ?? 'https://gitlab.com').replace(/\/+$/, '')
    this.api = `${base}/api/v4`
    this.path = options.path
    this.project = encodeURIComponent(options.path)
    this.token = new CachedToken(async () => {
      const t = await options.token()
      return t ? gitlabCredentialOf(t) : null
    })
    this.http = options.http ?? new CiHttp()
    this.perPage = options.perPage ?? 100
    const host = new URL(base).hostname
    this.words = {
      service: 'GitLab',
      host: new URL(base).host,
      tokenHint: `Set GITLAB_TOKEN or run \`glab auth login${host === 'gitlab.com' ? '' : ` --hostname ${host}`}\``,
      forbiddenHint: `The token cannot read pipelines of ${options.path}. It needs the read_api scope and at least Reporter access to the project.`
    }
    this.mergeRequests = new MergeRequestFinder({
      projectUrl: `${this.api}/projects/${this.project}`,
      http: this.http,
      now: this.http.now,
      // Every other poll of a settled thread, which is polled every maxMs.
      recheckMs: options.mergeRequestRecheckMs ?? 2 * DEFAULT_SCHEDULE.maxMs,
      words: this.words,
      problem: (res) => this.problem(res)
    })
  }

  /** The jobs and trigger jobs of the latest pipeline for `branch` at `sha`, and of its open merge request's pipeline. */
  async checks(ref: { sha: string; branch: string }): Promise<Result<RemoteChecks, CiProblem>> {
    const headers = await this.headers()
    if (!headers) return err(noToken(this.words))
    const q = new URLSearchParams({ ref: ref.branch, sha: ref.sha, order_by: 'id', sort: 'desc', per_page: '20' })
    const res = await this.http.getJson(`${this.api}/projects/${this.project}/pipelines?${q}`, headers)
    if (res.kind !== 'ok') return err(this.problem(res))
    const pipelines = parseBody(z.array(GitlabPipeline), res.body, 'pipelines', this.words)
    if (!pipelines.ok) return pipelines
    // A child pipeline runs on the same ref and commit; it shows through its parent's trigger job.
    const latest = pipelines.value.find((p) => p.source !== 'parent_pipeline')
    const mr = await this.mergeRequests.find(ref, headers, latest !== undefined)
    if (!mr.ok) return mr
    const shown: { pipeline: GitlabPipeline; suffix: string }[] = latest ? [{ pipeline: latest, suffix: '' }] : []
    if (mr.value && mr.value.pipeline.id !== latest?.id)
      shown.push({ pipeline: mr.value.pipeline, suffix: latest ? ` (${mr.value.label})` : '' })
    if (shown.length === 0) {
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
    for (const { pipeline, suffix } of shown) {
      const r = await this.pipelineChecks(pipeline, suffix, headers)
      if (!r.ok) return r
      checks.push(...r.value)
    }
    return ok({ commit: ref.sha, checks })
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

  // A pipeline's jobs, then its trigger jobs (unless it is known to have none), then its own status as a floor.
  private async pipelineChecks(p: GitlabPipeline, suffix: string, headers: Record<string, string>): Promise<Result<CiCheck[], CiProblem>> {
    const jobs = await this.list(
      `${this.api}/projects/${this.project}/pipelines/${p.id}/jobs?per_page=${this.perPage}`,
      GitlabJob,
      'jobs',
      headers
    )
    if (!jobs.ok) return jobs
    const checks = jobs.value.map((j) => checkFromJob(j, suffix))
    // A pipeline that reads worse than its jobs may owe it to a trigger job: look even when none were seen before.
    if (!this.noBridges.has(p.id) || pipelineReadsWorse(checks, p)) {
      const bridges = await this.triggerJobs(p.id, headers)
      if (!bridges.ok) return bridges
      if (bridges.value.length === 0) this.rememberNoBridges(p.id)
      else this.noBridges.delete(p.id)
      checks.push(...bridges.value.map((b) => checkFromBridge(b, suffix)))
    }
    return ok(withPipelineFloor(checks, p, suffix))
  }

  // Every page of a list, each page ETag-cached.
  private async list<T>(first: string, item: z.ZodType<T>, what: string, headers: Record<string, string>): Promise<Result<T[], CiProblem>> {
    const all: T[] = []
    let url: string | null = first
    while (url) {
      const page = await this.http.getJson(url, headers)
      if (page.kind !== 'ok') return err(this.problem(page))
      const items = parseBody(z.array(item), page.body, what, this.words)
      if (!items.ok) return items
      all.push(...items.value)
      url = this.next(url, page.headers)
    }
    return ok(all)
  }

  // GitLab 19.2 lists trigger jobs at /trigger_jobs and deprecates /bridges; older servers know only
  // /bridges. /bridges is asked while it answers (every version today); a 404 for a pipeline whose jobs
  // were just listed means the route is gone, and /trigger_jobs is used from then on.
  private async triggerJobs(id: number, headers: Record<string, string>): Promise<Result<GitlabBridge[], CiProblem>> {
    const url = (route: string) => `${this.api}/projects/${this.project}/pipelines/${id}/${route}?per_page=${this.perPage}`
    const listed = await this.list(url(this.triggerRoute), GitlabBridge, 'trigger jobs', headers)
    if (listed.ok || listed.error.kind !== 'repo-not-found') return listed
    if (this.triggerRoute === 'bridges') {
      this.triggerRoute = 'trigger_jobs'
      return this.triggerJobs(id, headers)
    }
    // Neither route answers: no trigger jobs to show, and the pipeline's own status stays the floor.
    return ok([])
  }

  private rememberNoBridges(id: number): void {
    this.noBridges.add(id)
    if (this.noBridges.size > NO_BRIDGES_KEPT) this.noBridges.delete(this.noBridges.values().next().value!)
  }

  private async headers(): Promise<Record<string, string> | null> {
    const credential = await this.token.get()
    return credential ? { ...gitlabAuthHeaders(credential), Accept: 'application/json', 'User-Agent': 'Skein' } : null
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
