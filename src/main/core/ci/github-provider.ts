import { z } from 'zod'
import type { CiCheck, CiProblem } from '../../../shared/ci'
import { err, ok, type Result } from '../../../shared/result'
import { durationOf, githubCheckRunState, githubCommitStatusState, parseTime, readsBetterThan } from './check-states'
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

const CheckRun = z.object({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullish(),
  started_at: z.string().nullish(),
  completed_at: z.string().nullish(),
  html_url: z.string().nullish(),
  details_url: z.string().nullish(),
  app: z.object({ slug: z.string().nullish() }).nullish(),
  output: z.object({ title: z.string().nullish() }).nullish()
})
type CheckRun = z.infer<typeof CheckRun>

const CheckRunsPage = z.object({ total_count: z.number(), check_runs: z.array(CheckRun) })

const CommitStatus = z.object({
  id: z.number(),
  context: z.string(),
  state: z.string(),
  description: z.string().nullish(),
  target_url: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish()
})
type CommitStatus = z.infer<typeof CommitStatus>

const CombinedStatus = z.object({ state: z.string(), sha: z.string(), total_count: z.number(), statuses: z.array(CommitStatus) })

/** Where and how to read one GitHub repository's checks. */
export interface GithubProviderOptions {
  /** REST root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise. */
  baseUrl?: string
  owner: string
  repo: string
  token: TokenSource
  http?: CiHttp
  /** Page size for check runs (GitHub's maximum is 100). */
  perPage?: number
}

/** A GitHub check run as a CiCheck. Actions jobs (the github-actions app) have logs once completed. */
export function checkFromRun(r: CheckRun): CiCheck {
  const mapped = githubCheckRunState(r.status, r.conclusion ?? null)
  const startedAt = parseTime(r.started_at)
  const completedAt = parseTime(r.completed_at)
  const detail = mapped.detail ?? r.output?.title ?? undefined
  return {
    id: `gh-run:${r.id}`,
    name: r.name,
    provider: 'github',
    state: mapped.state,
    startedAt,
    completedAt,
    durationMs: durationOf(startedAt, completedAt),
    url: r.html_url ?? r.details_url ?? null,
    hasLog: r.app?.slug === 'github-actions' && r.status === 'completed' && r.conclusion !== 'skipped',
    ...(detail ? { detail } : {})
  }
}

/** A GitHub commit status (one context of the combined status) as a CiCheck. */
export function checkFromStatus(s: CommitStatus): CiCheck {
  const mapped = githubCommitStatusState(s.state)
  const startedAt = parseTime(s.created_at)
  const completedAt = s.state === 'pending' ? null : parseTime(s.updated_at)
  const detail = mapped.detail ?? s.description ?? undefined
  return {
    id: `gh-status:${s.context}`,
    name: s.context,
    provider: 'github',
    state: mapped.state,
    startedAt,
    completedAt,
    durationMs: durationOf(startedAt, completedAt),
    url: s.target_url ?? null,
    hasLog: false,
    ...(detail ? { detail } : {})
  }
}

/** Reads check runs, commit statuses and Actions job logs over GitHub's REST API. */
export class GithubProvider implements CiProvider {
  readonly kind = 'github' as const
  private readonly base: string
  private readonly repoPath: string
  private readonly token: CachedToken
  private readonly http: CiHttp
  private readonly perPage: number
  private readonly words: ProblemWords

  constructor(options: GithubProviderOptions) {
    this.base = (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '')
    this.repoPath = `${encodeURIComponent(options.owner)}/${encodeURIComponent(options.repo)}`
    this.token = new CachedToken(options.token)
    this.http = options.http ?? new CiHttp()
    this.perPage = options.perPage ?? 100
    const enterprise = this.base !== 'https://api.github.com'
    this.words = {
      service: 'GitHub',
      host: new URL(this.base).host,
      tokenHint: enterprise
        ? 'Set GH_ENTERPRISE_TOKEN or GITHUB_TOKEN, or run `gh auth login --hostname ' + new URL(this.base).hostname + '`'
        : 'Set GITHUB_TOKEN or run `gh auth login`',
      forbiddenHint: `The token cannot read checks of ${options.owner}/${options.repo}. A fine-grained token needs read access to "Checks", "Commit statuses" and "Actions"; a classic one needs the repo scope.`
    }
  }

