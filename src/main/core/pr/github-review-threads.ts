import { z } from 'zod'
import type { Octokit } from '@octokit/rest'
import { err, ok, type Result } from '../../../shared/result'
import { NOT_MODIFIED_HEADER } from './pr-http'
import type { Fetched, ServiceFailure, ServiceThread } from './pr-provider'
import { graphqlFailure } from './github-graphql'

const ReviewComment = z.object({
  id: z.number(),
  path: z.string(),
  body: z.string(),
  user: z.object({ login: z.string() }).nullish(),
  created_at: z.string(),
  html_url: z.string(),
  commit_id: z.string(),
  original_commit_id: z.string(),
  in_reply_to_id: z.number().nullish(),
  position: z.number().nullish(),
  line: z.number().nullish(),
  original_line: z.number().nullish(),
  start_line: z.number().nullish(),
  original_start_line: z.number().nullish(),
  side: z.enum(['LEFT', 'RIGHT']).nullish(),
  subject_type: z.string().nullish()
})
type ReviewComment = z.infer<typeof ReviewComment>

const ThreadNodes = z.object({
  repository: z.object({
    pullRequest: z
      .object({
        reviewThreads: z.object({
          pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
          nodes: z.array(
            z.object({
              id: z.string(),
              isResolved: z.boolean(),
              comments: z.object({ nodes: z.array(z.object({ databaseId: z.number().nullish() })) })
            })
          )
        })
      })
      .nullable()
  })
})

/** The GraphQL query for a pull request's review threads: their node ids, whether resolved, and their first comment's REST id. */
export const THREADS_QUERY = `query($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
      }
    }
  }
}`

/** The GraphQL mutations that resolve and reopen a review thread (only GraphQL has them). */
export const RESOLVE_MUTATION = `mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }`
/** Reopens a resolved review thread. */
export const UNRESOLVE_MUTATION = `mutation($id: ID!) { unresolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }`

/** Which repository and pull request. */
export interface PullRef {
  owner: string
  repo: string
  number: number
}

/** Review comments grouped into threads (a reply names the comment it answers; GitHub's threads are flat under the first). */
export function threadsFromComments(comments: readonly ReviewComment[], resolved: ReadonlyMap<number, boolean>): ServiceThread[] {
  const byId = new Map(comments.map((c) => [c.id, c]))
  const rootOf = (c: ReviewComment): ReviewComment => {
    let at = c
    for (let i = 0; i < 100 && at.in_reply_to_id != null && byId.has(at.in_reply_to_id); i++) at = byId.get(at.in_reply_to_id)!
    return at
  }
  const groups = new Map<number, ReviewComment[]>()
  for (const c of [...comments].sort((a, b) => a.id - b.id)) {
    const root = rootOf(c)
    groups.set(root.id, [...(groups.get(root.id) ?? []), c])
  }
  return [...groups.entries()].map(([id, list]) => {
    const root = byId.get(id)!
    const fileLevel = root.subject_type === 'file'
    // GitHub drops `line` (and `position`) once the thread's lines changed in the pull request: it is outdated.
    const outdated = !fileLevel && root.line == null
    return {
      id: String(id),
      path: root.path,
      line: outdated ? (root.original_line ?? null) : (root.line ?? null),
      startLine: outdated ? (root.original_start_line ?? null) : (root.start_line ?? null),
      side: root.side === 'LEFT' ? 'left' : 'right',
      commit: outdated ? root.original_commit_id : root.commit_id,
      outdated,
      resolved: resolved.get(id) ?? false,
      resolvable: resolved.has(id),
      comments: list.map((c) => ({
        id: String(c.id),
        author: c.user?.login ?? 'ghost',
        body: c.body,
        createdAt: Date.parse(c.created_at)
      })),
      url: root.html_url
    }
  })
}

type Nodes = Map<number, { node: string; resolved: boolean }>

/** Every review thread's GraphQL node id and resolved state, by the REST id of its first comment. */
async function threadNodes(gh: Octokit, p: PullRef): Promise<Result<Nodes, ServiceFailure>> {
  const out: Nodes = new Map()
  let after: string | null = null
  for (let page = 0; page < 50; page++) {
    let data: unknown
    try {
      data = await gh.graphql(THREADS_QUERY, { owner: p.owner, name: p.repo, number: p.number, after })
    } catch (e) {
      const f = graphqlFailure(e)
      if (f) return err(f)
      throw e
    }
    const parsed = ThreadNodes.safeParse(data)
    if (!parsed.success) return err({ kind: 'malformed', detail: `the review threads of #${p.number} (GraphQL)` })
    const threads = parsed.data.repository.pullRequest?.reviewThreads
    if (!threads) return err({ kind: 'http', status: 404, message: `No pull request #${p.number}`, details: [] })
    for (const n of threads.nodes) {
      const first = n.comments.nodes[0]?.databaseId
      if (first != null) out.set(first, { node: n.id, resolved: n.isResolved })
    }
    if (!threads.pageInfo.hasNextPage || !threads.pageInfo.endCursor) break
    after = threads.pageInfo.endCursor
  }
  return ok(out)
}

