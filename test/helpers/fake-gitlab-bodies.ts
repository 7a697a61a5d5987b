// Bodies of the fake GitLab, with the documented fields of each entity (gitlab-shapes.ts and gitlab-mr-shapes.ts check them).

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
  yaml_errors: null,
  user: userBody(base, 'skein-user', 1),
  started_at: T0,
  finished_at: null,
  committed_at: null,
  duration: null,
  queued_duration: 2,
  coverage: null
})

/** A user as GitLab answers it: a merge request's author or reviewer, a note's author, `/users`. */
export const userBody = (base: string, username: string, id: number): Record<string, unknown> => ({
  id,
  username,
  name: username.charAt(0).toUpperCase() + username.slice(1),
  state: 'active',
  locked: false,
  avatar_url: `${base}/uploads/-/system/user/avatar/${id}/avatar.png`,
  web_url: `${base}/${username}`
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

/** A merge request in the words GitLab answers it with, whichever fake keeps it. */
export interface MrFields {
  /** The project's path, e.g. `group/repo`. */
  path: string
  iid: number
  title: string
  description: string
  state: 'opened' | 'closed' | 'merged' | 'locked'
  sourceBranch: string
  targetBranch: string
  sha: string
  labels: string[]
  reviewers: { id: number; username: string }[]
  draft: boolean
  /** `checking` until GitLab has worked it out. */
  detailedMergeStatus: string
  autoMerge: boolean
  createdAt: string
  updatedAt: string
}

const AUTHOR = { id: 1, username: 'skein-user' }

/** A merge request of a list (`/merge_requests`): the documented attributes of "List project merge requests". */
export function mergeRequestBody(base: string, m: MrFields): Record<string, unknown> {
  const user = (u: { id: number; username: string }) => userBody(base, u.username, u.id)
  const checking = m.detailedMergeStatus === 'checking' || m.detailedMergeStatus === 'unchecked'
  const mergeStatus = checking ? 'checking' : m.detailedMergeStatus === 'conflict' ? 'cannot_be_merged' : 'can_be_merged'
  const merged = m.state === 'merged'
  return {
    id: 1000 + m.iid,
    iid: m.iid,
    project_id: 1,
    title: m.title,
    description: m.description,
    state: m.state,
    imported: false,
    imported_from: 'none',
    merged_by: merged ? user(AUTHOR) : null,
    merge_user: merged || m.autoMerge ? user(AUTHOR) : null,
    merged_at: merged ? m.updatedAt : null,
    merge_after: null,
    prepared_at: m.createdAt,
    closed_by: m.state === 'closed' ? user(AUTHOR) : null,
    closed_at: m.state === 'closed' ? m.updatedAt : null,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    target_branch: m.targetBranch,
    source_branch: m.sourceBranch,
    upvotes: 0,
    downvotes: 0,
    author: user(AUTHOR),
    assignee: null,
    assignees: [],
    reviewers: m.reviewers.map(user),
    source_project_id: 1,
    target_project_id: 1,
    labels: m.labels,
    draft: m.draft,
    work_in_progress: m.draft,
    milestone: null,
    merge_when_pipeline_succeeds: m.autoMerge,
    merge_status: mergeStatus,
    detailed_merge_status: m.state === 'opened' ? m.detailedMergeStatus : 'not_open',
    sha: m.sha,
    merge_commit_sha: null,
    squash_commit_sha: null,
    user_notes_count: 0,
    discussion_locked: null,
    should_remove_source_branch: null,
    force_remove_source_branch: false,
    web_url: `${base}/${m.path}/-/merge_requests/${m.iid}`,
    reference: `!${m.iid}`,
    references: { short: `!${m.iid}`, relative: `!${m.iid}`, full: `${m.path}!${m.iid}` },
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    squash: false,
    squash_on_merge: false,
    task_completion_status: { count: 0, completed_count: 0 },
    // GitLab: false unless merge_status is cannot_be_merged.
    has_conflicts: mergeStatus === 'cannot_be_merged',
    blocking_discussions_resolved: true,
    approvals_before_merge: null
  }
}

/** A single merge request (read, created, merged): the list's attributes, its head pipeline and diff refs. */
export function mergeRequestDetail(base: string, m: MrFields, o: { head?: FakePipeline; baseSha: string }): Record<string, unknown> {
  return {
    ...mergeRequestBody(base, m),
    subscribed: true,
    changes_count: '1',
    latest_build_started_at: o.head ? T0 : null,
    latest_build_finished_at: null,
    first_deployed_to_production_at: null,
    pipeline: o.head ? pipelineBasic(base, o.head) : null,
    head_pipeline: o.head ? pipelineDetail(base, o.head) : null,
    diff_refs: { base_sha: o.baseSha, head_sha: m.sha, start_sha: o.baseSha },
    merge_error: null,
    first_contribution: false,
    user: { can_merge: true }
  }
}