  /** Check runs and commit statuses of `sha`, every page of each. */
  async checks(ref: { sha: string; branch: string }): Promise<Result<RemoteChecks, CiProblem>> {
    const headers = await this.headers()
    if (!headers) return err(noToken(this.words))
    const checks: CiCheck[] = []
    const commit = `${this.base}/repos/${this.repoPath}/commits/${encodeURIComponent(ref.sha)}`
    let url: string | null = `${commit}/check-runs?per_page=${this.perPage}`
    while (url) {
      const res = await this.http.getJson(url, headers)
      if (res.kind !== 'ok') return err(await this.problem(res, ref.sha, headers))
      const page = parseBody(CheckRunsPage, res.body, 'check runs', this.words)
      if (!page.ok) return page
      checks.push(...page.value.check_runs.map(checkFromRun))
      url = nextLink(res.headers.get('link'))
    }
    const statuses = await this.statuses(commit, ref.sha, headers)
    if (!statuses.ok) return statuses
    return ok({ commit: ref.sha, checks: [...checks, ...statuses.value] })
  }

  /**
   * The combined status's contexts, page by page (`total_count` says how many there are; GitHub
   * sends at most 100 a page). Should they still read better than the combined state GitHub gives,
   * the combined state is added as a check of its own.
   */
  private async statuses(commit: string, sha: string, headers: Record<string, string>): Promise<Result<CiCheck[], CiProblem>> {
    const statuses: CommitStatus[] = []
    let combined: z.infer<typeof CombinedStatus> | null = null
    for (let page = 1; ; page++) {
      const res = await this.http.getJson(`${commit}/status?per_page=${this.perPage}${page > 1 ? `&page=${page}` : ''}`, headers)
      if (res.kind !== 'ok') return err(await this.problem(res, sha, headers))
      const body = parseBody(CombinedStatus, res.body, 'combined status', this.words)
      if (!body.ok) return body
      combined ??= body.value
      statuses.push(...body.value.statuses)
      if (body.value.statuses.length === 0 || statuses.length >= body.value.total_count) break
    }
    const checks = statuses.map(checkFromStatus)
    // With no statuses at all GitHub says "pending", which means nothing.
    const verdict = githubCommitStatusState(combined.state)
    if (combined.total_count > 0 && readsBetterThan(checks, verdict.state)) {
      checks.push({
        id: 'gh-status:(combined)',
        name: 'combined status',
        provider: 'github',
        state: verdict.state,
        startedAt: null,
        completedAt: null,
        durationMs: null,
        url: null,
        hasLog: false,
        detail: `GitHub reports the commit's combined status ${combined.state}`
      })
    }
    return ok(checks)
  }

  /** The log of an Actions job; GitHub answers with a redirect to the log file, which is followed. */
  async log(checkId: string): Promise<Result<AsyncIterable<Uint8Array>, CiProblem>> {
    const m = /^gh-run:(\d+)$/.exec(checkId)
    if (!m)
      return err({
        kind: 'repo-not-found',
        message: 'Only GitHub Actions jobs have logs Skein can fetch; open this check on GitHub instead.'
      })
    const headers = await this.headers()
    if (!headers) return err(noToken(this.words))
    const res = await this.http.stream(`${this.base}/repos/${this.repoPath}/actions/jobs/${m[1]}/logs`, headers)
    if (res.kind === 'http-error' && res.status === 401) this.token.forget()
    return logOutcome(
      res,
      this.words,
      'GitHub has no log for this job: it was not run by GitHub Actions, or its logs expired. Open the check on GitHub instead.'
    )
  }

  private async headers(): Promise<Record<string, string> | null> {
    const token = await this.token.get()
    if (!token) return null
    return {
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      Authorization: `Bearer ${token}`,
      'User-Agent': 'Skein'
    }
  }

  // 422 means the commit is not on GitHub; a 404 means the same unless the repository itself is missing.
  private async problem(res: HttpFailure, sha: string, headers: Record<string, string>): Promise<CiProblem> {
    if (res.kind === 'http-error' && res.status === 401) this.token.forget()
    const notPushed: CiProblem = {
      kind: 'not-pushed',
      message: `GitHub does not have commit ${short(sha)} yet. Push the branch to see its checks.`
    }
    if (res.kind === 'http-error' && res.status === 422) return notPushed
    if (res.kind === 'http-error' && res.status === 404) {
      const repo = await this.http.getJson(`${this.base}/repos/${this.repoPath}`, headers)
      if (repo.kind === 'ok') return notPushed
      if (repo.kind === 'http-error' && repo.status === 404) {
        return {
          kind: 'repo-not-found',
          message: `GitHub has no repository ${decodeURIComponent(this.repoPath)} that this token can see. Check the remote URL, and that the token has access to the repository.`
        }
      }
      return problemFor(repo, this.words)
    }
    return problemFor(res, this.words)
  }
}
