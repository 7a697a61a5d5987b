import { z } from 'zod'
import type { CiProblem } from '../../../shared/ci'
import { err, ok, type Result } from '../../../shared/result'
import type { CiHttp, HttpFailure } from './ci-http'
import { parseBody, type ProblemWords } from './ci-provider'
import { GitlabMergeRequest, GitlabMergeRequestDetail, type GitlabPipeline } from './gitlab-checks'

/** The pipeline GitLab runs for a branch's open merge request at the thread's commit. */
export interface MergeRequestPipeline {
  iid: number
  /** "MR !12", "merged results !12" or "merge train !12". */
  label: string
  pipeline: GitlabPipeline
}

/** What the finder needs from its provider. */
export interface MergeRequestFinderDeps {
  /** `https://HOST/api/v4/projects/<encoded path>`. */
  projectUrl: string
  http: CiHttp
  now: () => number
  /** How long "this branch has no open merge request" holds while the branch has a pipeline of its own. */
  recheckMs: number
  words: ProblemWords
  problem: (res: HttpFailure) => CiProblem
}

interface Known {
  iid: number | null
  listedAt: number
}

/**
 * Finds the open merge request of a thread's branch and the pipeline GitLab runs for it: a merge
 * request pipeline (ref `refs/merge-requests/<iid>/head`, on the branch's commit), or a merged results
 * or merge train pipeline (ref `.../merge` or `.../train`, on a merge commit, so on another SHA).
 * Neither shows among the branch's own pipelines. The merge request's `head_pipeline` is the one
 * GitLab itself ties to its current head, so a merged results pipeline is matched through it.
 *
 * Requests stay few: a merge request once found is read directly (one ETag-cached request); "no open
 * merge request" is remembered for `recheckMs` while the branch has a pipeline of its own, and asked
 * on every poll while it has none (a project that runs only merge request pipelines).
 */
export class MergeRequestFinder {
  private readonly known = new Map<string, Known>()

  constructor(private readonly deps: MergeRequestFinderDeps) {}

  /** The merge request pipeline of `branch` at `sha`; null when there is no open merge request or no pipeline for this commit yet. */
  async find(
    ref: { sha: string; branch: string },
    headers: Record<string, string>,
    branchHasPipeline: boolean
  ): Promise<Result<MergeRequestPipeline | null, CiProblem>> {
    const { projectUrl, http, now } = this.deps
    let known = this.known.get(ref.branch)
    if (!known || known.iid === null) {
      const fresh = known && branchHasPipeline && now() - known.listedAt < this.deps.recheckMs
      if (fresh) return ok(null)
      const q = new URLSearchParams({ source_branch: ref.branch, state: 'opened', per_page: '20' })
      const res = await http.getJson(`${projectUrl}/merge_requests?${q}`, headers)
      if (res.kind !== 'ok') return err(this.deps.problem(res))
      const list = parseBody(z.array(GitlabMergeRequest), res.body, 'merge requests', this.deps.words)
      if (!list.ok) return list
      const open = list.value.filter((m) => m.state === 'opened' && m.source_branch === ref.branch)
      const mr = open.find((m) => m.sha === ref.sha) ?? open[0]
      known = { iid: mr?.iid ?? null, listedAt: now() }
      this.known.set(ref.branch, known)
      if (known.iid === null) return ok(null)
    }
    const res = await http.getJson(`${projectUrl}/merge_requests/${known.iid}`, headers)
    if (res.kind === 'http-error' && res.status === 404) return this.forget(ref.branch)
    if (res.kind !== 'ok') return err(this.deps.problem(res))
    const detail = parseBody(GitlabMergeRequestDetail, res.body, 'merge request', this.deps.words)
    if (!detail.ok) return detail
    const mr = detail.value
    if (mr.state !== 'opened' || mr.source_branch !== ref.branch) return this.forget(ref.branch)
    return ok(headPipelineFor(mr, ref.sha))
  }

  // The merge request was closed, merged or retargeted: look for another one on the next poll.
  private forget(branch: string): Result<null, CiProblem> {
    this.known.delete(branch)
    return ok(null)
  }
}

/** The merge request's head pipeline when it belongs to `sha`: run on it, or on a merge of it (merged results, merge train). */
export function headPipelineFor(mr: GitlabMergeRequestDetail, sha: string): MergeRequestPipeline | null {
  const head = mr.diff_refs?.head_sha ?? mr.sha
  const p = mr.head_pipeline
  // Until GitLab has taken in the push, the merge request (and its head pipeline) is about an older commit.
  if (!p || head !== sha || (mr.sha && mr.sha !== sha)) return null
  if (p.sha === sha) return { iid: mr.iid, label: `MR !${mr.iid}`, pipeline: p }
  const merged = new RegExp(`^refs/merge-requests/${mr.iid}/(merge|train)$`).exec(p.ref ?? '')
  if (!merged) return null
  return { iid: mr.iid, label: `${merged[1] === 'train' ? 'merge train' : 'merged results'} !${mr.iid}`, pipeline: p }
}
