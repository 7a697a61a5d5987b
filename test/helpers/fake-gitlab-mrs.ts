import { execFileSync } from 'node:child_process'
import type { IncomingMessage } from 'node:http'
import { mergeRequestBody, mergeRequestDetail, userBody, type MrFields } from './fake-gitlab-bodies'
import type { FakeGitlab } from './fake-gitlab'

/** What fake-gitlab hands a route: the request, its URL and body, and its answering helpers (body: ETag'd 200). */
export interface FakeGitlabRouteContext {
  req: IncomingMessage
  url: URL
  /** The request body as received. */
  text: string
  /** The request body as JSON ({} when empty; `{ __invalid: text }` when not JSON). */
  json: Record<string, unknown>
  send: (status: number, body: string, headers?: Record<string, string>) => void
  body: (text: string, contentType: string, extra?: Record<string, string>) => void
  message: (status: number, text: string, headers?: Record<string, string>) => void
}

/** A route added to the fake GitLab; true when it answered. */
export type FakeGitlabRoute = (ctx: FakeGitlabRouteContext) => boolean

/** A merge request as the fake keeps it. */
export interface FakeMr {
  iid: number
  title: string
  description: string
  state: 'opened' | 'closed' | 'merged'
  sourceBranch: string
  targetBranch: string
  sha: string
  labels: string[]
  reviewerIds: number[]
  /** GitLab's verdict, worked out in the background: the first read after a change says `checking`. */
  detailedMergeStatus: string
  computed: boolean
  /** Set to merge once the pipeline passes (auto-merge). */
  autoMerge?: boolean
  approvalsRequired: number
  approvedBy: string[]
  updatedAt: number
  /** When it was opened (default: `updatedAt`). */
  createdAt?: number
}

/** One request body the fake received. */
export interface FakeGitlabWrite {
  method: string
  path: string
  body: Record<string, unknown>
}

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * Merge requests on the fake GitLab (API v4), answered with the documented attributes
 * (https://docs.gitlab.com/api/merge_requests/ and https://docs.gitlab.com/api/merge_request_approvals/;
 * fake-gitlab checks them and the requests against gitlab-mr-shapes.ts): list by source branch, create
 * (checked against a bare repository standing for GitLab's copy; one open merge request per source
 * branch, else 409), read (`detailed_merge_status` is `checking` on the first read after a change),
 * approval state, users by name, and merge (refused unless mergeable, 409 when the sha is not the
 * head). Failures can be injected.
 */
export class FakeGitlabMrs {
  readonly projects = new Map<string, { bare: string; mrs: FakeMr[] }>()
  readonly writes: FakeGitlabWrite[] = []
  readonly users = new Map<string, number>([
    ['alice', 11],
    ['bob', 12]
  ])
  /** The next answers to requests matching `match` (method and path+query) are these statuses instead. */
  failNext: { status: number; times: number; match: RegExp; headers?: Record<string, string> }[] = []

  private constructor(private readonly gl: FakeGitlab) {}

  /** Adds merge request routes to a fake GitLab. */
  static attach(gl: FakeGitlab): FakeGitlabMrs {
    const f = new FakeGitlabMrs(gl)
    gl.routes.push((ctx) => f.route(ctx))
    return f
  }

  /** The bare repository that stands for GitLab's copy of project `path`. */
  setRemote(path: string, bare: string): void {
    this.gl.addProject(path)
    this.projects.set(path, { bare, mrs: this.projects.get(path)?.mrs ?? [] })
  }

  /** A merge request by iid. */
  mr(path: string, iid: number): FakeMr | undefined {
    return this.projects.get(path)?.mrs.find((m) => m.iid === iid)
  }

  /** Someone approves it. */
  approve(path: string, iid: number, username: string): void {
    const m = this.mr(path, iid)!
    m.approvedBy.push(username)
    if (m.approvedBy.length >= m.approvalsRequired && m.detailedMergeStatus === 'not_approved') m.detailedMergeStatus = 'mergeable'
    m.computed = false
    m.updatedAt = Date.now()
  }

  /** GitLab's verdict changes. */
  setStatus(path: string, iid: number, detailed: string): void {
    const m = this.mr(path, iid)!
    m.detailedMergeStatus = detailed
    m.computed = false
    m.updatedAt = Date.now()
  }

