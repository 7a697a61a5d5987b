import { ApiChecker } from './api-checker'
import type { OpenApiDoc } from './github-openapi-fixture'
import { GITLAB_MR_PATHS, GITLAB_MR_SCHEMAS, shape } from './gitlab-mr-shapes'

// GitLab publishes no complete OpenAPI description of these endpoints, so this is one written from
// its REST API docs: the documented parameters, and for each entity the documented fields the fake
// sends (no others: `additionalProperties: false`), with the ones Skein reads required. The merge
// request, approval and user endpoints are in gitlab-mr-shapes.ts; pipelines, jobs and discussions here.

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

const { str, nstr, int, nint, time, ntime, bool, object, ref, nullableRef, list, answer, body, page, id, iid } = shape
const status = { type: 'string', enum: GITLAB_STATUSES }
const scope = { name: 'scope', in: 'query', schema: { type: 'string', enum: GITLAB_STATUSES } }
const ok = (schema: unknown) => answer('200', schema)

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

// https://docs.gitlab.com/api/discussions/#list-all-merge-request-discussion-items: a note, with its diff position.
const lineCode = object(['line_code', 'type', 'old_line', 'new_line'], {
  line_code: str,
  type: { type: 'string', enum: ['new', 'old'], nullable: true },
  old_line: nint,
  new_line: nint
})
const note = {
  id: int,
  type: { type: 'string', enum: ['DiffNote', 'DiscussionNote'], nullable: true },
  body: str,
  attachment: nstr,
  author: ref('user'),
  created_at: time,
  updated_at: time,
  system: bool,
  noteable_id: int,
  noteable_type: { type: 'string', enum: ['MergeRequest'] },
  project_id: int,
  noteable_iid: nint,
  commit_id: nstr,
  position: object(
    ['base_sha', 'start_sha', 'head_sha', 'old_path', 'new_path', 'position_type', 'old_line', 'new_line'],
    {
      base_sha: nstr,
      start_sha: nstr,
      head_sha: str,
      old_path: str,
      new_path: str,
      position_type: { type: 'string', enum: ['text', 'image', 'file'] },
      old_line: nint,
      new_line: nint,
      line_range: object(['start', 'end'], { start: lineCode, end: lineCode }, true)
    },
    true
  ),
  resolvable: bool,
  resolved: bool,
  resolved_by: nullableRef('user'),
  resolved_at: ntime,
  suggestions: {
    type: 'array',
    items: object(['id', 'from_line', 'to_line', 'appliable', 'applied', 'from_content', 'to_content'], {
      id: int,
      from_line: int,
      to_line: int,
      appliable: bool,
      applied: bool,
      from_content: str,
      to_content: str
    })
  },
  confidential: bool,
  internal: bool
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
    // https://docs.gitlab.com/api/jobs/#list-pipeline-trigger-jobs (the `bridges` route, deprecated in 19.2)
    '/projects/{id}/pipelines/{pipeline_id}/bridges': {
      get: {
        parameters: [id, { name: 'pipeline_id', in: 'path', required: true, schema: int }, scope, ...page],
        responses: ok(list('bridge'))
      }
    },
    // The same list at its GitLab 19.2 name (gitlab-org/api/client-go!3134: ListPipelineTriggerJobs).
    '/projects/{id}/pipelines/{pipeline_id}/trigger_jobs': {
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
    // https://docs.gitlab.com/api/merge_requests/#list-merge-request-pipelines
    '/projects/{id}/merge_requests/{merge_request_iid}/pipelines': {
      get: {
        parameters: [id, iid, ...page],
        responses: ok(list('pipeline-basic'))
      }
    },
    ...GITLAB_MR_PATHS,
    // https://docs.gitlab.com/api/discussions/#list-all-merge-request-discussion-items
    '/projects/{id}/merge_requests/{merge_request_iid}/discussions': {
      get: { parameters: [id, iid, ...page], responses: ok(list('discussion')) }
    },
    // https://docs.gitlab.com/api/discussions/#add-note-to-a-merge-request-thread
    '/projects/{id}/merge_requests/{merge_request_iid}/discussions/{discussion_id}/notes': {
      post: {
        parameters: [id, iid, { name: 'discussion_id', in: 'path', required: true, schema: str }],
        requestBody: body(object(['body'], { body: str, created_at: str })),
        responses: answer('201', ref('note'))
      }
    },
    // https://docs.gitlab.com/api/discussions/#resolve-a-merge-request-thread
    '/projects/{id}/merge_requests/{merge_request_iid}/discussions/{discussion_id}': {
      put: {
        parameters: [
          id,
          iid,
          { name: 'discussion_id', in: 'path', required: true, schema: str },
          { name: 'resolved', in: 'query', required: true, schema: bool }
        ],
        responses: ok(ref('discussion'))
      }
    }
  },
  components: {
    schemas: {
      error: { type: 'object', required: ['message'], properties: { message: {} } },
      'pipeline-basic': object(['id', 'sha', 'ref', 'status'], pipelineBasic),
      // A merge request's `head_pipeline` (https://docs.gitlab.com/api/merge_requests/#retrieve-a-merge-request)
      pipeline: object(['id', 'sha', 'ref', 'status'], {
        ...pipelineBasic,
        before_sha: str,
        tag: bool,
        yaml_errors: nstr,
        user: ref('user'),
        started_at: ntime,
        finished_at: ntime,
        committed_at: ntime,
        duration: { type: 'integer', nullable: true },
        queued_duration: { type: 'integer', nullable: true },
        coverage: { type: 'number', nullable: true },
        detailed_status: { type: 'object' }
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
      ...GITLAB_MR_SCHEMAS,
      discussion: object(['id', 'individual_note', 'notes'], { id: str, individual_note: bool, notes: list('note') }),
      note: object(
        ['id', 'type', 'body', 'author', 'created_at', 'updated_at', 'system', 'noteable_id', 'noteable_type', 'project_id', 'resolvable'],
        note
      )
    }
  }
}

let checker: ApiChecker | null = null

/** The checker for the fake GitLab, against the documented shapes above. */
export function gitlabApiChecker(): ApiChecker {
  checker ??= new ApiChecker(GITLAB_SHAPES, { name: 'GitLab', errorSchema: '#/components/schemas/error' })
  return checker
}
