// Merge requests on a self-hosted GitLab (the fake, on loopback) through gitbeaker on Skein's transport.
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'
import { FakeGitlab } from './helpers/fake-gitlab'
import { FakeGitlabMrs } from './helpers/fake-gitlab-mrs'
import { prRig } from './helpers/pr-rig'

let gl: FakeGitlab
let mrs: FakeGitlabMrs
beforeAll(async () => {
  gl = await FakeGitlab.start()
  mrs = FakeGitlabMrs.attach(gl)
})
afterAll(() => gl.close())
afterEach(async () => {
  gl.retryAfter = null
  mrs.failNext = []
  await cleanupTemp()
  // Every request Skein sent and every answer the fake gave must match GitLab's documented shapes.
  expect(gl.violations.splice(0)).toEqual([])
})

function rig(name: string) {
  const path = `tools/sub/${name}`
  const r = prRig({ name, remote: `git@gitlab.example.org:${path}.git`, baseUrl: gl.baseUrl, token: gl.token })
  mrs.setRemote(path, r.bare)
  return { ...r, path }
}

const calls = (path: string) => gl.requests.filter((q) => q.path.startsWith(`/api/v4/projects/${encodeURIComponent(path)}/merge_requests`))

describe('merge requests on GitLab', () => {
  it('pushes and opens one with reviewers (looked up by name), labels and draft, then follows approvals and merges it', async () => {
    const r = rig('anvil')
    r.commit('a.ts', '1\n')
    const draft = await r.actions.draft(r.thread.id)
    expect(draft.ok && draft.value).toMatchObject({ provider: 'gitlab', canCreate: true, base: 'main', commits: 1 })
    const created = await r.actions.create(r.thread.id, {
      title: 'Sharpen the anvil',
      body: 'Why and how',
      draft: true,
      reviewers: ['alice', 'nobody'],
      labels: ['tools', 'backend']
    })
    expect(created.ok).toBe(true)
    if (!created.ok) return
    expect(created.value.warnings).toEqual(['GitLab has no user nobody, so no review was asked of them.'])
    const post = mrs.writes.find((w) => w.method === 'POST')!
    expect(post.body).toEqual({
      source_branch: r.thread.branch,
      target_branch: 'main',
      title: 'Draft: Sharpen the anvil',
      description: 'Why and how',
      labels: 'tools,backend',
      reviewer_ids: [11]
    })
    expect(git(r.bare, 'rev-parse', `refs/heads/${r.thread.branch}`)).toBe(git(r.thread.worktreePath, 'rev-parse', 'HEAD'))
    expect(created.value.status).toMatchObject({
      provider: 'gitlab',
      state: 'draft',
      number: 1,
      url: `${gl.baseUrl}/tools/sub/anvil/-/merge_requests/1`,
      labels: ['tools', 'backend'],
      review: { decision: 'review-required', requested: ['alice'] }
    })

    // Ready, approvals required: blocked until alice approves, then mergeable and approved.
    const mr = mrs.mr(r.path, 1)!
    mr.title = 'Sharpen the anvil'
    mr.approvalsRequired = 1
    mrs.setStatus(r.path, 1, 'not_approved')
    await r.tick()
    await r.tick()
    expect(r.updates.at(-1)).toMatchObject({
      state: 'open',
      mergeability: 'blocked',
      mergeabilityDetail: 'approvals are missing',
      review: { decision: 'review-required' }
    })
    mrs.approve(r.path, 1, 'alice')
    await r.tick()
    await r.tick()
    expect(r.updates.at(-1)).toMatchObject({
      mergeability: 'mergeable',
      review: { decision: 'approved', approvedBy: ['alice'], requested: [] }
    })
    expect(calls(r.path).some((q) => q.status === 304)).toBe(true)

    // A create for a branch that has one: GitLab's 409 leads back to it, never a second.
    const again = await r.actions.create(r.thread.id, { title: 'Again', body: '', draft: false, reviewers: [], labels: [] })
    expect(again.ok && again.value).toMatchObject({ existed: true, status: { number: 1 } })
    expect(mrs.projects.get(r.path)!.mrs.length).toBe(1)

    const merged = await r.actions.merge(r.thread.id, { method: 'squash' })
    expect(merged.ok && merged.value.state).toBe('merged')
    expect(mrs.writes.find((w) => w.method === 'PUT')?.body).toEqual({ sha: mr.sha, squash: true })
  })

  it('finds a merge request opened on GitLab; backs off a 429 until Retry-After; retries a 5xx, then reports it', async () => {
    const r = rig('bellows')
    r.commit('b.ts', '1\n')
    const sha = r.push()
    mrs.projects.get(r.path)!.mrs.push({
      iid: 7,
      title: 'Pump the bellows',
      description: '',
      state: 'opened',
      sourceBranch: r.thread.branch!,
      targetBranch: 'main',
      sha,
      labels: [],
      reviewerIds: [],
      detailedMergeStatus: 'conflict',
      computed: true,
      approvalsRequired: 0,
      approvedBy: [],
      updatedAt: Date.now()
    })
    r.ci({ commit: sha })
    await r.service.whenIdle()
    expect(r.updates.at(-1)).toMatchObject({ number: 7, provider: 'gitlab', mergeability: 'conflicts' })

    gl.retryAfter = 90
    await r.tick()
    expect(r.updates.at(-1)?.problem?.kind).toBe('rate-limited')
    expect(r.updates.at(-1)?.rateLimitedUntil).toBe(r.clock.now() + 90_000)
    expect(r.clock.nextAt()).toBeGreaterThanOrEqual(r.clock.now() + 90_000)
    const sent = gl.requests.length
    await r.service.refresh(r.thread.id)
    expect(gl.requests.length).toBe(sent)
    gl.retryAfter = null

    mrs.failNext.push({ status: 502, times: 2, match: /^GET .*merge_requests\/7$/ })
    await r.tick()
    expect(r.updates.at(-1)?.problem).toBeNull()
    expect(
      calls(r.path)
        .filter((q) => q.path.endsWith('/merge_requests/7'))
        .slice(-3)
        .map((q) => q.status)
    ).toEqual([502, 502, 304])
    mrs.failNext.push({ status: 500, times: 100, match: /^GET .*merge_requests\/7$/ })
    await r.service.refresh(r.thread.id)
    expect(r.updates.at(-1)?.problem).toMatchObject({
      kind: 'unreachable',
      message: 'GitLab is having trouble (HTTP 500). Skein will try again.'
    })
    // The last good answer stays.
    expect(r.updates.at(-1)).toMatchObject({ number: 7, mergeability: 'conflicts' })
  })

  it('opens a merge request over the protocol with the token from GITLAB_TOKEN', async () => {
    const dir = makeRepo('chisel')
    const bare = join(tempDir('skein-remote-'), 'chisel.git')
    git(tempDir(), 'init', '-q', '--bare', bare)
    git(dir, 'remote', 'add', 'origin', 'https://gitlab.example.org/tools/chisel.git')
    git(dir, 'config', 'remote.origin.pushurl', bare)
    git(dir, 'push', '-q', bare, 'main:main')
    mrs.setRemote('tools/chisel', bare)
    process.env.GITLAB_TOKEN = gl.token
    try {
      const { core } = await makeCore(tempDir('skein-home-'), { listenSocket: true })
      const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
      const repo = must(await core.repos.add(dir))
      await client.request('ci/configure', { repoId: repo.id, override: { provider: 'gitlab', baseUrl: gl.baseUrl } })
      const t = must(await core.threads.create({ repoId: repo.id, title: 'Chisel the edge', mode: 'worktree' }))
      git(t.worktreePath, 'config', 'user.name', 'P')
      git(t.worktreePath, 'config', 'user.email', 'p@example.com')
      writeFile(join(t.worktreePath, 'edge.ts'), 'sharp\n')
      must(await core.review.commit(t.id, 'Sharpen the edge'))
      const draft = await client.request('pr/draft', { threadId: t.id })
      expect(draft).toMatchObject({ provider: 'gitlab', title: 'Chisel the edge', canCreate: true })
      expect(draft.body).toMatch(/## Commits\n\n- [0-9a-f]{7} Sharpen the edge/)
      const created = await client.request('pr/create', { threadId: t.id, title: draft.title, body: draft.body })
      expect(created.status).toMatchObject({ provider: 'gitlab', state: 'open', number: 1, head: t.branch })
      expect(gl.requests.filter((q) => q.path.includes('merge_requests')).every((q) => q.token === gl.token)).toBe(true)
      client.dispose()
    } finally {
      delete process.env.GITLAB_TOKEN
    }
  })
})
