import { appError, ErrorCode, type AppError } from '../../../shared/errors'
import { err, ok, type Result } from '../../../shared/result'
import { answerMessage, requestJson, type ApiAnswer } from './merge-http'
import type { MergeOutcome } from './merge-when-green'

/** Where a GitLab project's API is and the token to use. */
export interface GitlabMergeTarget {
  /** The server root, e.g. https://gitlab.com. */
  baseUrl: string
  /** The project's path, e.g. group/sub/repo. */
  path: string
  token: string
}

interface MergeRequest {
  iid: number
  sha: string
  draft?: boolean
  detailed_merge_status?: string
  state?: string
  merge_when_pipeline_succeeds?: boolean
}

const short = (sha: string) => sha.slice(0, 7)

// detailed_merge_status words that mean a person (or GitLab) must act first; the pipeline ones are left to auto-merge.
const NOT_YET: Record<string, string> = {
  not_approved: 'it waits for approval',
  requested_changes: 'a reviewer requested changes',
  discussions_not_resolved: 'it has unresolved discussions',
  draft_status: 'it is a draft',
  conflict: 'it conflicts with the target branch',
  need_rebase: 'it must be rebased first',
  blocked_status: 'another merge request blocks it',
  not_open: 'it is not open',
  jira_association_missing: 'it needs a Jira issue',
  external_status_checks: 'external status checks have not passed'
}
const PIPELINE = new Set(['ci_must_pass', 'ci_still_running', 'checking', 'unchecked', 'preparing'])

function failure(a: ApiAnswer, what: string): AppError {
  if (a.kind === 'unreachable') return appError(ErrorCode.Unsupported, `Could not reach GitLab to ${what} (${a.detail}).`)
  if (a.status === 401)
    return appError(ErrorCode.Unsupported, 'GitLab rejected the token (401); set GITLAB_TOKEN or run `glab auth login` again.')
  return appError(ErrorCode.Unsupported, `GitLab could not ${what} (HTTP ${a.status}: ${answerMessage(a)}).`)
}

/**
 * Merges the open merge request of `branch` at `sha` through GitLab's REST API: at once when GitLab
 * calls it mergeable, else with auto-merge (merge when the pipeline succeeds) while its pipeline
 * runs; refused while it waits for approval, has conflicts or open discussions, or its head moved.
 */
export async function gitlabMerge(t: GitlabMergeTarget, branch: string, sha: string): Promise<Result<MergeOutcome>> {
  const project = `${t.baseUrl.replace(/\/+$/, '')}/api/v4/projects/${encodeURIComponent(t.path)}`
  const headers = { 'PRIVATE-TOKEN': t.token, Accept: 'application/json', 'User-Agent': 'Skein' }
  const q = new URLSearchParams({ source_branch: branch, state: 'opened', per_page: '5' })
  const list = await requestJson('GET', `${project}/merge_requests?${q}`, headers)
  if (list.kind !== 'answer' || list.status !== 200 || !Array.isArray(list.body)) return err(failure(list, 'find the merge request'))
  const found = (list.body as MergeRequest[])[0]
  if (!found)
    return ok({
      state: 'blocked',
      message: `There is no open merge request for ${branch}; open one and the autopilot merges it once green.`
    })
  const name = `merge request !${found.iid}`
  const one = await requestJson('GET', `${project}/merge_requests/${found.iid}`, headers)
  if (one.kind !== 'answer' || one.status !== 200) return err(failure(one, `read ${name}`))
  const mr = one.body as MergeRequest
  if (mr.sha !== sha)
    return ok({ state: 'blocked', message: `Not merged: ${name}'s head is now ${short(mr.sha)}, not the green ${short(sha)}.` })
  const status = mr.detailed_merge_status ?? 'unchecked'
  if (mr.draft || NOT_YET[status]) return ok({ state: 'blocked', message: `Not merged: ${NOT_YET[status] ?? 'it is a draft'} (${name}).` })
  const auto = PIPELINE.has(status)
  // Both words: `auto_merge` since GitLab 17.11, `merge_when_pipeline_succeeds` before it.
  const body = auto ? { sha, auto_merge: true, merge_when_pipeline_succeeds: true } : { sha }
  const merged = await requestJson('PUT', `${project}/merge_requests/${found.iid}/merge`, headers, body)
  if (merged.kind === 'answer' && merged.status === 200) {
    const r = merged.body as MergeRequest | null
    if (r?.state === 'merged') return ok({ state: 'merged', message: `Merged ${name} at ${short(sha)}.` })
    return ok({ state: 'scheduled', message: `GitLab merges ${name} once its pipeline passes (auto-merge at ${short(sha)}).` })
  }
  if (merged.kind === 'answer' && [405, 406, 409, 422].includes(merged.status))
    return ok({ state: 'blocked', message: `GitLab did not merge ${name}: ${answerMessage(merged)}` })
  return err(failure(merged, `merge ${name}`))
}
