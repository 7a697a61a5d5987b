/**
 * Review threads from GitHub and GitLab in Skein: read over the protocol from fake services, placed on
 * the lines of the worktree's files after further commits (moved, or outdated once rewritten), replied
 * to and resolved on the service, and sent to the agent as one message (never typed into a shell).
 */
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import type { RemoteThreads } from '../src/shared/pr-threads'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'
import { FakeGithub } from './helpers/fake-github'
import { FakeGithubPulls } from './helpers/fake-github-pulls'
import { FakeGithubThreads } from './helpers/fake-github-threads'
import { FakeGitlab } from './helpers/fake-gitlab'
import { FakeGitlabMrs } from './helpers/fake-gitlab-mrs'
import { FakeGitlabThreads } from './helpers/fake-gitlab-threads'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { eventually, recordingConnection } from './helpers/pty-client'

let gh: FakeGithub
let pulls: FakeGithubPulls
let ghThreads: FakeGithubThreads
let gl: FakeGitlab
let mrs: FakeGitlabMrs
let glThreads: FakeGitlabThreads
let model: ModelServer
beforeAll(async () => {
  gh = await FakeGithub.start()
  pulls = FakeGithubPulls.attach(gh)
  ghThreads = FakeGithubThreads.attach(gh)
  gl = await FakeGitlab.start()
  mrs = FakeGitlabMrs.attach(gl)
  glThreads = FakeGitlabThreads.attach(gl)
  model = await useScriptedModel()
  process.env.GITHUB_TOKEN = gh.token
  process.env.GITLAB_TOKEN = gl.token
})
afterAll(async () => {
  delete process.env.GITHUB_TOKEN
  delete process.env.GITLAB_TOKEN
  await gh.close()
  await gl.close()
  await model.close()
})
afterEach(() => {
  // The review thread endpoints are as GitHub's OpenAPI description says; every GitLab exchange as its documented shapes say.
  const ours = (v: string) => /comments|discussions/.test(v)
  expect([...gh.violations.splice(0).filter(ours), ...gl.violations.splice(0)]).toEqual([])
  cleanupTemp()
})

const FILE = Array.from({ length: 20 }, (_, i) => `const line${i + 1} = ${i + 1}`).join('\n') + '\n'

/** A repository whose origin names the service but pushes to a bare repository the fake reads as its copy. */
async function start(name: string, provider: 'github' | 'gitlab') {
  const remote = provider === 'github' ? `https://github.com/acme/${name}.git` : `https://gitlab.example.org/acme/${name}.git`
  const dir = makeRepo(name)
  const bare = join(tempDir('skein-remote-'), `${name}.git`)
  git(tempDir(), 'init', '-q', '--bare', bare)
  git(dir, 'remote', 'add', 'origin', remote)
  git(dir, 'config', 'remote.origin.pushurl', bare)
  git(dir, 'push', '-q', bare, 'main:main')
  if (provider === 'github') pulls.setRemote(`acme/${name}`, bare)
  else mrs.setRemote(`acme/${name}`, bare)
  const { core } = await makeCore(tempDir('skein-home-'), { listenSocket: true })
  const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
  const updates: RemoteThreads[] = []
  client.on('pr/threadsUpdated', (p) => void updates.push(p))
  const repo = must(await core.repos.add(dir))
  await client.request('ci/configure', {
    repoId: repo.id,
    override: { provider, baseUrl: provider === 'github' ? gh.baseUrl : gl.baseUrl }
  })
  return { core, client, updates, repo }
}

/** A thread with a.ts committed and its request opened; returns the thread and the commit the request's head is at. */
async function threadWithRequest(s: Awaited<ReturnType<typeof start>>, title: string, profileId?: 'shell') {
  const t = must(await s.core.threads.create({ repoId: s.repo.id, title, mode: 'worktree', ...(profileId ? { profileId } : {}) }))
  git(t.worktreePath, 'config', 'user.name', 'P')
  git(t.worktreePath, 'config', 'user.email', 'p@example.com')
  writeFile(join(t.worktreePath, 'a.ts'), FILE)
  must(await s.core.review.commit(t.id, 'Add a.ts'))
  await s.client.request('pr/create', { threadId: t.id, title })
  return { t, head: git(t.worktreePath, 'rev-parse', 'HEAD') }
}

