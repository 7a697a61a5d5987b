// Bodies of the fake GitHub, complete as GitHub's OpenAPI description requires (test/fixtures/github-openapi.json),
// including the many fields Skein never reads, so the fake cannot drift from what the real API sends.

const T0 = '2024-05-01T09:00:00Z'

/** A user or organisation (`simple-user`). */
export function simpleUser(api: string, login: string, id: number): Record<string, unknown> {
  const web = `https://github.com/${login}`
  const url = `${api}/users/${login}`
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: web,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'Organization',
    site_admin: false
  }
}

/** A repository as embedded in other answers (`minimal-repository`). */
export function minimalRepository(api: string, fullName: string, id: number): Record<string, unknown> {
  const [owner, name] = fullName.split('/') as [string, string]
  const url = `${api}/repos/${fullName}`
  const u = (path: string) => `${url}/${path}`
  return {
    id,
    node_id: `R_${id}`,
    name,
    full_name: fullName,
    owner: simpleUser(api, owner, 1000 + id),
    private: true,
    html_url: `https://github.com/${fullName}`,
    description: null,
    fork: false,
    url,
    archive_url: u('{archive_format}{/ref}'),
    assignees_url: u('assignees{/user}'),
    blobs_url: u('git/blobs{/sha}'),
    branches_url: u('branches{/branch}'),
    collaborators_url: u('collaborators{/collaborator}'),
    comments_url: u('comments{/number}'),
    commits_url: u('commits{/sha}'),
    compare_url: u('compare/{base}...{head}'),
    contents_url: u('contents/{+path}'),
    contributors_url: u('contributors'),
    deployments_url: u('deployments'),
    downloads_url: u('downloads'),
    events_url: u('events'),
    forks_url: u('forks'),
    git_commits_url: u('git/commits{/sha}'),
    git_refs_url: u('git/refs{/sha}'),
    git_tags_url: u('git/tags{/sha}'),
    hooks_url: u('hooks'),
    issue_comment_url: u('issues/comments{/number}'),
    issue_events_url: u('issues/events{/number}'),
    issues_url: u('issues{/number}'),
    keys_url: u('keys{/key_id}'),
    labels_url: u('labels{/name}'),
    languages_url: u('languages'),
    merges_url: u('merges'),
    milestones_url: u('milestones{/number}'),
    notifications_url: u('notifications{?since,all,participating}'),
    pulls_url: u('pulls{/number}'),
    releases_url: u('releases{/id}'),
    stargazers_url: u('stargazers'),
    statuses_url: u('statuses/{sha}'),
    subscribers_url: u('subscribers'),
    subscription_url: u('subscription'),
    tags_url: u('tags'),
    teams_url: u('teams'),
    trees_url: u('git/trees{/sha}')
  }
}

/** `GET /repos/{owner}/{repo}` (`full-repository`). */
export function fullRepository(api: string, fullName: string, id: number): Record<string, unknown> {
  return {
    ...minimalRepository(api, fullName, id),
    clone_url: `https://github.com/${fullName}.git`,
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    svn_url: `https://github.com/${fullName}`,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    default_branch: 'main',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    size: 120,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'private',
    license: null,
    pushed_at: T0,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: T0,
    network_count: 0,
    subscribers_count: 1
  }
}

/** The app that made a check run (`nullable-integration`); `github-actions` runs Actions jobs. */
export function checkApp(api: string, slug: string): Record<string, unknown> {
  const actions = slug === 'github-actions'
  const id = actions ? 15368 : 18001
  return {
    id,
    slug,
    node_id: `A_${id}`,
    client_id: `Iv1.${id}`,
    owner: simpleUser(api, actions ? 'github' : slug, actions ? 9919 : 4000),
    name: actions ? 'GitHub Actions' : slug,
    description: actions ? 'Automate your workflow from idea to production' : null,
    external_url: actions ? 'https://help.github.com/en/actions' : `https://${slug}.example`,
    html_url: `https://github.com/apps/${slug}`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: { actions: 'write', checks: 'write', contents: 'write', metadata: 'read', statuses: 'write' },
    events: ['check_run', 'check_suite', 'push', 'workflow_dispatch']
  }
}

/** A check run (`check-run`). */
export function checkRunBody(
  api: string,
  fullName: string,
  sha: string,
  r: {
    id: number
    name: string
    status: string
    conclusion: string | null
    started_at?: string | null
    completed_at?: string | null
    app?: string
  }
): Record<string, unknown> {
  const job = `https://github.com/${fullName}/actions/runs/1/job/${r.id}`
  return {
    id: r.id,
    head_sha: sha,
    node_id: `CR_${r.id}`,
    external_id: '',
    url: `${api}/repos/${fullName}/check-runs/${r.id}`,
    html_url: job,
    details_url: job,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.started_at ?? null,
    completed_at: r.completed_at ?? null,
    output: {
      title: null,
      summary: null,
      text: null,
      annotations_count: 0,
      annotations_url: `${api}/repos/${fullName}/check-runs/${r.id}/annotations`
    },
    name: r.name,
    check_suite: { id: 5 },
    app: checkApp(api, r.app ?? 'github-actions'),
    pull_requests: []
  }
}

/** One context of a combined status (`simple-commit-status`). */
export function commitStatusBody(
  api: string,
  fullName: string,
  sha: string,
  s: { context: string; state: string; description?: string | null; target_url?: string | null },
  id: number,
  at: number
): Record<string, unknown> {
  return {
    url: `${api}/repos/${fullName}/statuses/${sha}`,
    avatar_url: 'https://avatars.githubusercontent.com/oa/4808?v=4',
    id,
    node_id: `SC_${id}`,
    state: s.state,
    description: s.description ?? null,
    target_url: s.target_url ?? null,
    context: s.context,
    created_at: new Date(at - 60_000).toISOString(),
    updated_at: new Date(at).toISOString()
  }
}

