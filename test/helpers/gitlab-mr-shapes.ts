// GitLab's merge request, approval and user endpoints as its REST API docs describe them
// (doc/api/merge_requests.md, merge_request_approvals.md and users.md of gitlab-org/gitlab,
// as of GitLab 19.1; published at https://docs.gitlab.com/api/), in OpenAPI 3.0 form. Each entity lists the
// documented fields the fake sends (`additionalProperties: false`); the ones Skein reads and the
// documented core are required. Request bodies list the documented attributes, so an unknown one is caught.

/** OpenAPI schema building blocks shared by the GitLab shapes. */
export const shape = {
  str: { type: 'string' },
  nstr: { type: 'string', nullable: true },
  int: { type: 'integer' },
  nint: { type: 'integer', nullable: true },
  bool: { type: 'boolean' },
  nbool: { type: 'boolean', nullable: true },
  time: { type: 'string', format: 'date-time' },
  ntime: { type: 'string', format: 'date-time', nullable: true },
  /** An object with exactly these properties, the `required` ones present. */
  object: (required: string[], properties: Record<string, unknown>, nullable = false) => ({
    type: 'object',
    required,
    properties,
    additionalProperties: false,
    ...(nullable ? { nullable: true } : {})
  }),
  /** A reference to a schema of the document. */
  ref: (name: string) => ({ $ref: `#/components/schemas/${name}` }),
  /** A reference to a schema of the document, or null. */
  nullableRef: (name: string) => ({ anyOf: [shape.ref(name), { type: 'null' }] }),
  /** A list of a schema of the document. */
  list: (name: string) => ({ type: 'array', items: shape.ref(name) }),
  /** A JSON answer with this status. */
  answer: (status: string, schema: unknown) => ({ [status]: { description: status, content: { 'application/json': { schema } } } }),
  /** A JSON request body. */
  body: (schema: unknown, required = true) => ({ required, content: { 'application/json': { schema } } }),
  page: [
    { name: 'page', in: 'query', schema: { type: 'integer' } },
    { name: 'per_page', in: 'query', schema: { type: 'integer', maximum: 100 } }
  ],
  id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
  iid: { name: 'merge_request_iid', in: 'path', required: true, schema: { type: 'integer' } }
}
const { str, nstr, int, nint, bool, nbool, time, ntime, object, ref, nullableRef, list, answer, body, page, id, iid } = shape
const query = (name: string, schema: unknown) => ({ name, in: 'query', schema })

/** Every `detailed_merge_status` merge_requests.md lists under "Merge status". */
export const GITLAB_DETAILED_MERGE_STATUSES = [
  'approvals_syncing',
  'checking',
  'ci_must_pass',
  'ci_still_running',
  'commits_status',
  'conflict',
  'discussions_not_resolved',
  'draft_status',
  'jira_association_missing',
  'mergeable',
  'merge_request_blocked',
  'merge_time',
  'need_rebase',
  'not_approved',
  'not_open',
  'preparing',
  'requested_changes',
  'security_policy_pipeline_check',
  'security_policy_violations',
  'status_checks_must_pass',
  'unchecked',
  'locked_paths',
  'locked_lfs_files',
  'title_regex'
]
/** The deprecated `merge_status` values merge_requests.md lists. */
export const GITLAB_MERGE_STATUSES = ['unchecked', 'checking', 'can_be_merged', 'cannot_be_merged', 'cannot_be_merged_recheck']
const MR_STATES = ['opened', 'closed', 'locked', 'merged']

// The merge request attributes Skein reads and the documented core every merge request carries.
const MR_REQUIRED = [
  'id',
  'iid',
  'project_id',
  'title',
  'description',
  'state',
  'created_at',
  'updated_at',
  'merged_at',
  'closed_at',
  'target_branch',
  'source_branch',
  'author',
  'draft',
  'work_in_progress',
  'merge_status',
  'detailed_merge_status',
  'sha',
  'merge_commit_sha',
  'squash_commit_sha',
  'web_url',
  'references',
  'labels',
  'reviewers',
  'merge_when_pipeline_succeeds',
  'has_conflicts',
  'blocking_discussions_resolved',
  'user_notes_count'
]