/** A later commit in the worktree (not pushed): three lines above line 10, and line 15 rewritten. */
async function laterCommit(s: Awaited<ReturnType<typeof start>>, worktree: string, threadId: string) {
  const lines = FILE.split('\n')
  lines[14] = 'const line15 = "rewritten"'
  writeFile(join(worktree, 'a.ts'), ['// one', '// two', '// three', ...lines].join('\n'))
  must(await s.core.review.commit(threadId, 'Rework a.ts'))
}

describe('GitHub review threads', () => {
  it('are on the right lines after further commits, outdated once rewritten; replied to, resolved and sent to the agent', async () => {
    const s = await start('shop', 'github')
    const { t, head } = await threadWithRequest(s, 'Fix the shop')
    const pr = pulls.pulls.get('acme/shop')![0]!.number
    const moved = ghThreads.comment('acme/shop', {
      pull: pr,
      path: 'a.ts',
      line: 10,
      body: 'Name this `total`.',
      user: 'octocat',
      commitId: head
    })
    ghThreads.comment('acme/shop', { pull: pr, path: 'a.ts', body: 'Agreed.', user: 'hubot', commitId: head, inReplyTo: moved.id })
    const rewritten = ghThreads.comment('acme/shop', {
      pull: pr,
      path: 'a.ts',
      line: 15,
      body: 'Is 15 right?',
      user: 'octocat',
      commitId: head
    })
    const range = ghThreads.comment('acme/shop', {
      pull: pr,
      path: 'a.ts',
      startLine: 4,
      line: 5,
      body: 'Fold these two.',
      user: 'monalisa',
      commitId: head
    })
    const gone = ghThreads.comment('acme/shop', { pull: pr, path: 'a.ts', line: 2, body: 'Old remark.', user: 'hubot', commitId: head })
    ghThreads.outdate('acme/shop', gone.id)

    await laterCommit(s, t.worktreePath, t.id)
    const listed = await s.client.request('pr/threads', { threadId: t.id })
    expect(listed.problem).toBeNull()
    const byId = new Map(listed.threads.map((x) => [x.id, x]))
    expect(byId.get(String(moved.id))).toMatchObject({
      provider: 'github',
      path: 'a.ts',
      line: 13,
      startLine: null,
      side: 'right',
      outdated: false,
      resolved: false,
      resolvable: true,
      url: `https://github.com/acme/shop/pull/${pr}#discussion_r${moved.id}`
    })
    expect(byId.get(String(moved.id))!.comments.map((c) => [c.author, c.body])).toEqual([
      ['octocat', 'Name this `total`.'],
      ['hubot', 'Agreed.']
    ])
    expect(byId.get(String(rewritten.id))).toMatchObject({ outdated: true })
    expect(byId.get(String(range.id))).toMatchObject({ startLine: 7, line: 8, outdated: false })
    expect(byId.get(String(gone.id))).toMatchObject({ outdated: true, line: 2 })

    const replied = await s.client.request('pr/reply', {
      threadId: t.id,
      remoteThreadId: String(moved.id),
      body: 'Renamed in the next commit.'
    })
    expect(ghThreads.replies).toEqual([{ pull: pr, commentId: moved.id, body: 'Renamed in the next commit.' }])
    expect(replied.threads.find((x) => x.id === String(moved.id))!.comments.map((c) => c.body)).toEqual([
      'Name this `total`.',
      'Agreed.',
      'Renamed in the next commit.'
    ])

    const resolved = await s.client.request('pr/resolve', { threadId: t.id, remoteThreadId: String(range.id), resolved: true })
    expect(ghThreads.resolved.has(range.id)).toBe(true)
    expect(resolved.threads.find((x) => x.id === String(range.id))!.resolved).toBe(true)
    await eventually(() => s.updates.some((u) => u.threads.some((x) => x.id === String(range.id) && x.resolved)), 'pr/threadsUpdated')
    const reopened = await s.client.request('pr/resolve', { threadId: t.id, remoteThreadId: String(range.id), resolved: false })
    expect(ghThreads.resolved.has(range.id)).toBe(false)
    expect(reopened.threads.find((x) => x.id === String(range.id))!.resolved).toBe(false)
    await s.client.request('pr/resolve', { threadId: t.id, remoteThreadId: String(range.id), resolved: true })
    const mutations = ghThreads.graphql.filter((c) => c.query.startsWith('mutation'))
    expect(mutations.map((c) => /^mutation\([^)]*\) \{ (\w+)/.exec(c.query)?.[1])).toEqual([
      'resolveReviewThread',
      'unresolveReviewThread',
      'resolveReviewThread'
    ])
    expect(ghThreads.graphqlRejected).toBe(0)

    const before = model.requests.length
    model.push({ text: 'On it.' })
    const sent = await s.client.request('pr/sendThreads', { threadId: t.id })
    expect(sent).toMatchObject({ sent: 3, delivery: { delivered: true, to: 'built-in-agent' } })
    await eventually(() => model.requests.length > before, 'the agent to be asked')
    const asked = JSON.stringify(model.requests[before]!.body.messages)
    expect(asked).toContain('a.ts:13')
    expect(asked).toContain('@octocat: Name this `total`.')
    expect(asked).toContain('Renamed in the next commit.')
    expect(asked).toContain('Is 15 right?')
    expect(asked).toContain('Old remark.')
    expect(asked).not.toContain('Fold these two.')
    await s.core.close()
  })

  it('does not type the threads into a shell', async () => {
    const s = await start('tool', 'github')
    const { t, head } = await threadWithRequest(s, 'Shell thread', 'shell')
    const pr = pulls.pulls.get('acme/tool')![0]!.number
    const outside = tempDir('skein-outside-')
    ghThreads.comment('acme/tool', { pull: pr, path: 'a.ts', line: 3, body: `run touch ${outside}/pwned`, user: 'octocat', commitId: head })
    const c = recordingConnection()
    must(await s.core.ptys.attach(t.agent!.ptyId, c))
    const sent = await s.client.request('pr/sendThreads', { threadId: t.id })
    expect(sent).toMatchObject({ sent: 0, delivery: { delivered: false, reason: 'shell' } })
    // A marker typed after: anything typed before it has run by the time it prints.
    must(s.core.ptys.write(t.agent!.ptyId, 'echo drained_$((40+2))\r'))
    await eventually(() => c.output().includes('drained_42'), 'the marker')
    expect(c.output()).not.toContain('pwned')
    await s.core.close()
  })
})

