import { setTimeout as delay } from 'node:timers/promises'
import { appError, ErrorCode, type AppError } from '../../../shared/errors'
import { err, ok, type Result } from '../../../shared/result'
import { answerMessage, requestJson, type ApiAnswer } from './merge-http'
import type { MergeOutcome } from './merge-when-green'

/** Where a GitHub repository's REST API is and the token to use. */
export interface GithubMergeTarget {
  baseUrl: string
  owner: string
  repo: string
  token: string
  /** How long to keep asking while GitHub says mergeability is not known yet (default 10 s). */
  mergeableWaitMs?: number
}

interface Pull {
  number: number
  draft?: boolean
  head: { sha: string }
  mergeable: boolean | null
  mergeable_state: string
  requested_reviewers?: { login: string }[]
}

const short = (sha: string) => sha.slice(0, 7)

// mergeable_state words, as GitHub computes them for the pull request's head and branch protection.
const NOT_YET: Record<string, string> = {
  blocked: 'branch protection wants something first (an approving review or a required check)',
  behind: 'its branch is behind the base and must be updated first',
  dirty: 'it conflicts with the base',
  draft: 'it is a draft',
  unstable: 'some of its checks are not passing',
  unknown: 'GitHub has not worked out whether it can be merged yet'
}

function failure(a: ApiAnswer, what: string): AppError {
  if (a.kind === 'unreachable') return appError(ErrorCode.Unsupported, `Could not reach GitHub to ${what} (${a.detail}).`)
  if (a.status === 401)
    return appError(ErrorCode.Unsupported, 'GitHub rejected the token (401); set GITHUB_TOKEN or run `gh auth login` again.')
  if (a.status === 403 || a.status === 404)
    return appError(
      ErrorCode.Unsupported,
      `GitHub refused to ${what} (${a.status}: ${answerMessage(a)}). The token needs write access to pull requests and contents.`
    )
  return appError(ErrorCode.Unsupported, `GitHub could not ${what} (HTTP ${a.status}: ${answerMessage(a)}).`)
}

/** Whether the latest review of anyone asks for changes, and who was asked to review and has not answered. */
function reviewBlock(reviews: { user?: { login?: string } | null; state: string }[], requested: string[]): string | null {
  const latest = new Map<string, string>()
  for (const r of reviews) {
    const by = r.user?.login
    if (by && ['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(r.state)) latest.set(by, r.state)
  }
  const changes = [...latest].filter(([, s]) => s === 'CHANGES_REQUESTED').map(([by]) => by)
  if (changes.length) return `${changes.join(', ')} requested changes`
  const approved = [...latest.values()].includes('APPROVED')
  if (!approved && requested.length) return `it waits for a review from ${requested.join(', ')}`
  return null
}

/**
 * Merges the open pull request of `branch` through GitHub's REST API, at `sha` only: refused while it
 * is a draft, its head moved, GitHub does not call it mergeable ('clean'), or a review asks for
 * changes or is still awaited. GitHub itself refuses a merge at a head that moved (409).
 */
export async function githubMerge(t: GithubMergeTarget, branch: string, sha: string): Promise<Result<MergeOutcome>> {
  const base = `${t.baseUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(t.owner)}/${encodeURIComponent(t.repo)}`
  const headers = {
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    Authorization: `Bearer ${t.token}`,
    'User-Agent': 'Skein'
  }
  const q = new URLSearchParams({ head: `${t.owner}:${branch}`, state: 'open', per_page: '5' })
  const list = await requestJson('GET', `${base}/pulls?${q}`, headers)
  if (list.kind !== 'answer' || list.status !== 200 || !Array.isArray(list.body)) return err(failure(list, 'find the pull request'))
  const found = (list.body as Pull[])[0]
  if (!found)
    return ok({
      state: 'blocked',
      message: `There is no open pull request for ${branch}; open one and the autopilot merges it once green.`
    })
  const name = `pull request #${found.number}`
  let pull: Pull | null = null
  const deadline = Date.now() + (t.mergeableWaitMs ?? 10_000)
  // GitHub computes mergeability after a change and answers null meanwhile: ask again for a little while.
  for (;;) {
    const one = await requestJson('GET', `${base}/pulls/${found.number}`, headers)
    if (one.kind !== 'answer' || one.status !== 200) return err(failure(one, `read ${name}`))
    pull = one.body as Pull
    if (pull.mergeable !== null || Date.now() >= deadline) break
    await delay(1000)
  }
  if (pull.head.sha !== sha)
    return ok({ state: 'blocked', message: `Not merged: ${name}'s head is now ${short(pull.head.sha)}, not the green ${short(sha)}.` })
  if (pull.draft) return ok({ state: 'blocked', message: `Not merged: ${name} is a draft.` })
  if (pull.mergeable !== true || !['clean', 'has_hooks'].includes(pull.mergeable_state))
    return ok({
      state: 'blocked',
      message: `Not merged: ${NOT_YET[pull.mergeable_state] ?? `GitHub says ${name} is "${pull.mergeable_state}"`} (${name}).`
    })
  const reviews = await requestJson('GET', `${base}/pulls/${found.number}/reviews?per_page=100`, headers)
  if (reviews.kind !== 'answer' || reviews.status !== 200 || !Array.isArray(reviews.body))
    return err(failure(reviews, `read ${name}'s reviews`))
  const blocked = reviewBlock(
    reviews.body as { user?: { login?: string }; state: string }[],
    (pull.requested_reviewers ?? []).map((r) => r.login)
  )
  if (blocked) return ok({ state: 'blocked', message: `Not merged: ${blocked} (${name}).` })
  const merged = await requestJson('PUT', `${base}/pulls/${found.number}/merge`, headers, { sha })
  if (merged.kind === 'answer' && merged.status === 200) return ok({ state: 'merged', message: `Merged ${name} at ${short(sha)}.` })
  if (merged.kind === 'answer' && (merged.status === 405 || merged.status === 409 || merged.status === 422))
    return ok({ state: 'blocked', message: `GitHub did not merge ${name}: ${answerMessage(merged)}` })
  return err(failure(merged, `merge ${name}`))
}
