import { ApiChecker } from './api-checker'
import type { OpenApiDoc } from './github-openapi-fixture'

// GitLab publishes no complete OpenAPI description of these endpoints, so this is one written from
// its REST API docs: the documented parameters, and for each entity the documented fields the fake
// sends (no others: `additionalProperties: false`), with the ones Skein reads required.

/** Every status a GitLab job or pipeline can have (https://docs.gitlab.com/api/pipelines/#list-project-pipelines, `status`). */
export const GITLAB_STATUSES = [
  'created',
  'waiting_for_resource',
  'preparing',
  'pending',
  'running',
  'success',
  'failed',
  'canceled',
  'canceling',
  'skipped',
  'manual',
  'scheduled',
  'waiting_for_callback'
]

const str = { type: 'string' }
const nstr = { type: 'string', nullable: true }
const int = { type: 'integer' }
const time = { type: 'string', format: 'date-time' }
const ntime = { ...time, nullable: true }
const bool = { type: 'boolean' }
const status = { type: 'string', enum: GITLAB_STATUSES }
const page = [
  { name: 'page', in: 'query', schema: int },
  { name: 'per_page', in: 'query', schema: { type: 'integer', maximum: 100 } }
]
const id = { name: 'id', in: 'path', required: true, schema: str }
const iid = { name: 'merge_request_iid', in: 'path', required: true, schema: int }
const discussionId = { name: 'discussion_id', in: 'path', required: true, schema: str }
const scope = { name: 'scope', in: 'query', schema: { type: 'string', enum: GITLAB_STATUSES } }
const object = (required: string[], properties: Record<string, unknown>, nullable = false) => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
  ...(nullable ? { nullable: true } : {})
})
const list = (ref: string) => ({ type: 'array', items: { $ref: `#/components/schemas/${ref}` } })
const ok = (schema: unknown) => ({ '200': { description: 'OK', content: { 'application/json': { schema } } } })

// https://docs.gitlab.com/api/pipelines/#list-project-pipelines (and `pipeline` in the jobs answers)
const pipelineBasic = {
  id: int,
  iid: int,
  project_id: int,
  sha: str,
  ref: str,
  status,
  source: str,
  created_at: time,
  updated_at: time,
  web_url: str
}
// https://docs.gitlab.com/api/jobs/#list-pipeline-jobs
const job = {
  id: int,
  name: str,
  stage: str,
  status,
  ref: str,
  tag: bool,
  allow_failure: bool,
  created_at: time,
  started_at: ntime,
  finished_at: ntime,
  duration: { type: 'number', nullable: true },
  queued_duration: { type: 'number', nullable: true },
  failure_reason: str,
  web_url: str,
  pipeline: object(['id', 'project_id', 'ref', 'sha', 'status'], { id: int, project_id: int, ref: str, sha: str, status })
}

