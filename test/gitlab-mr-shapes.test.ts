// GitLab's documented merge request and discussion shapes, as the fake GitLab applies them: what the fake
// answers passes, and a missing field, an undocumented one, an unknown status or request attribute is caught.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mergeRequestBody, mergeRequestDetail, userBody, type FakePipeline, type MrFields } from './helpers/fake-gitlab-bodies'
import { FakeGitlab } from './helpers/fake-gitlab'
import { FakeGitlabMrs } from './helpers/fake-gitlab-mrs'
import { FakeGitlabThreads } from './helpers/fake-gitlab-threads'
import { gitlabApiChecker } from './helpers/gitlab-shapes'

const BASE = 'https://gitlab.example.org'
const SHA = 'c'.repeat(40)
const mr: MrFields = {
  path: 'group/repo',
  iid: 4,
  title: 'Add the anvil',
  description: 'Why and how',
  state: 'opened',
  sourceBranch: 'skein/anvil',
  targetBranch: 'main',
  sha: SHA,
  labels: ['tools'],
  reviewers: [{ id: 11, username: 'alice' }],
  draft: false,
  detailedMergeStatus: 'mergeable',
  autoMerge: false,
  createdAt: '2024-05-01T10:00:00.000Z',
  updatedAt: '2024-05-01T10:05:00.000Z'
}
const pipeline: FakePipeline = { id: 9, ref: 'refs/merge-requests/4/head', sha: SHA, status: 'running', jobs: [] }

/** One exchange as the checker sees it. */
function exchange(method: string, path: string, status: number, body: unknown, requestBody?: unknown) {
  const u = new URL(path, BASE)
  return gitlabApiChecker().check({
    method,
    path: u.pathname,
    query: u.searchParams,
    conditional: false,
    status,
    body: JSON.stringify(body),
    requestBody: requestBody === undefined ? '' : JSON.stringify(requestBody)
  })
}

describe("GitLab's merge request shapes", () => {
  const detail = mergeRequestDetail(BASE, mr, { head: pipeline, baseSha: 'b'.repeat(40) })

  it('accepts the merge requests the fake answers with, listed, read, created and merged', () => {
    expect(
      exchange('GET', '/projects/group%2Frepo/merge_requests?source_branch=x&state=opened&per_page=20', 200, [mergeRequestBody(BASE, mr)])
    ).toEqual([])
    expect(exchange('GET', '/projects/group%2Frepo/merge_requests/4', 200, detail)).toEqual([])
    const merged = mergeRequestDetail(BASE, { ...mr, state: 'merged' }, { baseSha: 'b'.repeat(40) })
    expect(exchange('PUT', '/projects/group%2Frepo/merge_requests/4/merge', 200, merged, { sha: SHA, squash: true })).toEqual([])
    const create = { source_branch: 'skein/anvil', target_branch: 'main', title: 'Add', labels: 'a,b', reviewer_ids: [11] }
    expect(exchange('POST', '/projects/group%2Frepo/merge_requests', 201, detail, create)).toEqual([])
    expect(exchange('GET', '/users?username=alice', 200, [userBody(BASE, 'alice', 11)])).toEqual([])
  })

  it('catches a merge request without its iid, an undocumented field or status, and an unknown state asked for', () => {
    const { iid: _, ...noIid } = detail
    expect(exchange('GET', '/projects/group%2Frepo/merge_requests/4', 200, noIid)).toContainEqual(
      expect.stringContaining("must have required property 'iid'")
    )
    expect(exchange('GET', '/projects/group%2Frepo/merge_requests/4', 200, { ...detail, mergeable: true })).toContainEqual(
      expect.stringContaining('(mergeable)')
    )
    expect(exchange('GET', '/projects/group%2Frepo/merge_requests/4', 200, { ...detail, detailed_merge_status: 'clean' })).toContainEqual(
      expect.stringContaining('/detailed_merge_status must be equal to one of the allowed values')
    )
    // A list answer lacks head_pipeline, so it is no single merge request.
    expect(exchange('GET', '/projects/group%2Frepo/merge_requests/4', 200, mergeRequestBody(BASE, mr))).toContainEqual(
      expect.stringContaining("required property 'head_pipeline'")
    )
    expect(exchange('GET', '/projects/group%2Frepo/merge_requests?state=open', 200, [])).toContainEqual(
      expect.stringContaining('query parameter state must be equal to one of the allowed values')
    )
    // `approved` is not among the documented attributes of the approval state.
    const approvals = {
      id: 1,
      iid: 4,
      project_id: 1,
      state: 'opened',
      merge_status: 'can_be_merged',
      approvals_required: 0,
      approvals_left: 0
    }
    expect(
      exchange('GET', '/projects/group%2Frepo/merge_requests/4/approvals', 200, { ...approvals, approved_by: [], approved: true })
    ).toEqual([expect.stringContaining('(approved)')])
  })

  it('catches request bodies with undocumented attributes or without the required ones', () => {
    const detail409 = { message: ['Another open merge request already exists for this source branch: !4'] }
    expect(exchange('POST', '/projects/g%2Fr/merge_requests', 409, detail409, { source_branch: 'a', target_branch: 'main' })).toEqual([
      expect.stringContaining("the request body must have required property 'title'")
    ])
    expect(
      exchange('PUT', '/projects/g%2Fr/merge_requests/4/merge', 405, { message: '405 Method Not Allowed' }, { merge_method: 'squash' })
    ).toEqual([expect.stringContaining('the request body must NOT have additional properties (merge_method)')])
    expect(
      exchange('POST', '/projects/g%2Fr/merge_requests/4/discussions/ab12/notes', 400, { message: 'body is missing' }, { note: 'x' })
    ).toContainEqual(expect.stringContaining("the request body must have required property 'body'"))
    expect(exchange('PUT', '/projects/g%2Fr/merge_requests/4/discussions/ab12', 400, { message: 'resolved is missing' })).toEqual([
      expect.stringContaining('query parameter resolved is required')
    ])
  })
})

describe('the fake GitLab, checking what it is sent', () => {
  let gl: FakeGitlab
  let mrs: FakeGitlabMrs
  let threads: FakeGitlabThreads
  beforeAll(async () => {
    gl = await FakeGitlab.start()
    mrs = FakeGitlabMrs.attach(gl)
    threads = FakeGitlabThreads.attach(gl)
    mrs.setRemote('group/repo', '/nonexistent/repo.git')
  })
  afterAll(() => gl.close())
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${gl.baseUrl}/api/v4${path}`, {
      method,
      headers: { 'private-token': gl.token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })

  it('records a request with an unknown attribute, and one without a required parameter', async () => {
    const made = await send('POST', '/projects/group%2Frepo/merge_requests', {
      source_branch: 'a',
      target_branch: 'main',
      title: 'A',
      assignee_usernames: ['alice']
    })
    expect(made.status).toBe(400)
    const d = threads.discuss('group/repo', { iid: 1, file: 'a.ts', newLine: 3, headSha: SHA, author: 'bob', body: 'Why?' })
    expect((await send('PUT', `/projects/group%2Frepo/merge_requests/1/discussions/${d.id}`)).status).toBe(400)
    expect((await send('GET', '/projects/group%2Frepo/merge_requests/1/discussions?per_page=100')).status).toBe(200)
    expect(gl.violations.splice(0)).toEqual([
      expect.stringMatching(/POST .*merge_requests → 400: the request body must NOT have additional properties \(assignee_usernames\)/),
      expect.stringMatching(/PUT .*discussions\/\w+ → 400: query parameter resolved is required/)
    ])
  })
})
