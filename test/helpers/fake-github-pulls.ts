import { execFileSync } from 'node:child_process'
import type { IncomingMessage } from 'node:http'
import { labelBody, pullRequestBody, pullReviewBody, type PullShape } from './fake-github-bodies'
import { readBody } from './read-body'
import type { FakeGithub } from './fake-github'

/** What fake-github hands a route under a repository: the request, where it is, and its answering helpers (json: ETag'd 200). */
export interface FakeGithubRouteContext {
  req: IncomingMessage
  url: URL
  fullName: string
  /** The path after /repos/OWNER/REPO. */
  rest: string
  json: (body: unknown, extra?: Record<string, string>) => void
  send: (status: number, body: string, headers?: Record<string, string>) => void
  notFound: () => void
}

/** A route added to the fake GitHub; true when it answered. */
export type FakeGithubRoute = (ctx: FakeGithubRouteContext) => boolean

/** A review on a fake pull request. */
export interface FakeReview {
  id: number
  user: string
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING'
}

/** A pull request as the fake keeps it. */
export interface FakePull extends Omit<PullShape, 'mergeable' | 'mergeableState' | 'autoMerge'> {
  /** What GitHub works out in the background; the first read after a change says null ("not computed yet"). */
  mergeableState: 'clean' | 'dirty' | 'blocked' | 'behind' | 'unstable' | 'draft' | 'has_hooks'
  computed: boolean
  reviews: FakeReview[]
  /** GitHub's auto-merge, on for one head (fake-github-auto-merge.ts turns it on and carries it out). */
  autoMerge?: { method: 'merge' | 'squash' | 'rebase'; enabledBy: string; expectedHead: string } | null
}

/** One request body the fake received. */
export interface FakeWrite {
  method: string
  path: string
  body: Record<string, unknown>
}

/**
 * Pull requests on the fake GitHub, as GitHub's REST API serves them: list by head, create (checked
 * against a real bare repository standing for GitHub's copy: the head must be pushed and have commits
 * the base has not; one open pull request per head), read (mergeability computed lazily, null on the
 * first read after a change), reviews, requested reviewers (collaborators only), labels and merge
 * (refused unless mergeable, and unless the head is still the given sha). Failures can be injected.
 */
export class FakeGithubPulls {
  readonly pulls = new Map<string, FakePull[]>()
  readonly writes: FakeWrite[] = []
  /** Who may be asked for a review. */
  readonly collaborators = new Set<string>(['octocat', 'hubot', 'monalisa'])
  /** The next answers to requests matching `path` (method and path+query) are these statuses instead. */
  failNext: { status: number; times: number; match: RegExp; message?: string; headers?: Record<string, string> }[] = []
  /** This many creates are carried out but answered 502, as when a proxy drops GitHub's answer. */
  lostCreates = 0
  /** The state GitHub computes for a pull request (fake-github-auto-merge.ts adds branch protection to it). */
  stateOf: (fullName: string, p: FakePull) => FakePull['mergeableState'] = (_, p) => p.mergeableState
  /** Called whenever something may have changed what GitHub would do on its own (a request, a review). */
  readonly changed: ((fullName: string) => void)[] = []
  private readonly remotes = new Map<string, string>()
  private nextNumber = 1

  private constructor(private readonly gh: FakeGithub) {}

  /** Adds pull request routes to a fake GitHub. */
  static attach(gh: FakeGithub): FakeGithubPulls {
    const f = new FakeGithubPulls(gh)
    gh.routes.push((ctx) => f.route(ctx))
    return f
  }

  /** The bare repository that stands for GitHub's copy of `fullName` (branches are read from it). */
  setRemote(fullName: string, bareDir: string): void {
    this.gh.addRepo(fullName)
    this.remotes.set(fullName, bareDir)
  }

  /** A pull request made on the website (not by Skein). */
  addPull(fullName: string, p: Partial<FakePull> & { head: FakePull['head']; title: string }): FakePull {
    const now = Date.now()
    const pull: FakePull = {
      number: this.nextNumber++,
      body: '',
      state: 'open',
      draft: false,
      merged: false,
      base: { ref: 'main', sha: '0'.repeat(40) },
      labels: [],
      requestedReviewers: [],
      requestedTeams: [],
      mergeableState: 'clean',
      computed: false,
      reviews: [],
      autoMerge: null,
      createdAt: now,
      updatedAt: now,
      ...p
    }
    this.pulls.set(fullName, [...(this.pulls.get(fullName) ?? []), pull])
    return pull
  }

