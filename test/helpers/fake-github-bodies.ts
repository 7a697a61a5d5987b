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