/** The GitLab REST endpoints Skein reads, as documented, in OpenAPI 3.0 form (paths relative to /api/v4). */
export const GITLAB_SHAPES: OpenApiDoc = {
  openapi: '3.0.3',
  info: { title: 'GitLab REST API v4, the endpoints Skein reads, from docs.gitlab.com/api', version: 'v4' },
  paths: {
    // https://docs.gitlab.com/api/pipelines/#list-project-pipelines
    '/projects/{id}/pipelines': {
      get: {
        parameters: [
          id,
          { name: 'ref', in: 'query', schema: str },
          { name: 'sha', in: 'query', schema: str },
          { name: 'status', in: 'query', schema: status },
          { name: 'source', in: 'query', schema: str },
          { name: 'order_by', in: 'query', schema: { type: 'string', enum: ['id', 'status', 'ref', 'updated_at', 'user_id'] } },
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
          ...page
        ],
        responses: ok(list('pipeline-basic'))
      }
    },
    // https://docs.gitlab.com/api/jobs/#list-pipeline-jobs
    '/projects/{id}/pipelines/{pipeline_id}/jobs': {
      get: {
        parameters: [id, { name: 'pipeline_id', in: 'path', required: true, schema: int }, scope, ...page],
        responses: ok(list('job'))
      }
    },
    // https://docs.gitlab.com/api/jobs/#list-pipeline-trigger-jobs (the `bridges` route)
    '/projects/{id}/pipelines/{pipeline_id}/bridges': {
      get: {
        parameters: [id, { name: 'pipeline_id', in: 'path', required: true, schema: int }, scope, ...page],
        responses: ok(list('bridge'))
      }
    },
    // https://docs.gitlab.com/api/jobs/#get-a-log-file
    '/projects/{id}/jobs/{job_id}/trace': {
      get: {
        parameters: [id, { name: 'job_id', in: 'path', required: true, schema: int }],
        responses: { '200': { description: 'The log', content: { 'text/plain': { schema: { type: 'string' } } } } }
      }
    },
    // https://docs.gitlab.com/api/commits/#get-a-single-commit
    '/projects/{id}/repository/commits/{sha}': {
      get: {
        parameters: [id, { name: 'sha', in: 'path', required: true, schema: str }],
        responses: ok(object(['id'], { id: str, short_id: str, title: str, message: str }))
      }
    },
    // https://docs.gitlab.com/api/merge_requests/#list-project-merge-requests
    '/projects/{id}/merge_requests': {
      get: {
        parameters: [
          id,
          { name: 'state', in: 'query', schema: { type: 'string', enum: ['opened', 'closed', 'locked', 'merged', 'all'] } },
          { name: 'source_branch', in: 'query', schema: str },
          { name: 'target_branch', in: 'query', schema: str },
          ...page
        ],
        responses: ok(list('merge-request'))
      }
    },
    // https://docs.gitlab.com/api/merge_requests/#get-single-mr
    '/projects/{id}/merge_requests/{merge_request_iid}': {
      get: {
        parameters: [id, { name: 'merge_request_iid', in: 'path', required: true, schema: int }],
        responses: ok({ $ref: '#/components/schemas/merge-request-detail' })
      }
    },
    // https://docs.gitlab.com/api/merge_requests/#list-merge-request-pipelines
    '/projects/{id}/merge_requests/{merge_request_iid}/pipelines': {
      get: {
        parameters: [id, { name: 'merge_request_iid', in: 'path', required: true, schema: int }, ...page],
        responses: ok(list('pipeline-basic'))
      }
    },
    // https://docs.gitlab.com/api/discussions/#list-project-merge-request-discussion-items
    '/projects/{id}/merge_requests/{merge_request_iid}/discussions': {
      get: { parameters: [id, iid, ...page], responses: ok(list('discussion')) }
    },
    // https://docs.gitlab.com/api/discussions/#add-note-to-existing-merge-request-thread
    '/projects/{id}/merge_requests/{merge_request_iid}/discussions/{discussion_id}/notes': {
      post: {
        parameters: [id, iid, discussionId],
        responses: { '201': { description: 'Created', content: { 'application/json': { schema: { $ref: '#/components/schemas/note' } } } } }
      }
    },
    // https://docs.gitlab.com/api/discussions/#resolve-a-merge-request-thread
    '/projects/{id}/merge_requests/{merge_request_iid}/discussions/{discussion_id}': {
      put: {
        parameters: [id, iid, discussionId, { name: 'resolved', in: 'query', required: true, schema: bool }],
        responses: ok({ $ref: '#/components/schemas/discussion' })
      }
    }
  },
  components: {
    schemas: {
      error: { type: 'object', required: ['message'], properties: { message: {} } },
      'pipeline-basic': object(['id', 'sha', 'ref', 'status'], pipelineBasic),
      // https://docs.gitlab.com/api/pipelines/#get-a-single-pipeline, as `head_pipeline` of a merge request
      pipeline: object(['id', 'sha', 'ref', 'status'], {
        ...pipelineBasic,
        before_sha: str,
        tag: bool,
        started_at: ntime,
        finished_at: ntime,
        duration: { type: 'integer', nullable: true }
      }),
      job: object(['id', 'name', 'status'], job),
      bridge: object(['id', 'name', 'status', 'downstream_pipeline'], {
        ...job,
        downstream_pipeline: object(
          ['id', 'sha', 'ref', 'status'],
          { id: int, iid: int, project_id: int, sha: str, ref: str, status, source: str, created_at: time, updated_at: time, web_url: str },
          true
        )
      }),
      discussion: object(['id', 'individual_note', 'notes'], { id: str, individual_note: bool, notes: list('note') }),
      note: object(['id', 'type', 'body', 'author', 'created_at', 'system', 'resolvable'], note()),
      'merge-request': object(['iid', 'state', 'source_branch', 'sha'], mergeRequest()),
      'merge-request-detail': object(['iid', 'state', 'source_branch', 'sha', 'head_pipeline', 'diff_refs'], {
        ...mergeRequest(),
        head_pipeline: { anyOf: [{ $ref: '#/components/schemas/pipeline' }, { type: 'null' }] },
        diff_refs: object(['base_sha', 'head_sha', 'start_sha'], { base_sha: nstr, head_sha: nstr, start_sha: nstr }, true)
      })
    }
  }
}

function mergeRequest(): Record<string, unknown> {
  return {
    id: int,
    iid: int,
    project_id: int,
    title: str,
    state: { type: 'string', enum: ['opened', 'closed', 'locked', 'merged'] },
    created_at: time,
    updated_at: time,
    target_branch: str,
    source_branch: str,
    source_project_id: int,
    target_project_id: int,
    draft: bool,
    sha: str,
    merge_commit_sha: nstr,
    squash_commit_sha: nstr,
    detailed_merge_status: str,
    web_url: str
  }
}

// https://docs.gitlab.com/api/discussions/#merge-requests: a note of a discussion, with its diff position.
function note(): Record<string, unknown> {
  const user = object(['username'], { id: int, username: str, name: str, state: str, avatar_url: nstr, web_url: str })
  const line = object([], {
    line_code: str,
    type: nstr,
    old_line: { type: 'integer', nullable: true },
    new_line: { type: 'integer', nullable: true }
  })
  return {
    id: int,
    type: { type: 'string', enum: ['DiffNote', 'DiscussionNote'], nullable: true },
    body: str,
    attachment: nstr,
    author: user,
    created_at: time,
    updated_at: time,
    system: bool,
    noteable_id: int,
    noteable_type: str,
    noteable_iid: { type: 'integer', nullable: true },
    commit_id: nstr,
    position: object(
      ['head_sha', 'position_type', 'new_path', 'old_path'],
      {
        base_sha: nstr,
        start_sha: nstr,
        head_sha: str,
        old_path: str,
        new_path: str,
        position_type: { type: 'string', enum: ['text', 'image', 'file'] },
        old_line: { type: 'integer', nullable: true },
        new_line: { type: 'integer', nullable: true },
        line_range: object(['start', 'end'], { start: line, end: line }, true)
      },
      true
    ),
    resolvable: bool,
    resolved: bool,
    resolved_by: { ...user, nullable: true },
    resolved_at: ntime,
    confidential: bool,
    internal: bool
  }
}

let checker: ApiChecker | null = null

/** The checker for the fake GitLab, against the documented shapes above. */
export function gitlabApiChecker(): ApiChecker {
  checker ??= new ApiChecker(GITLAB_SHAPES, { name: 'GitLab', errorSchema: '#/components/schemas/error' })
  return checker
}