  /** A pull request by number. */
  pull(fullName: string, number: number): FakePull | undefined {
    return this.pulls.get(fullName)?.find((p) => p.number === number)
  }

  /** Someone reviews it (the pull request's updated_at moves, as on GitHub). */
  review(fullName: string, number: number, user: string, state: FakeReview['state']): void {
    const p = this.pull(fullName, number)!
    p.reviews.push({ id: p.reviews.length + 1, user, state })
    p.requestedReviewers = p.requestedReviewers.filter((r) => r !== user)
    p.updatedAt = Date.now()
    for (const f of this.changed) f(fullName)
  }

  /** GitHub's verdict on merging it changes (recomputed lazily, as GitHub does). */
  setMergeable(fullName: string, number: number, state: FakePull['mergeableState']): void {
    const p = this.pull(fullName, number)!
    p.mergeableState = state
    p.computed = false
    p.updatedAt = Date.now()
    for (const f of this.changed) f(fullName)
  }

  /** Merged on the website. */
  mergeOnSite(fullName: string, number: number): void {
    const p = this.pull(fullName, number)!
    p.merged = true
    p.state = 'closed'
    p.updatedAt = Date.now()
  }

  private git(fullName: string, ...args: string[]): string | null {
    const dir = this.remotes.get(fullName)
    if (!dir) return null
    try {
      return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return null
    }
  }

  /** A push to the head branch moves the pull request's head, and GitHub works out mergeability again. */
  sync(fullName: string, p: FakePull): void {
    const sha = p.state === 'open' ? this.git(fullName, 'rev-parse', '--verify', '--quiet', `refs/heads/${p.head.ref}`) : null
    if (!sha || sha === p.head.sha) return
    p.head.sha = sha
    p.computed = false
    p.updatedAt = Date.now()
  }

  private limits(): Record<string, string> {
    const r = this.gh.rate
    return {
      'x-ratelimit-limit': String(r.limit),
      'x-ratelimit-remaining': String(r.remaining),
      'x-ratelimit-reset': String(r.reset),
      'x-ratelimit-used': String(r.limit - r.remaining),
      'x-ratelimit-resource': 'core'
    }
  }