  private git(bare: string, ...args: string[]): string | null {
    try {
      return execFileSync('git', args, { cwd: bare, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return null
    }
  }

  private route(ctx: FakeGitlabRouteContext): boolean {
    const { req, url } = ctx
    const method = req.method ?? 'GET'
    const json = (value: unknown) => ctx.body(JSON.stringify(value), 'application/json')
    const answer = (status: number, value: unknown) => {
      this.gl.rate.remaining--
      ctx.send(status, JSON.stringify(value))
    }
    if (url.pathname === '/api/v4/users' && method === 'GET') {
      const name = url.searchParams.get('username')
      json(name && this.users.has(name) ? [this.user(name)] : [])
      return true
    }
    const m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests(?:\/(\d+)(\/approvals|\/merge|\/cancel_merge_when_pipeline_succeeds)?)?$/.exec(
      url.pathname
    )
    const path = m ? decodeURIComponent(m[1]!) : ''
    const project = this.projects.get(path)
    if (!m || !project) return false
    const where = `${method} ${url.pathname}${url.search}`
    const fail = this.failNext.find((f) => f.times > 0 && f.match.test(where))
    if (fail) {
      fail.times--
      ctx.message(fail.status, fail.status >= 500 ? '500 Internal Server Error' : 'Failed', fail.headers)
      return true
    }
    if (!m[2] && method === 'GET') {
      const source = url.searchParams.get('source_branch')
      const state = url.searchParams.get('state')
      for (const mr of project.mrs) this.sync(project.bare, mr)
      json(
        project.mrs
          .filter((x) => (!source || x.sourceBranch === source) && (!state || state === 'all' || x.state === state))
          .sort((a, b) => b.iid - a.iid)
          .map((x) => mergeRequestBody(this.gl.baseUrl, this.fields(path, x)))
      )
      return true
    }
    if (!m[2] && method === 'POST') {
      this.writes.push({ method, path: url.pathname, body: ctx.json })
      this.create(path, project, ctx.json, answer)
      return true
    }
    const mr = project.mrs.find((x) => x.iid === Number(m[2]))
    if (!mr) {
      ctx.message(404, '404 Not found')
      return true
    }
    if (!m[3] && method === 'GET') {
      this.sync(project.bare, mr)
      const body = this.detail(path, project.bare, mr)
      mr.computed = true
      json(body)
      return true
    }
    if (m[3] === '/approvals' && method === 'GET') {
      // merge_request_approvals.md, "Retrieve approval state for a merge request".
      json({
        id: 1000 + mr.iid,
        iid: mr.iid,
        project_id: 1,
        title: mr.title,
        description: mr.description,
        state: mr.state,
        created_at: iso(mr.createdAt ?? mr.updatedAt),
        updated_at: iso(mr.updatedAt),
        merge_status: mr.detailedMergeStatus === 'conflict' ? 'cannot_be_merged' : 'can_be_merged',
        approvals_required: mr.approvalsRequired,
        approvals_left: Math.max(0, mr.approvalsRequired - mr.approvedBy.length),
        approved_by: mr.approvedBy.map((u) => ({ user: this.user(u), approved_at: iso(mr.updatedAt) }))
      })
      return true
    }
    if (m[3] === '/cancel_merge_when_pipeline_succeeds' && method === 'POST') {
      this.writes.push({ method, path: url.pathname, body: {} })
      if (mr.state !== 'opened') answer(405, { message: '405 Method Not Allowed' })
      else if (!mr.autoMerge) answer(406, { message: '406 Not Acceptable' })
      else {
        mr.autoMerge = false
        mr.updatedAt = Date.now()
        answer(201, this.detail(path, project.bare, mr))
      }
      return true
    }
    if (m[3] === '/merge' && method === 'PUT') {
      const body = ctx.json
      this.writes.push({ method, path: url.pathname, body })
      // Auto-merge (`auto_merge`, before 17.11 `merge_when_pipeline_succeeds`) is taken while only the pipeline is missing.
      const auto =
        (body.auto_merge === true || body.merge_when_pipeline_succeeds === true) &&
        ['ci_must_pass', 'ci_still_running'].includes(mr.detailedMergeStatus)
      if (mr.state !== 'opened' || (mr.detailedMergeStatus !== 'mergeable' && !auto)) {
        answer(405, { message: '405 Method Not Allowed' })
        return true
      }
      if (body.sha && body.sha !== mr.sha) {
        answer(409, { message: `SHA does not match HEAD of source branch: ${mr.sha}` })
        return true
      }
      if (auto) mr.autoMerge = true
      else mr.state = 'merged'
      mr.updatedAt = Date.now()
      answer(200, this.detail(path, project.bare, mr))
      return true
    }
    return false
  }

  private create(
    path: string,
    project: { bare: string; mrs: FakeMr[] },
    body: Record<string, unknown>,
    answer: (status: number, value: unknown) => void
  ): void {
    const source = String(body.source_branch ?? '')
    const target = String(body.target_branch ?? '')
    const sha = this.git(project.bare, 'rev-parse', '--verify', '--quiet', `refs/heads/${source}`)
    if (!body.title) return answer(400, { message: 'title is missing' })
    if (!sha || !this.git(project.bare, 'rev-parse', '--verify', '--quiet', `refs/heads/${target}`))
      return answer(400, { message: ['Source branch does not exist or target branch does not exist'] })
    const open = project.mrs.find((x) => x.state === 'opened' && x.sourceBranch === source)
    if (open) return answer(409, { message: [`Another open merge request already exists for this source branch: !${open.iid}`] })
    const labels = typeof body.labels === 'string' ? body.labels.split(',').filter(Boolean) : ((body.labels as string[]) ?? [])
    const now = Date.now()
    const mr: FakeMr = {
      iid: project.mrs.length + 1,
      title: String(body.title),
      description: String(body.description ?? ''),
      state: 'opened',
      sourceBranch: source,
      targetBranch: target,
      sha,
      labels,
      reviewerIds: (body.reviewer_ids as number[]) ?? [],
      detailedMergeStatus: /^draft:/i.test(String(body.title)) ? 'draft_status' : 'mergeable',
      computed: false,
      approvalsRequired: 0,
      approvedBy: [],
      updatedAt: now,
      createdAt: now
    }
    project.mrs.push(mr)
    answer(201, this.detail(path, project.bare, mr))
  }

  private sync(bare: string, mr: FakeMr): void {
    const sha = mr.state === 'opened' ? this.git(bare, 'rev-parse', '--verify', '--quiet', `refs/heads/${mr.sourceBranch}`) : null
    if (!sha || sha === mr.sha) return
    mr.sha = sha
    mr.computed = false
    mr.updatedAt = Date.now()
  }

  private user(username: string): Record<string, unknown> {
    return userBody(this.gl.baseUrl, username, this.users.get(username) ?? 100 + username.length)
  }

  private fields(path: string, mr: FakeMr): MrFields {
    return {
      path,
      iid: mr.iid,
      title: mr.title,
      description: mr.description,
      state: mr.state,
      sourceBranch: mr.sourceBranch,
      targetBranch: mr.targetBranch,
      sha: mr.sha,
      labels: mr.labels,
      reviewers: [...this.users].filter(([, id]) => mr.reviewerIds.includes(id)).map(([username, id]) => ({ id, username })),
      draft: mr.detailedMergeStatus === 'draft_status',
      detailedMergeStatus: mr.computed ? mr.detailedMergeStatus : 'checking',
      autoMerge: mr.autoMerge === true,
      createdAt: iso(mr.createdAt ?? mr.updatedAt),
      updatedAt: iso(mr.updatedAt)
    }
  }

  // A single merge request: its head pipeline (if the fake GitLab has one for the head) and the merge base as diff refs.
  private detail(path: string, bare: string, mr: FakeMr): Record<string, unknown> {
    const baseSha = this.git(bare, 'merge-base', `refs/heads/${mr.targetBranch}`, mr.sha) ?? mr.sha
    return mergeRequestDetail(this.gl.baseUrl, this.fields(path, mr), { head: this.gl.pipelineOf(path, mr.sha), baseSha })
  }
}
