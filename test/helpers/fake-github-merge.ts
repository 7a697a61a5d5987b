import { execFileSync } from 'node:child_process'
import type { IncomingMessage } from 'node:http'
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

/** An open pull request as this fake keeps it; its head is read from the bare repository standing for GitHub's copy. */
export interface FakeMergePull {
  number: number
  branch: string
  /** The bare repository pushes go to: the pull request's head is its branch there, as on GitHub. */
  bare: string
  draft: boolean
  /** GitHub's mergeable_state: clean, blocked, behind, dirty, unstable, draft, has_hooks. */
  mergeableState: string
  reviews: { user: string; state: string }[]
  requestedReviewers: string[]
  merged: boolean
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString()))
    req.on('end', () => {
      try {
        resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {})
      } catch {
        resolve({})
      }
    })
  })
}

/**
 * Pull requests on the fake GitHub, only as far as merging needs: list by head, read (mergeability,
 * requested reviewers), reviews, and merge, which GitHub refuses unless the pull request is mergeable
 * (405) and its head is still the given sha (409). Every merge request it received is kept.
 */
export class FakeGithubMerge {
  readonly pulls: FakeMergePull[] = []
  /** Every PUT …/merge: the pull request and the sha it asked for, and the status answered. */
  readonly merges: { number: number; sha: unknown; status: number }[] = []

  private constructor(private readonly fullName: string) {}

  /** Adds the routes for one repository to a fake GitHub. */
  static install(fake: FakeGithub, fullName: string): FakeGithubMerge {
    const m = new FakeGithubMerge(fullName)
    fake.routes.push((ctx) => m.route(ctx))
    return m
  }

  /** Opens a pull request for a branch, clean and unreviewed unless told otherwise. */
  open(branch: string, bare: string, o: Partial<Omit<FakeMergePull, 'branch' | 'bare' | 'number'>> = {}): FakeMergePull {
    const pull: FakeMergePull = {
      number: this.pulls.length + 1,
      branch,
      bare,
      draft: false,
      mergeableState: 'clean',
      reviews: [],
      requestedReviewers: [],
      merged: false,
      ...o
    }
    this.pulls.push(pull)
    return pull
  }

  private head(p: FakeMergePull): string {
    return execFileSync('git', ['--git-dir', p.bare, 'rev-parse', `refs/heads/${p.branch}`], { encoding: 'utf8' }).trim()
  }

  private shape(p: FakeMergePull, full: boolean) {
    const owner = this.fullName.split('/')[0]
    return {
      number: p.number,
      state: p.merged ? 'closed' : 'open',
      draft: p.draft,
      merged: p.merged,
      head: { ref: p.branch, sha: this.head(p), label: `${owner}:${p.branch}` },
      base: { ref: 'main' },
      requested_reviewers: p.requestedReviewers.map((login) => ({ login })),
      ...(full ? { mergeable: p.mergeableState !== 'dirty', mergeable_state: p.mergeableState } : {})
    }
  }

  private route({ req, url, fullName, rest, json, send, notFound }: FakeGithubRouteContext): boolean {
    if (fullName !== this.fullName) return false
    const method = req.method ?? 'GET'
    if (rest === '/pulls' && method === 'GET') {
      const head = url.searchParams.get('head')
      json(this.pulls.filter((p) => !p.merged && `${fullName.split('/')[0]}:${p.branch}` === head).map((p) => this.shape(p, false)))
      return true
    }
    const one = /^\/pulls\/(\d+)(\/reviews|\/merge)?$/.exec(rest)
    if (!one) return false
    const pull = this.pulls.find((p) => p.number === Number(one[1]))
    if (!pull) {
      notFound()
      return true
    }
    if (!one[2] && method === 'GET') json(this.shape(pull, true))
    else if (one[2] === '/reviews' && method === 'GET')
      json(pull.reviews.map((r, i) => ({ id: i + 1, user: { login: r.user }, state: r.state, submitted_at: new Date().toISOString() })))
    else if (one[2] === '/merge' && method === 'PUT') {
      void readBody(req).then((body) => {
        const answer = (status: number, value: unknown) => {
          this.merges.push({ number: pull.number, sha: body.sha, status })
          send(status, JSON.stringify(value))
        }
        if (pull.merged || pull.draft || !['clean', 'unstable', 'has_hooks'].includes(pull.mergeableState))
          return answer(405, { message: 'Pull Request is not mergeable' })
        if (body.sha !== undefined && body.sha !== this.head(pull))
          return answer(409, { message: 'Head branch was modified. Review and try the merge again.' })
        pull.merged = true
        answer(200, { sha: 'f'.repeat(40), merged: true, message: 'Pull Request successfully merged' })
      })
    } else return false
    return true
  }
}
