// Bodies of the fake GitLab, with the documented fields of each entity (test/helpers/gitlab-shapes.ts checks them).

/** A job as the fake serves it (fields as in GitLab's jobs API). */
export interface FakeJob {
  id: number
  name: string
  stage?: string
  status: string
  /** Default: true for a `manual` job (GitLab's default for `when: manual`), false otherwise. */
  allow_failure?: boolean
  started_at?: string | null
  finished_at?: string | null
  duration?: number | null
  failure_reason?: string
  /** The job's trace. */
  trace?: string
}

/** A trigger job and the downstream pipeline it started (none while it has not yet). */
export interface FakeBridge {
  id: number
  name: string
  stage?: string
  status: string
  allow_failure?: boolean
  downstream?: { id: number; status: string; sha?: string; ref?: string } | null
}

/** A pipeline, its jobs and its trigger jobs. `ref` is a branch, or `refs/merge-requests/<iid>/head|merge|train`. */
export interface FakePipeline {
  id: number
  ref: string
  sha: string
  status: string
  /** push (default), merge_request_event, parent_pipeline, … */
  source?: string
  jobs: FakeJob[]
  bridges?: FakeBridge[]
}

/** An open (or closed, merged) merge request. */
export interface FakeMergeRequest {
  iid: number
  source_branch: string
  target_branch?: string
  /** The head commit. */
  sha: string
  state?: 'opened' | 'closed' | 'merged' | 'locked'
  /** The pipeline GitLab ties to the merge request's head; null before one is created. */
  headPipelineId?: number | null
}

const T0 = '2024-05-01T10:00:00.000Z'
const T1 = '2024-05-01T10:05:00.000Z'

/** A pipeline in a list (`/pipelines`, `/merge_requests/:iid/pipelines`). */
export const pipelineBasic = (base: string, p: FakePipeline): Record<string, unknown> => ({
  id: p.id,
  iid: p.id,
  project_id: 1,
  sha: p.sha,
  ref: p.ref,
  status: p.status,
  source: p.source ?? 'push',
  created_at: T0,
  updated_at: T1,
  web_url: `${base}/group/repo/-/pipelines/${p.id}`
})

/** A single pipeline, as a merge request's `head_pipeline`. */
export const pipelineDetail = (base: string, p: FakePipeline): Record<string, unknown> => ({
  ...pipelineBasic(base, p),
  before_sha: '0000000000000000000000000000000000000000',
  tag: false,
  started_at: T0,
  finished_at: null,
  duration: null
})

const jobCommon = (base: string, j: FakeJob | FakeBridge, p: FakePipeline, allowFailure: boolean) => ({
  id: j.id,
  status: j.status,
  stage: j.stage ?? 'test',
  name: j.name,
  ref: p.ref,
  tag: false,
  allow_failure: allowFailure,
  created_at: T0,
  web_url: `${base}/group/repo/-/jobs/${j.id}`,
  pipeline: { id: p.id, project_id: 1, ref: p.ref, sha: p.sha, status: p.status }
})

/** A job of `/pipelines/:id/jobs`. */
export const jobBody = (base: string, j: FakeJob, p: FakePipeline): Record<string, unknown> => ({
  ...jobCommon(base, j, p, j.allow_failure ?? j.status === 'manual'),
  started_at: j.started_at ?? null,
  finished_at: j.finished_at ?? null,
  duration: j.duration ?? null,
  queued_duration: 1.5,
  ...(j.failure_reason ? { failure_reason: j.failure_reason } : {})
})

/** A trigger job of `/pipelines/:id/bridges`. */
export const bridgeBody = (base: string, b: FakeBridge, p: FakePipeline): Record<string, unknown> => ({
  ...jobCommon(base, b, p, b.allow_failure ?? false),
  started_at: null,
  finished_at: null,
  duration: null,
  queued_duration: null,
  downstream_pipeline: b.downstream
    ? {
        id: b.downstream.id,
        iid: b.downstream.id,
        project_id: 2,
        sha: b.downstream.sha ?? p.sha,
        ref: b.downstream.ref ?? p.ref,
        status: b.downstream.status,
        source: 'parent_pipeline',
        created_at: T0,
        updated_at: T1,
        web_url: `${base}/group/repo/-/pipelines/${b.downstream.id}`
      }
    : null
})

/** A merge request of `/merge_requests`. */
export const mergeRequestBody = (base: string, mr: FakeMergeRequest): Record<string, unknown> => ({
  id: 1000 + mr.iid,
  iid: mr.iid,
  project_id: 1,
  title: `Merge ${mr.source_branch}`,
  state: mr.state ?? 'opened',
  created_at: T0,
  updated_at: T1,
  target_branch: mr.target_branch ?? 'main',
  source_branch: mr.source_branch,
  source_project_id: 1,
  target_project_id: 1,
  draft: false,
  sha: mr.sha,
  merge_commit_sha: null,
  squash_commit_sha: null,
  detailed_merge_status: 'mergeable',
  web_url: `${base}/group/repo/-/merge_requests/${mr.iid}`
})

/** A single merge request, with its head pipeline and diff refs. */
export const mergeRequestDetail = (base: string, mr: FakeMergeRequest, head: FakePipeline | undefined): Record<string, unknown> => ({
  ...mergeRequestBody(base, mr),
  head_pipeline: head ? pipelineDetail(base, head) : null,
  diff_refs: { base_sha: 'b'.repeat(40), head_sha: mr.sha, start_sha: 'b'.repeat(40) }
})