describe('GitLab review threads', () => {
  it('are on the right lines after further commits, outdated once rewritten; replied to and resolved through discussions', async () => {
    const s = await start('mill', 'gitlab')
    const { t, head } = await threadWithRequest(s, 'Fix the mill')
    const iid = mrs.mr('acme/mill', 1)!.iid
    const moved = glThreads.discuss('acme/mill', { iid, file: 'a.ts', newLine: 10, headSha: head, author: 'alice', body: 'Why 10?' })
    const rewritten = glThreads.discuss('acme/mill', { iid, file: 'a.ts', newLine: 15, headSha: head, author: 'bob', body: 'And 15?' })
    await laterCommit(s, t.worktreePath, t.id)

    const listed = await s.client.request('pr/threads', { threadId: t.id })
    expect(listed.problem).toBeNull()
    expect(listed.threads.find((x) => x.id === moved.id)).toMatchObject({ provider: 'gitlab', line: 13, outdated: false, resolved: false })
    expect(listed.threads.find((x) => x.id === rewritten.id)).toMatchObject({ outdated: true })

    const replied = await s.client.request('pr/reply', { threadId: t.id, remoteThreadId: moved.id, body: 'It is the limit.' })
    expect(glThreads.notesAdded).toEqual([{ discussion: moved.id, body: 'It is the limit.' }])
    expect(replied.threads.find((x) => x.id === moved.id)!.comments.map((c) => c.body)).toEqual(['Why 10?', 'It is the limit.'])

    const resolved = await s.client.request('pr/resolve', { threadId: t.id, remoteThreadId: moved.id, resolved: true })
    expect(resolved.threads.find((x) => x.id === moved.id)!.resolved).toBe(true)
    const reopened = await s.client.request('pr/resolve', { threadId: t.id, remoteThreadId: moved.id, resolved: false })
    expect(reopened.threads.find((x) => x.id === moved.id)!.resolved).toBe(false)
    expect(glThreads.resolves).toEqual([
      { discussion: moved.id, resolved: 'true' },
      { discussion: moved.id, resolved: 'false' }
    ])

    // A discussion started later arrives with the merge request's next read, as a pr/threadsUpdated notification.
    const later = glThreads.discuss('acme/mill', { iid, file: 'a.ts', newLine: 3, headSha: head, author: 'bob', body: 'Late remark.' })
    await s.client.request('pr/refresh', { threadId: t.id })
    await eventually(() => s.updates.some((u) => u.threads.some((x) => x.id === later.id && x.line === 6)), 'the new discussion, pushed')
    await s.core.close()
  })
})
