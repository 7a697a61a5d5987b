import { z } from 'zod'
import type { Octokit } from '@octokit/rest'
import type { PrAutoMerge, PrMergeMethod } from '../../../shared/pr'
import { err, ok, type Result } from '../../../shared/result'
import type { AutoMergeOutcome, ServiceFailure } from './pr-provider'
import { graphqlFailure } from './github-graphql'

/** Which repository and pull request. */
export interface AutoMergeRef {
  owner: string
  repo: string
  number: number
}

/** The REST pull object's `auto_merge`: null, or who turned it on and how it will merge. */
export const RestAutoMerge = z
  .object({
    enabled_by: z.object({ login: z.string() }).nullish(),
    merge_method: z.enum(['merge', 'squash', 'rebase'])
  })
  .nullish()

/** GitHub's REST `auto_merge` in Skein's words. */
export function autoMergeOf(a: z.infer<typeof RestAutoMerge>): PrAutoMerge | null {
  return a ? { method: a.merge_method, enabledBy: a.enabled_by?.login ?? null } : null
}

/**
 * Turns on GitHub's auto-merge (only GraphQL can), pinned to the head Skein saw: GitHub merges once its
 * requirements are met, and only that commit.
 */
export const ENABLE_AUTO_MERGE = `mutation($id: ID!, $mergeMethod: PullRequestMergeMethod!, $expectedHeadOid: GitObjectID!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $mergeMethod, expectedHeadOid: $expectedHeadOid }) {
    pullRequest { id autoMergeRequest { mergeMethod enabledBy { login } } }
  }
}`

/** Turns GitHub's auto-merge off. */
export const DISABLE_AUTO_MERGE = `mutation($id: ID!) {
  disablePullRequestAutoMerge(input: { pullRequestId: $id }) { pullRequest { id } }
}`

const NodeOf = z.object({ node_id: z.string(), head: z.object({ sha: z.string() }) })

// GitHub refuses auto-merge for a pull request whose requirements are all met ("Pull request Pull request is in clean status").
const CLEAN = /is in clean status/i

async function pullNode(gh: Octokit, p: AutoMergeRef): Promise<Result<{ id: string; head: string }, ServiceFailure>> {
  const res = await gh.rest.pulls.get({ owner: p.owner, repo: p.repo, pull_number: p.number })
  const pull = NodeOf.safeParse(res.data)
  if (!pull.success) return err({ kind: 'malformed', detail: `pull request #${p.number} (no node id)` })
  return ok({ id: pull.data.node_id, head: pull.data.head.sha })
}

// Octokit keeps some names for itself (method, headers, query, url…): the variables are named after the input's fields.
async function mutate(gh: Octokit, query: string, variables: Record<string, unknown>): Promise<Result<unknown, ServiceFailure>> {
  try {
    return ok(await gh.graphql(query, { ...variables, request: { retries: 0 } }))
  } catch (e) {
    const f = graphqlFailure(e)
    if (f) return err(f)
    throw e
  }
}

/**
 * Turns on GitHub's auto-merge for head `sha`, as `gh pr merge --auto` does: `clean` when GitHub says
 * nothing is left to wait for (the caller decides whether to merge directly). A head other than `sha`
 * is refused before anything is sent.
 */
export async function githubEnableAutoMerge(
  gh: Octokit,
  p: AutoMergeRef,
  o: { method: PrMergeMethod; sha: string }
): Promise<Result<AutoMergeOutcome, ServiceFailure>> {
  const node = await pullNode(gh, p)
  if (!node.ok) return node
  if (node.value.head !== o.sha)
    return err({ kind: 'http', status: 409, message: `Head branch was modified: it is now ${node.value.head.slice(0, 7)}`, details: [] })
  const done = await mutate(gh, ENABLE_AUTO_MERGE, { id: node.value.id, mergeMethod: o.method.toUpperCase(), expectedHeadOid: o.sha })
  if (!done.ok) {
    const f = done.error
    if (f.kind === 'http' && [f.message, ...f.details].some((m) => CLEAN.test(m))) return ok('clean')
    return done
  }
  return ok('enabled')
}

/** Turns GitHub's auto-merge off. */
export async function githubDisableAutoMerge(gh: Octokit, p: AutoMergeRef): Promise<Result<void, ServiceFailure>> {
  const node = await pullNode(gh, p)
  if (!node.ok) return node
  const done = await mutate(gh, DISABLE_AUTO_MERGE, { id: node.value.id })
  return done.ok ? ok(undefined) : done
}