// "List project merge requests": the response attributes.
const mergeRequest = {
  id: int,
  iid: int,
  project_id: int,
  title: str,
  description: nstr,
  state: { type: 'string', enum: MR_STATES },
  imported: bool,
  imported_from: str,
  merged_by: nullableRef('user'),
  merge_user: nullableRef('user'),
  merged_at: ntime,
  merge_after: ntime,
  prepared_at: ntime,
  closed_by: nullableRef('user'),
  closed_at: ntime,
  created_at: time,
  updated_at: time,
  target_branch: str,
  source_branch: str,
  upvotes: int,
  downvotes: int,
  author: ref('user'),
  assignee: nullableRef('user'),
  assignees: list('user'),
  reviewers: list('user'),
  source_project_id: int,
  target_project_id: int,
  labels: { type: 'array', items: str },
  draft: bool,
  work_in_progress: bool,
  milestone: nullableRef('milestone'),
  merge_when_pipeline_succeeds: bool,
  merge_status: { type: 'string', enum: GITLAB_MERGE_STATUSES },
  detailed_merge_status: { type: 'string', enum: GITLAB_DETAILED_MERGE_STATUSES },
  // The blocked merge request example answers `"sha": null` for a merged one.
  sha: nstr,
  merge_commit_sha: nstr,
  squash_commit_sha: nstr,
  user_notes_count: int,
  discussion_locked: nbool,
  should_remove_source_branch: nbool,
  force_remove_source_branch: nbool,
  allow_collaboration: bool,
  allow_maintainer_to_push: bool,
  web_url: str,
  reference: str,
  references: object(['short', 'relative', 'full'], { short: str, relative: str, full: str }),
  time_stats: object(['time_estimate', 'total_time_spent', 'human_time_estimate', 'human_total_time_spent'], {
    time_estimate: int,
    total_time_spent: int,
    human_time_estimate: nstr,
    human_total_time_spent: nstr
  }),
  squash: bool,
  squash_on_merge: bool,
  task_completion_status: object(['count', 'completed_count'], { count: int, completed_count: int }),
  has_conflicts: bool,
  blocking_discussions_resolved: bool,
  approvals_before_merge: nint
}

// "Retrieve a merge request": the list's attributes and these (also the answer to create, merge and cancel auto-merge).
const mergeRequestDetail = {
  ...mergeRequest,
  subscribed: bool,
  changes_count: nstr,
  latest_build_started_at: ntime,
  latest_build_finished_at: ntime,
  first_deployed_to_production_at: ntime,
  pipeline: nullableRef('pipeline-basic'),
  head_pipeline: nullableRef('pipeline'),
  diff_refs: object(['base_sha', 'head_sha', 'start_sha'], { base_sha: nstr, head_sha: nstr, start_sha: nstr }, true),
  merge_error: nstr,
  first_contribution: bool,
  user: object(['can_merge'], { can_merge: bool }),
  diverged_commits_count: int,
  rebase_in_progress: bool
}