/** GitHub's error body (`basic-error`). */
export const errorBody = (message: string, status: number, docs = 'https://docs.github.com/rest'): string =>
  JSON.stringify({ message, documentation_url: docs, status: String(status) })

/** A person (`simple-user` of type User). */
export const userBody = (api: string, login: string): Record<string, unknown> => ({
  ...simpleUser(api, login, 5000 + [...login].reduce((n, c) => n + c.charCodeAt(0), 0)),
  type: 'User'
})

/** A repository as a pull request's head and base carry it (`repository`). */
export const repositoryBody = (api: string, fullName: string, id: number): Record<string, unknown> => ({
  ...fullRepository(api, fullName, id),
  has_downloads: true
})

/** A label (`label`). */
export const labelBody = (api: string, fullName: string, name: string, id: number): Record<string, unknown> => ({
  id,
  node_id: `LA_${id}`,
  url: `${api}/repos/${fullName}/labels/${encodeURIComponent(name)}`,
  name,
  description: '',
  color: 'ededed',
  default: false
})

/** A team asked to review (`team-simple`). */
export const teamBody = (api: string, slug: string, id: number): Record<string, unknown> => ({
  id,
  node_id: `T_${id}`,
  url: `${api}/teams/${id}`,
  members_url: `${api}/teams/${id}/members{/member}`,
  name: slug,
  description: null,
  permission: 'pull',
  html_url: `https://github.com/orgs/acme/teams/${slug}`,
  repositories_url: `${api}/teams/${id}/repos`,
  slug,
  type: 'team'
})

/** What a pull request body is made from. */
export interface PullShape {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  draft: boolean
  merged: boolean
  head: { ref: string; sha: string }
  base: { ref: string; sha: string }
  labels: string[]
  requestedReviewers: string[]
  requestedTeams: string[]
  createdAt: number
  updatedAt: number
  /** null while GitHub works it out. */
  mergeable: boolean | null
  mergeableState: string
  /** GitHub's auto-merge, when it is on. */
  autoMerge?: { method: string; enabledBy: string } | null
}

/** A pull request: `pull-request-simple` as lists give it, `pull-request` (mergeability and counts too) as a read, create or review request gives it. */
export function pullRequestBody(api: string, fullName: string, p: PullShape, full: boolean): Record<string, unknown> {
  const owner = fullName.split('/')[0]!
  const url = `${api}/repos/${fullName}/pulls/${p.number}`
  const issue = `${api}/repos/${fullName}/issues/${p.number}`
  const html = `https://github.com/${fullName}/pull/${p.number}`
  const iso = (ms: number) => new Date(ms).toISOString()
  const closedAt = p.state === 'closed' ? iso(p.updatedAt) : null
  const side = (s: { ref: string; sha: string }) => ({
    label: `${owner}:${s.ref}`,
    ref: s.ref,
    sha: s.sha,
    user: simpleUser(api, owner, 1001),
    repo: repositoryBody(api, fullName, 1)
  })
  const link = (href: string) => ({ href })
  return {
    url,
    id: p.number * 1000,
    node_id: `PR_${p.number}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/repos/${fullName}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api}/repos/${fullName}/statuses/${p.head.sha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: userBody(api, 'skein-user'),
    body: p.body,
    labels: p.labels.map((name, i) => labelBody(api, fullName, name, i + 1)),
    milestone: null,
    active_lock_reason: null,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
    closed_at: closedAt,
    merged_at: p.merged ? closedAt : null,
    merge_commit_sha: p.merged ? 'f'.repeat(40) : null,
    assignee: null,
    assignees: [],
    requested_reviewers: p.requestedReviewers.map((u) => userBody(api, u)),
    requested_teams: p.requestedTeams.map((slug, i) => teamBody(api, slug, i + 1)),
    head: side(p.head),
    base: side(p.base),
    _links: {
      self: link(url),
      html: link(html),
      issue: link(issue),
      comments: link(`${issue}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${api}/repos/${fullName}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${api}/repos/${fullName}/statuses/${p.head.sha}`)
    },
    author_association: 'OWNER',
    auto_merge: p.autoMerge
      ? { enabled_by: userBody(api, p.autoMerge.enabledBy), merge_method: p.autoMerge.method, commit_title: '', commit_message: '' }
      : null,
    draft: p.draft,
    ...(full
      ? {
          merged: p.merged,
          mergeable: p.mergeable,
          rebaseable: p.mergeable,
          mergeable_state: p.mergeableState,
          merged_by: p.merged ? userBody(api, 'skein-user') : null,
          comments: 0,
          review_comments: 0,
          maintainer_can_modify: false,
          commits: 1,
          additions: 1,
          deletions: 0,
          changed_files: 1
        }
      : {})
  }
}

/** A review (`pull-request-review`). */
export function pullReviewBody(
  api: string,
  fullName: string,
  number: number,
  r: { id: number; user: string; state: string; at: number; commit: string }
): Record<string, unknown> {
  const html = `https://github.com/${fullName}/pull/${number}#pullrequestreview-${r.id}`
  const pr = `${api}/repos/${fullName}/pulls/${number}`
  return {
    id: r.id,
    node_id: `PRR_${r.id}`,
    user: userBody(api, r.user),
    body: '',
    state: r.state,
    html_url: html,
    pull_request_url: pr,
    author_association: 'COLLABORATOR',
    _links: { html: { href: html }, pull_request: { href: pr } },
    submitted_at: new Date(r.at).toISOString(),
    commit_id: r.commit
  }
}
