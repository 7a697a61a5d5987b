import type { IncomingMessage } from 'node:http'
import type { FakeGithub } from './fake-github'
import type { FakeGithubRouteContext } from './fake-github-pulls'

/** A review comment as the fake keeps it (the fields of GitHub's pull-request-review-comment). */
export interface FakeReviewComment {
  id: number
  pull: number
  path: string
  body: string
  user: string
  /** Null once GitHub no longer places it in the pull request's diff (outdated). */
  line: number | null
  startLine: number | null
  originalLine: number
  side: 'LEFT' | 'RIGHT'
  commitId: string
  originalCommitId: string
  inReplyTo: number | null
  createdAt: number
}

/** One GraphQL request the fake answered. */
export interface FakeGraphqlCall {
  query: string
  variables: Record<string, unknown>
  ok: boolean
}

/** What an added GraphQL operation answers: data (and errors, as GitHub sends them), or that the request broke the schema. */
export type FakeGraphqlAnswer = { data: unknown; errors?: { type: string; message: string; path?: string[] }[] } | { invalid: string }
/** A GraphQL operation added to the fake (auto-merge: fake-github-auto-merge.ts); null when the query is not its own. */
export type FakeGraphqlOperation = (query: string, variables: Record<string, unknown>) => FakeGraphqlAnswer | null

const iso = (ms: number) => new Date(ms).toISOString()

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString()))
    req.on('end', () => resolve(text))
  })
}

/**
 * Review threads on the fake GitHub: review comments of a pull request over REST (list, paginated,
 * ETag'd; replies), and GraphQL's `reviewThreads` with `resolveReviewThread`/`unresolveReviewThread`.
 * GraphQL is not in GitHub's OpenAPI description, so the fake checks its requests itself: a POST of
 * JSON {query, variables} to /graphql, one of the operations Skein sends, with variables of the right
 * types; anything else is answered with GraphQL errors (and counted in `graphqlRejected`).
 */
export class FakeGithubThreads {
  readonly comments = new Map<string, FakeReviewComment[]>()
  /** Resolved state per thread (by its first comment's id). */
  readonly resolved = new Set<number>()
  readonly graphql: FakeGraphqlCall[] = []
  readonly replies: { pull: number; commentId: number; body: string }[] = []
  /** More operations, tried (whitespace-normalised query) after the review-thread ones. */
  readonly operations: FakeGraphqlOperation[] = []
  private nextId = 1000

  private constructor(private readonly gh: FakeGithub) {}

  /** Adds review thread routes to a fake GitHub (before the pull request routes, which answer everything under /pulls). */
  static attach(gh: FakeGithub): FakeGithubThreads {
    const f = new FakeGithubThreads(gh)
    gh.routes.unshift((ctx) => f.route(ctx))
    gh.rootRoutes.push((ctx) => f.graphqlRoute(ctx))
    return f
  }

  /** GraphQL calls that were not as GitHub's schema allows. */
  get graphqlRejected(): number {
    return this.graphql.filter((c) => !c.ok).length
  }

  /** A reviewer comments on lines of a file at a commit (a new thread, or a reply with `inReplyTo`). */
  comment(
    fullName: string,
    c: Pick<FakeReviewComment, 'pull' | 'path' | 'body' | 'user' | 'commitId'> &
      Partial<Pick<FakeReviewComment, 'line' | 'startLine' | 'side' | 'inReplyTo'>>
  ): FakeReviewComment {
    const root = c.inReplyTo ? this.list(fullName).find((x) => x.id === c.inReplyTo) : undefined
    const made: FakeReviewComment = {
      id: this.nextId++,
      pull: c.pull,
      path: root?.path ?? c.path,
      body: c.body,
      user: c.user,
      line: root ? root.line : (c.line ?? null),
      startLine: root ? root.startLine : (c.startLine ?? null),
      originalLine: root?.originalLine ?? c.line ?? 1,
      side: root?.side ?? c.side ?? 'RIGHT',
      commitId: root?.commitId ?? c.commitId,
      originalCommitId: root?.originalCommitId ?? c.commitId,
      inReplyTo: c.inReplyTo ?? null,
      createdAt: Date.now()
    }
    this.comments.set(fullName, [...this.list(fullName), made])
    return made
  }