/** The resolved states last read over GraphQL with the comments there were then, by client and pull request (a new token makes a new client and starts over). */
const lastNodes = new WeakMap<Octokit, Map<string, { nodes: Nodes; comments: Set<number> }>>()

const pullKey = (p: PullRef) => `${p.owner}/${p.repo}#${p.number}`

function remembered(gh: Octokit): Map<string, { nodes: Nodes; comments: Set<number> }> {
  let m = lastNodes.get(gh)
  if (!m) lastNodes.set(gh, (m = new Map()))
  return m
}

/**
 * The pull request's review threads: its review comments over REST (conditional), their resolved state over
 * GraphQL, asked only when there are comments, and with `reuseResolved` only when one is new: GraphQL has
 * no conditional reads, every query costs a point. A thread resolved on github.com changes no comment, so
 * the caller asks without `reuseResolved` now and then.
 */
export async function githubReviewThreads(
  gh: Octokit,
  p: PullRef,
  o: { reuseResolved?: boolean } = {}
): Promise<Result<Fetched<ServiceThread[]>, ServiceFailure>> {
  const comments: unknown[] = []
  let notModified = true
  for await (const res of gh.paginate.iterator(gh.rest.pulls.listReviewComments, {
    owner: p.owner,
    repo: p.repo,
    pull_number: p.number,
    per_page: 100
  })) {
    comments.push(...res.data)
    if ((res.headers as Record<string, string | undefined>)[NOT_MODIFIED_HEADER] !== '1') notModified = false
  }
  const parsed = z.array(ReviewComment).safeParse(comments)
  if (!parsed.success) return err({ kind: 'malformed', detail: `the review comments of #${p.number}` })
  const memo = remembered(gh)
  const key = pullKey(p)
  // Reused while no comment is new: a push that moves comments, or an edit, leaves every thread's resolved state as it was.
  const last = memo.get(key)
  let nodes: Nodes | undefined =
    o.reuseResolved === true && last && parsed.data.every((c) => last.comments.has(c.id)) ? last.nodes : undefined
  const reused = nodes !== undefined && parsed.data.length > 0
  // No comment, no thread: there is no resolved state to ask for.
  if (parsed.data.length === 0) nodes = new Map()
  if (!nodes) {
    const read = await threadNodes(gh, p)
    if (!read.ok) return read
    nodes = read.value
  }
  memo.delete(key)
  memo.set(key, { nodes, comments: new Set(parsed.data.map((c) => c.id)) })
  // Bounded: the oldest pull request read is forgotten first.
  if (memo.size > 200) memo.delete(memo.keys().next().value!)
  const resolved = new Map([...nodes].map(([id, n]) => [id, n.resolved]))
  return ok({ value: threadsFromComments(parsed.data, resolved), notModified, reused })
}

/** Replies to the thread whose first comment is `threadId` (sent once: a lost answer may still have posted it). */
export async function githubReply(gh: Octokit, p: PullRef, threadId: string, body: string): Promise<Result<void, ServiceFailure>> {
  await gh.rest.pulls.createReplyForReviewComment({
    owner: p.owner,
    repo: p.repo,
    pull_number: p.number,
    comment_id: Number(threadId),
    body,
    request: { retries: 0 }
  })
  return ok(undefined)
}

/** Resolves or reopens the thread whose first comment is `threadId`, through GraphQL (REST has no such call). */
export async function githubResolve(gh: Octokit, p: PullRef, threadId: string, resolved: boolean): Promise<Result<void, ServiceFailure>> {
  const nodes = await threadNodes(gh, p)
  if (!nodes.ok) return nodes
  const node = nodes.value.get(Number(threadId))
  if (!node)
    return err({ kind: 'http', status: 404, message: 'GitHub has no such review thread on the pull request any more.', details: [] })
  if (node.resolved === resolved) return ok(undefined)
  try {
    await gh.graphql(resolved ? RESOLVE_MUTATION : UNRESOLVE_MUTATION, { id: node.node, request: { retries: 0 } })
  } catch (e) {
    const f = graphqlFailure(e)
    if (f) return err(f)
    throw e
  } finally {
    // Whatever the answer, the next read asks GitHub again rather than trust what it held.
    lastNodes.get(gh)?.delete(pullKey(p))
  }
  return ok(undefined)
}