/** The documented merge request, approval and user operations, by path (relative to /api/v4). */
export const GITLAB_MR_PATHS: Record<string, Record<string, unknown>> = {
  // merge_requests.md, "List project merge requests" and "Create a merge request"
  '/projects/{id}/merge_requests': {
    get: {
      parameters: [
        id,
        query('state', { type: 'string', enum: [...MR_STATES, 'all'] }),
        query('source_branch', str),
        query('target_branch', str),
        query('labels', str),
        query('search', str),
        query('scope', { type: 'string', enum: ['created_by_me', 'assigned_to_me', 'reviews_for_me', 'all'] }),
        query('draft', bool),
        query('with_merge_status_recheck', bool),
        query('order_by', {
          type: 'string',
          enum: ['created_at', 'updated_at', 'merged_at', 'label_priority', 'priority', 'milestone_due', 'popularity', 'title']
        }),
        query('sort', { type: 'string', enum: ['asc', 'desc'] }),
        ...page
      ],
      responses: answer('200', list('merge-request'))
    },
    post: {
      parameters: [id],
      requestBody: body(
        object(['source_branch', 'target_branch', 'title'], {
          source_branch: str,
          target_branch: str,
          title: str,
          allow_collaboration: bool,
          allow_maintainer_to_push: bool,
          approvals_before_merge: int,
          assignee_id: int,
          assignee_ids: { type: 'array', items: int },
          description: { type: 'string', maxLength: 1048576 },
          labels: str,
          merge_after: str,
          milestone_id: int,
          milestone: str,
          remove_source_branch: bool,
          reviewer_ids: { type: 'array', items: int },
          squash: bool,
          target_project_id: int
        })
      ),
      responses: answer('201', ref('merge-request-detail'))
    }
  },
  // merge_requests.md, "Retrieve a merge request"
  '/projects/{id}/merge_requests/{merge_request_iid}': {
    get: {
      parameters: [
        id,
        iid,
        query('include_diverged_commits_count', bool),
        query('include_rebase_in_progress', bool),
        query('render_html', bool)
      ],
      responses: answer('200', ref('merge-request-detail'))
    }
  },
  // merge_requests.md, "Merge a merge request" (`merge_when_pipeline_succeeds` deprecated in 17.11 for `auto_merge`)
  '/projects/{id}/merge_requests/{merge_request_iid}/merge': {
    put: {
      parameters: [id, iid],
      requestBody: body(
        object([], {
          auto_merge: bool,
          merge_commit_message: str,
          merge_when_pipeline_succeeds: bool,
          sha: str,
          should_remove_source_branch: bool,
          squash_commit_message: str,
          squash: bool
        }),
        false
      ),
      responses: answer('200', ref('merge-request-detail'))
    }
  },
  // merge_requests.md, "Cancel merge when pipeline succeeds"
  '/projects/{id}/merge_requests/{merge_request_iid}/cancel_merge_when_pipeline_succeeds': {
    post: { parameters: [id, iid], responses: answer('201', ref('merge-request-detail')) }
  },
  // merge_request_approvals.md, "Retrieve approval state for a merge request"
  '/projects/{id}/merge_requests/{merge_request_iid}/approvals': {
    get: { parameters: [id, iid], responses: answer('200', ref('approvals')) }
  },
  // users.md, "List all users" as a regular user (`username` looks one up)
  '/users': {
    get: {
      parameters: [
        query('username', str),
        query('public_email', str),
        query('search', str),
        query('active', bool),
        query('humans', bool),
        query('exclude_internal', bool),
        query('without_project_bots', bool),
        ...page
      ],
      responses: answer('200', list('user'))
    }
  }
}

/** The documented entities of those operations, by schema name. */
export const GITLAB_MR_SCHEMAS: Record<string, unknown> = {
  // A user as merge requests, notes and users.md's list answer it.
  user: object(['id', 'username', 'name', 'state', 'avatar_url', 'web_url'], {
    id: int,
    username: str,
    name: str,
    state: { type: 'string', enum: ['active', 'blocked', 'deactivated'] },
    locked: bool,
    avatar_url: nstr,
    web_url: str,
    public_email: nstr
  }),
  milestone: object(['id', 'iid', 'title', 'state', 'web_url'], {
    id: int,
    iid: int,
    project_id: int,
    group_id: int,
    title: str,
    description: nstr,
    state: str,
    created_at: time,
    updated_at: time,
    due_date: nstr,
    start_date: nstr,
    expired: bool,
    web_url: str
  }),
  'merge-request': object(MR_REQUIRED, mergeRequest),
  'merge-request-detail': object([...MR_REQUIRED, 'head_pipeline', 'diff_refs'], mergeRequestDetail),
  approvals: object(['id', 'iid', 'project_id', 'state', 'merge_status', 'approvals_required', 'approvals_left', 'approved_by'], {
    id: int,
    iid: int,
    project_id: int,
    title: str,
    description: nstr,
    state: { type: 'string', enum: MR_STATES },
    created_at: time,
    updated_at: time,
    merge_status: { type: 'string', enum: GITLAB_MERGE_STATUSES },
    approvals_required: int,
    approvals_left: int,
    approved_by: { type: 'array', items: object(['user'], { user: ref('user'), approved_at: time }) }
  })
}