  /** GitHub marks the thread outdated (a push changed its lines): no line, no position. */
  outdate(fullName: string, rootId: number): void {
    for (const c of this.list(fullName)) if (c.id === rootId || c.inReplyTo === rootId) c.line = c.startLine = null
  }

  /** The comments of a repository. */
  list(fullName: string): FakeReviewComment[] {
    return this.comments.get(fullName) ?? []
  }

  private route(ctx: FakeGithubRouteContext): boolean {
    const { req, rest, fullName } = ctx
    const method = req.method ?? 'GET'
    const listing = /^\/pulls\/(\d+)\/comments$/.exec(rest)
    const reply = /^\/pulls\/(\d+)\/comments\/(\d+)\/replies$/.exec(rest)
    if (listing && method === 'GET') {
      const perPage = Math.min(100, Number(ctx.url.searchParams.get('per_page') ?? 30))
      const page = Math.max(1, Number(ctx.url.searchParams.get('page') ?? 1))
      const all = this.list(fullName).filter((c) => c.pull === Number(listing[1]))
      const last = Math.max(1, Math.ceil(all.length / perPage))
      const next = new URL(ctx.url)
      next.searchParams.set('page', String(page + 1))
      ctx.json(
        all.slice((page - 1) * perPage, page * perPage).map((c) => this.json(fullName, c)),
        page < last ? { link: `<${next.toString()}>; rel="next"` } : {}
      )
      return true
    }
    if (reply && method === 'POST') {
      void readText(req).then((text) => {
        let body: { body?: unknown } = {}
        try {
          body = JSON.parse(text) as { body?: unknown }
        } catch {
          // answered below as a missing body
        }
        const root = this.list(fullName).find((c) => c.id === Number(reply[2]) && c.pull === Number(reply[1]))
        if (!root) return ctx.send(404, JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }))
        if (typeof body.body !== 'string' || !body.body)
          return ctx.send(422, JSON.stringify({ message: 'Validation Failed', errors: [{ field: 'body', code: 'missing_field' }] }))
        this.replies.push({ pull: root.pull, commentId: root.id, body: body.body })
        const made = this.comment(fullName, { ...root, body: body.body, user: 'skein-user', inReplyTo: root.inReplyTo ?? root.id })
        this.gh.rate.remaining--
        ctx.send(201, JSON.stringify(this.json(fullName, made)))
      })
      return true
    }
    return false
  }

  private graphqlRoute(ctx: { req: IncomingMessage; url: URL; send: (status: number, body: string) => void }): boolean {
    if (ctx.url.pathname !== '/graphql') return false
    void readText(ctx.req).then((text) => {
      const fail = (message: string, call?: FakeGraphqlCall) => {
        if (call) call.ok = false
        else this.graphql.push({ query: text, variables: {}, ok: false })
        ctx.send(200, JSON.stringify({ errors: [{ type: 'INVALID', message }] }))
      }
      if (ctx.req.method !== 'POST') return fail('GraphQL takes POST')
      let parsed: { query?: unknown; variables?: unknown }
      try {
        parsed = JSON.parse(text) as typeof parsed
      } catch {
        return fail('Problems parsing JSON')
      }
      if (typeof parsed.query !== 'string') return fail('A query attribute must be specified and must be a string.')
      const variables = (parsed.variables ?? {}) as Record<string, unknown>
      const call: FakeGraphqlCall = { query: parsed.query, variables, ok: true }
      this.graphql.push(call)
      const q = parsed.query.replace(/\s+/g, ' ')
      this.gh.rate.remaining--
      if (
        /^query\(\$owner: String!, \$name: String!, \$number: Int!, \$after: String\)/.test(q) &&
        q.includes('reviewThreads(first: 100, after: $after)')
      ) {
        const { owner, name, number, after } = variables
        if (
          typeof owner !== 'string' ||
          typeof name !== 'string' ||
          !Number.isInteger(number) ||
          (after != null && typeof after !== 'string')
        )
          return fail('Variable types do not match the query', call)
        const roots = this.list(`${owner}/${name}`).filter((c) => c.pull === number && c.inReplyTo === null)
        ctx.send(
          200,
          JSON.stringify({
            data: {
              repository: {
                pullRequest: {
                  reviewThreads: {
                    pageInfo: { hasNextPage: false, endCursor: null },
                    nodes: roots.map((r) => ({
                      id: `PRRT_${r.id}`,
                      isResolved: this.resolved.has(r.id),
                      comments: { nodes: [{ databaseId: r.id }] }
                    }))
                  }
                }
              }
            }
          })
        )
        return
      }
      const mutation =
        /^mutation\(\$id: ID!\) \{ (resolveReviewThread|unresolveReviewThread)\(input: \{ threadId: \$id \}\) \{ thread \{ id isResolved \} \} \}$/.exec(
          q.trim()
        )
      if (mutation) {
        const id = variables.id
        const root = typeof id === 'string' && /^PRRT_\d+$/.test(id) ? Number(id.slice(5)) : NaN
        if (!Number.isInteger(root) || ![...this.comments.values()].flat().some((c) => c.id === root && c.inReplyTo === null))
          return fail(`Could not resolve to a node with the global id of '${String(id)}'`, call)
        if (mutation[1] === 'resolveReviewThread') this.resolved.add(root)
        else this.resolved.delete(root)
        ctx.send(200, JSON.stringify({ data: { [mutation[1]!]: { thread: { id, isResolved: this.resolved.has(root) } } } }))
        return
      }
      for (const op of this.operations) {
        const answer = op(q.trim(), variables)
        if (!answer) continue
        if ('invalid' in answer) return fail(answer.invalid, call)
        ctx.send(200, JSON.stringify(answer))
        return
      }
      fail('Skein sent a GraphQL operation the fake does not know', call)
    })
    return true
  }

  private user(login: string) {
    const u = `https://api.github.com/users/${login}`
    return {
      login,
      id: login.length,
      node_id: `U_${login}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${login.length}`,
      gravatar_id: '',
      url: u,
      html_url: `https://github.com/${login}`,
      followers_url: `${u}/followers`,
      following_url: `${u}/following{/other_user}`,
      gists_url: `${u}/gists{/gist_id}`,
      starred_url: `${u}/starred{/owner}{/repo}`,
      subscriptions_url: `${u}/subscriptions`,
      organizations_url: `${u}/orgs`,
      repos_url: `${u}/repos`,
      events_url: `${u}/events{/privacy}`,
      received_events_url: `${u}/received_events`,
      type: 'User',
      site_admin: false
    }
  }

  // Fields as in GitHub's pull-request-review-comment schema; `line` and `position` are left out once it is outdated.
  private json(fullName: string, c: FakeReviewComment) {
    const api = `${this.gh.baseUrl}/repos/${fullName}`
    const html = `https://github.com/${fullName}/pull/${c.pull}#discussion_r${c.id}`
    return {
      url: `${api}/pulls/comments/${c.id}`,
      pull_request_review_id: c.id * 10,
      id: c.id,
      node_id: `PRRC_${c.id}`,
      diff_hunk: '@@ -1,1 +1,1 @@',
      path: c.path,
      ...(c.line !== null ? { position: c.line, line: c.line } : {}),
      original_position: c.originalLine,
      original_line: c.originalLine,
      ...(c.startLine !== null ? { start_line: c.startLine, original_start_line: c.startLine, start_side: c.side } : {}),
      side: c.side,
      commit_id: c.commitId,
      original_commit_id: c.originalCommitId,
      ...(c.inReplyTo !== null ? { in_reply_to_id: c.inReplyTo } : {}),
      user: this.user(c.user),
      body: c.body,
      created_at: iso(c.createdAt),
      updated_at: iso(c.createdAt),
      html_url: html,
      pull_request_url: `${api}/pulls/${c.pull}`,
      author_association: 'COLLABORATOR',
      _links: { self: { href: `${api}/pulls/comments/${c.id}` }, html: { href: html }, pull_request: { href: `${api}/pulls/${c.pull}` } },
      subject_type: 'line'
    }
  }
}