  private route(ctx: FakeGithubRouteContext): boolean {
    const { req, rest, fullName } = ctx
    const method = req.method ?? 'GET'
    const isPulls = /^\/pulls(\/|$)/.test(rest) || /^\/issues\/\d+\/labels$/.test(rest)
    if (!isPulls) return false
    for (const f of this.changed) f(fullName)
    const where = `${method} ${ctx.url.pathname}${ctx.url.search}`
    const fail = this.failNext.find((f) => f.times > 0 && f.match.test(where))
    if (fail) {
      fail.times--
      if (method !== 'GET') void readBody(req).then((body) => this.writes.push({ method, path: ctx.url.pathname, body }))
      ctx.send(fail.status, JSON.stringify({ message: fail.message ?? (fail.status >= 500 ? 'Server Error' : 'Failed') }), {
        ...this.limits(),
        ...fail.headers
      })
      return true
    }
    const answer = (status: number, body: unknown) => {
      this.gh.rate.remaining--
      ctx.send(status, JSON.stringify(body), this.limits())
    }
    const invalid = (message: string, errors: object[] = []) =>
      answer(422, { message, errors, documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request', status: '422' })
    const list = this.pulls.get(fullName) ?? []
    const owner = fullName.split('/')[0]!

    if (rest === '/pulls' && method === 'GET') {
      const head = ctx.url.searchParams.get('head')
      const state = ctx.url.searchParams.get('state') ?? 'open'
      const found = list
        .filter((p) => (!head || `${owner}:${p.head.ref}` === head) && (state === 'all' || p.state === state))
        .sort((a, b) => b.number - a.number)
      ctx.json(found.map((p) => this.json(fullName, p, false)))
      return true
    }
    if (rest === '/pulls' && method === 'POST') {
      void readBody(req).then((body) => {
        this.writes.push({ method, path: ctx.url.pathname, body })
        const head = String(body.head ?? '')
        const base = String(body.base ?? '')
        if (!body.title) return invalid('Validation Failed', [{ resource: 'PullRequest', field: 'title', code: 'missing_field' }])
        const headSha = this.git(fullName, 'rev-parse', '--verify', '--quiet', `refs/heads/${head}`)
        const baseSha = this.git(fullName, 'rev-parse', '--verify', '--quiet', `refs/heads/${base}`)
        if (!headSha) return invalid('Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
        if (!baseSha) return invalid('Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid' }])
        if (list.some((p) => p.state === 'open' && p.head.ref === head))
          return invalid('Validation Failed', [
            { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${head}.` }
          ])
        if (this.git(fullName, 'rev-list', '--count', `${baseSha}..${headSha}`) === '0')
          return invalid('Validation Failed', [
            { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }
          ])
        const p = this.addPull(fullName, {
          title: String(body.title),
          body: String(body.body ?? ''),
          draft: body.draft === true,
          head: { ref: head, sha: headSha },
          base: { ref: base, sha: baseSha },
          mergeableState: body.draft === true ? 'draft' : 'clean'
        })
        if (this.lostCreates > 0) {
          this.lostCreates--
          return answer(502, { message: 'Server Error' })
        }
        answer(201, this.json(fullName, p, true))
      })
      return true
    }
    const one = /^\/pulls\/(\d+)(\/reviews|\/requested_reviewers|\/merge)?$/.exec(rest)
    const labels = /^\/issues\/(\d+)\/labels$/.exec(rest)
    const p = list.find((x) => x.number === Number((one ?? labels)?.[1]))
    if (!p) {
      ctx.notFound()
      return true
    }
    if (labels && method === 'POST') {
      void readBody(req).then((body) => {
        this.writes.push({ method, path: ctx.url.pathname, body })
        for (const l of (body.labels as string[]) ?? []) if (!p.labels.includes(l)) p.labels.push(l)
        p.updatedAt = Date.now()
        answer(
          200,
          p.labels.map((name, i) => this.label(fullName, name, i))
        )
      })
      return true
    }
    if (one && !one[2] && method === 'GET') {
      this.sync(fullName, p)
      const body = this.json(fullName, p, true)
      // GitHub starts computing mergeability on the first read and says null until it is done.
      p.computed = true
      ctx.json(body)
      return true
    }
    if (one?.[2] === '/reviews' && method === 'GET') {
      ctx.json(
        p.reviews.map((r) =>
          pullReviewBody(this.gh.baseUrl, fullName, p.number, {
            id: r.id,
            user: r.user,
            state: r.state,
            at: p.updatedAt,
            commit: p.head.sha
          })
        )
      )
      return true
    }
    if (one?.[2] === '/requested_reviewers' && method === 'POST') {
      void readBody(req).then((body) => {
        this.writes.push({ method, path: ctx.url.pathname, body })
        const users = (body.reviewers as string[]) ?? []
        // GitHub's description gives this 422 no body.
        if (users.some((u) => !this.collaborators.has(u))) {
          this.gh.rate.remaining--
          ctx.send(422, '', this.limits())
          return
        }
        p.requestedReviewers = [...new Set([...p.requestedReviewers, ...users])]
        p.requestedTeams = [...new Set([...p.requestedTeams, ...((body.team_reviewers as string[]) ?? [])])]
        p.updatedAt = Date.now()
        answer(201, this.json(fullName, p, false))
      })
      return true
    }
    if (one?.[2] === '/merge' && method === 'PUT') {
      void readBody(req).then((body) => {
        this.writes.push({ method, path: ctx.url.pathname, body })
        if (p.merged || p.state !== 'open' || p.draft || !['clean', 'unstable', 'has_hooks'].includes(this.stateOf(fullName, p)))
          return answer(405, {
            message: 'Pull Request is not mergeable',
            documentation_url: 'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request'
          })
        if (body.sha && body.sha !== p.head.sha)
          return answer(409, {
            message: 'Head branch was modified. Review and try the merge again.',
            documentation_url: 'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request'
          })
        p.merged = true
        p.state = 'closed'
        p.updatedAt = Date.now()
        answer(200, { sha: 'f'.repeat(40), merged: true, message: 'Pull Request successfully merged' })
      })
      return true
    }
    return false
  }

  private label(fullName: string, name: string, i: number) {
    return labelBody(this.gh.baseUrl, fullName, name, i + 1)
  }

  // `pull-request` in full; the list endpoint gives `pull-request-simple`, without the mergeability fields.
  private json(fullName: string, p: FakePull, full: boolean) {
    return pullRequestBody(
      this.gh.baseUrl,
      fullName,
      {
        ...p,
        mergeable: p.computed ? p.mergeableState !== 'dirty' : null,
        mergeableState: p.computed ? this.stateOf(fullName, p) : 'unknown'
      },
      full
    )
  }
}
