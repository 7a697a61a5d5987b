import { execFileSync } from 'node:child_process'
import { symlinkSync } from 'node:fs'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import type { PrStatus } from '../src/shared/pr'
import { RpcError } from '../src/shared/errors'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'
import { FakeGithub } from './helpers/fake-github'
import { FakeGithubPulls } from './helpers/fake-github-pulls'
import { FakeGithubThreads } from './helpers/fake-github-threads'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { eventually } from './helpers/pty-client'

let gh: FakeGithub
let pulls: FakeGithubPulls
let threads: FakeGithubThreads
let model: ModelServer
beforeAll(async () => {
  gh = await FakeGithub.start()
  pulls = FakeGithubPulls.attach(gh)
  threads = FakeGithubThreads.attach(gh)
  model = await useScriptedModel()
  process.env.GITHUB_TOKEN = gh.token
})
afterAll(async () => {
  delete process.env.GITHUB_TOKEN
  await gh.close()
  model.close()
})
afterEach(async () => {
  await cleanupTemp()
  expect(gh.violations.splice(0)).toEqual([])
})

/** A repository whose origin says `remote` but pushes to a bare repository that the fake reads as the service's copy. */
function hostedRepo(name: string, remote = `https://github.com/acme/${name}.git`): { repo: string; bare: string } {
  const repo = makeRepo(name)
  const bare = join(tempDir('skein-remote-'), `${name}.git`)
  git(tempDir(), 'init', '-q', '--bare', bare)
  git(repo, 'remote', 'add', 'origin', remote)
  git(repo, 'config', 'remote.origin.pushurl', bare)
  git(repo, 'push', '-q', bare, 'main:main')
  return { repo, bare }
}

async function start(name: string, o: { remote?: string; baseUrl?: string } = {}) {
  const { repo: dir, bare } = hostedRepo(name, o.remote)
  const { core } = await makeCore(tempDir('skein-home-'), { listenSocket: true })
  const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
  const updates: { threadId: string; status: PrStatus | null }[] = []
  client.on('pr/updated', (p) => void updates.push(p))
  const repo = must(await core.repos.add(dir))
  await client.request('ci/configure', { repoId: repo.id, override: { provider: 'github', baseUrl: o.baseUrl ?? gh.baseUrl } })
  return { core, client, updates, repo, bare }
}

async function threadWithCommit(s: Awaited<ReturnType<typeof start>>, title: string) {
  const t = must(await s.core.threads.create({ repoId: s.repo.id, title, mode: 'worktree' }))
  git(t.worktreePath, 'config', 'user.name', 'P')
  git(t.worktreePath, 'config', 'user.email', 'p@example.com')
  writeFile(join(t.worktreePath, 'cart.ts'), 'export const total = 42\n')
  must(await s.core.review.commit(t.id, 'Fix the cart total'))
  return t
}

const rpcError = async (p: Promise<unknown>): Promise<RpcError> => {
  try {
    await p
  } catch (e) {
    return e as RpcError
  }
  throw new Error('expected the request to fail')
}

describe('pull requests from a thread, over the protocol', () => {
  it('drafts from the prompt, the summary and the commits; pushes; opens it with reviewers, labels and draft; shows it everywhere', async () => {
    const s = await start('shop')
    pulls.setRemote('acme/shop', s.bare)
    model.push({ text: 'I fixed the cart total: it now adds tax once.' })
    const t = must(await s.core.threads.create({ repoId: s.repo.id, title: 'Fix the cart total', mode: 'worktree', prompt: undefined }))
    await s.client.request('turn/start', { threadId: t.id, text: 'The cart total adds tax twice.\nFix it and add a test.' })
    await eventually(
      async () => (await s.core.transcript.items(t.id)).some((i) => i.kind === 'assistant' && i.status === 'completed'),
      'the reply'
    )
    git(t.worktreePath, 'config', 'user.name', 'P')
    git(t.worktreePath, 'config', 'user.email', 'p@example.com')
    writeFile(join(t.worktreePath, 'cart.ts'), 'export const total = 42\n')
    must(await s.core.review.commit(t.id, 'Add tax once'))
    writeFile(join(t.worktreePath, 'cart.test.ts'), 'test\n')
    must(await s.core.review.commit(t.id, 'Test the total'))

    const draft = await s.client.request('pr/draft', { threadId: t.id })
    expect(draft).toMatchObject({
      provider: 'github',
      title: 'Fix the cart total',
      base: 'main',
      head: t.branch,
      commits: 2,
      canCreate: true,
      reason: null
    })
    expect(draft.existing).toBeNull()
    expect(draft.body).toContain('## Task\n\n> The cart total adds tax twice.\n> Fix it and add a test.')
    expect(draft.body).toContain('## Summary\n\nI fixed the cart total: it now adds tax once.')
    // Oldest first, as a reader follows the work.
    expect(draft.body).toMatch(/## Commits\n\n- [0-9a-f]{7} Add tax once\n- [0-9a-f]{7} Test the total/)
    // Nothing was pushed or sent while drafting.
    expect(git(s.bare, 'branch', '--list', t.branch!)).toBe('')
    expect(pulls.writes).toEqual([])

    const created = await s.client.request('pr/create', {
      threadId: t.id,
      title: 'Fix the cart total (tax once)',
      body: draft.body,
      draft: true,
      reviewers: ['octocat'],
      labels: ['bug', 'cart']
    })
    expect(created.existed).toBe(false)
    expect(created.warnings).toEqual([])
    // Pushed first: the branch on the "remote" is the worktree's HEAD.
    expect(git(s.bare, 'rev-parse', `refs/heads/${t.branch}`)).toBe(git(t.worktreePath, 'rev-parse', 'HEAD'))
    const post = pulls.writes.find((w) => w.method === 'POST' && w.path === '/repos/acme/shop/pulls')!
    expect(post.body).toMatchObject({ title: 'Fix the cart total (tax once)', head: t.branch, base: 'main', draft: true })
    expect(post.body.body).toBe(draft.body)
    expect(pulls.writes.find((w) => w.path.endsWith('/requested_reviewers'))?.body).toEqual({ reviewers: ['octocat'], team_reviewers: [] })
    expect(pulls.writes.find((w) => w.path.endsWith('/labels'))?.body).toEqual({ labels: ['bug', 'cart'] })
    expect(created.status).toMatchObject({
      threadId: t.id,
      provider: 'github',
      state: 'draft',
      base: 'main',
      head: t.branch,
      headSha: git(t.worktreePath, 'rev-parse', 'HEAD'),
      labels: ['bug', 'cart'],
      review: { decision: 'review-required', requested: ['octocat'] }
    })
    expect(created.status.url).toBe(`https://github.com/acme/shop/pull/${created.status.number}`)
    await eventually(() => s.updates.some((u) => u.threadId === t.id && u.status?.number === created.status.number), 'pr/updated')
    expect((await s.client.request('pr/statuses')).statuses.map((x) => x.number)).toEqual([created.status.number])
    expect((await s.client.request('pr/status', { threadId: t.id })).status?.number).toBe(created.status.number)

    // The draft now shows the request instead of offering a second one.
    const again = await s.client.request('pr/draft', { threadId: t.id })
    expect(again.canCreate).toBe(false)
    expect(again.existing?.number).toBe(created.status.number)
    expect(again.reason).toBe(`This branch already has #${created.status.number}.`)

    // Archived threads have no request to show.
    must(await s.core.threads.archive(t.id))
    await eventually(() => s.updates.at(-1)?.threadId === t.id && s.updates.at(-1)?.status === null, 'the request to leave with the thread')
    expect((await s.client.request('pr/statuses')).statuses).toEqual([])
    s.client.dispose()
  })

  it('finds a pull request opened on the website and shows it; Create returns it and never opens a second', async () => {
    const s = await start('depot')
    pulls.setRemote('acme/depot', s.bare)
    const t = await threadWithCommit(s, 'Tidy the depot')
    git(t.worktreePath, 'push', '-q', s.bare, `${t.branch}:${t.branch}`)
    const existing = pulls.addPull('acme/depot', {
      title: 'Tidy the depot (from the website)',
      head: { ref: t.branch!, sha: git(t.worktreePath, 'rev-parse', 'HEAD') }
    })
    pulls.review('acme/depot', existing.number, 'hubot', 'APPROVED')

    const draft = await s.client.request('pr/draft', { threadId: t.id })
    expect(draft.canCreate).toBe(false)
    expect(draft.existing).toMatchObject({
      number: existing.number,
      title: 'Tidy the depot (from the website)',
      review: { decision: 'approved', approvedBy: ['hubot'] }
    })

    const posts = () => pulls.writes.filter((w) => w.method === 'POST' && w.path === '/repos/acme/depot/pulls').length
    const created = await s.client.request('pr/create', { threadId: t.id, title: 'Another one', body: '' })
    expect(created).toMatchObject({ existed: true, status: { number: existing.number } })
    expect(posts()).toBe(0)

    s.client.dispose()
  })

  it('says clearly what stops it: no token, no remote, a rejected push, no commits between', async () => {
    const s = await start('mill')
    pulls.setRemote('acme/mill', s.bare)
    const t = await threadWithCommit(s, 'Mill things')

    const token = process.env.GITHUB_TOKEN
    delete process.env.GITHUB_TOKEN
    const envPath = process.env.PATH
    // No `gh` to ask either: a PATH with git alone.
    const onlyGit = tempDir('skein-path-')
    symlinkSync(execFileSync('which', ['git'], { encoding: 'utf8' }).trim(), join(onlyGit, 'git'))
    process.env.PATH = onlyGit
    try {
      const draft = await s.client.request('pr/draft', { threadId: t.id })
      expect(draft.canCreate).toBe(false)
      // The fake's address is not github.com, so the hint is the enterprise one.
      expect(draft.reason).toBe(
        'Skein has no GitHub token for pull requests. Set GH_ENTERPRISE_TOKEN or GITHUB_TOKEN, or run `gh auth login --hostname 127.0.0.1`.'
      )
    } finally {
      process.env.GITHUB_TOKEN = token
      process.env.PATH = envPath
    }

    // The remote has moved on: the push is refused, nothing is opened.
    const other = join(tempDir('skein-other-'), 'clone')
    git(tempDir(), 'clone', '-q', s.bare, other)
    git(other, 'checkout', '-q', '-b', t.branch!)
    writeFile(join(other, 'x.txt'), 'theirs\n')
    git(other, 'add', '-A')
    git(other, '-c', 'user.name=O', '-c', 'user.email=o@example.com', 'commit', '-qm', 'theirs')
    git(other, 'push', '-q', 'origin', t.branch!)
    const rejected = await rpcError(s.client.request('pr/create', { threadId: t.id, title: 'Mill', body: '' }))
    expect(rejected.message).toMatch(
      /^The branch was not pushed, so no pull request was opened\. The remote has commits this branch does not/
    )
    expect(pulls.pulls.get('acme/mill') ?? []).toEqual([])

    // A branch with nothing the base lacks: GitHub's 422 in its own words, and what to do.
    const empty = must(await s.core.threads.create({ repoId: s.repo.id, title: 'Nothing yet', mode: 'worktree' }))
    const none = await s.client.request('pr/draft', { threadId: empty.id })
    expect(none).toMatchObject({ canCreate: false, commits: 0 })
    expect(none.reason).toBe('The branch has no commits that main does not have. Commit the work first.')
    const refused = await rpcError(s.client.request('pr/create', { threadId: empty.id, title: 'Nothing', body: '' }))
    expect(refused.message).toBe(
      `GitHub refused: No commits between main and ${empty.branch}. Commit the work on the branch (and push it) first.`
    )

    const bare = makeRepo('lonely')
    const lonely = must(await s.core.repos.add(bare))
    const lt = must(await s.core.threads.create({ repoId: lonely.id, title: 'Alone', mode: 'worktree' }))
    const d = await s.client.request('pr/draft', { threadId: lt.id })
    expect(d.reason).toBe('This repository has no remote to open a pull request on. Add one with `git remote add origin <url>`.')
    const noRemote = await rpcError(s.client.request('pr/create', { threadId: lt.id, title: 'x', body: '' }))
    expect(noRemote.message).toBe(d.reason)
    s.client.dispose()
  })

  it('works against GitHub Enterprise: REST under /api/v3, GraphQL at /api/graphql, and its own token', async () => {
    // A stand-in for the enterprise server: REST lives under /api/v3 and GraphQL at /api/graphql, both served by the fake.
    const ghe: Server = createServer((req, res) => {
      const path = req.url === '/api/graphql' ? '/graphql' : req.url?.startsWith('/api/v3/') ? req.url.slice('/api/v3'.length) : null
      if (!path) {
        res.writeHead(404).end('not an Enterprise API path')
        return
      }
      const target = new URL(path, gh.baseUrl)
      const fwd = httpRequest(target, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers)
        r.pipe(res)
      })
      req.pipe(fwd)
    })
    await new Promise<void>((resolve) => ghe.listen(0, '127.0.0.1', resolve))
    const token = process.env.GITHUB_TOKEN
    delete process.env.GITHUB_TOKEN
    process.env.GH_ENTERPRISE_TOKEN = gh.token
    try {
      const base = `http://127.0.0.1:${(ghe.address() as AddressInfo).port}/api/v3`
      const s = await start('forge', { remote: 'git@ghe.corp.example:acme/forge.git', baseUrl: base })
      pulls.setRemote('acme/forge', s.bare)
      const t = await threadWithCommit(s, 'Forge ahead')
      const created = await s.client.request('pr/create', { threadId: t.id, title: 'Forge ahead', body: 'Enterprise' })
      expect(created.status).toMatchObject({ provider: 'github', state: 'open', head: t.branch })
      expect(gh.requests.filter((r) => r.path.startsWith('/repos/acme/forge/pulls')).length).toBeGreaterThan(0)
      // Review threads: read over REST, resolved through Enterprise's GraphQL endpoint.
      const head = git(t.worktreePath, 'rev-parse', 'HEAD')
      const c = threads.comment('acme/forge', {
        pull: created.status.number,
        path: 'cart.ts',
        line: 1,
        body: 'Why?',
        user: 'octocat',
        commitId: head
      })
      const listed = await s.client.request('pr/threads', { threadId: t.id, refresh: true })
      expect(listed.threads.map((x) => [x.id, x.resolved])).toEqual([[String(c.id), false]])
      const before = threads.graphql.length
      const resolved = await s.client.request('pr/resolve', { threadId: t.id, remoteThreadId: String(c.id), resolved: true })
      expect(resolved.threads.map((x) => x.resolved)).toEqual([true])
      expect(threads.resolved.has(c.id)).toBe(true)
      expect(threads.graphql.length).toBeGreaterThan(before)
      expect(threads.graphqlRejected).toBe(0)
      s.client.dispose()
    } finally {
      process.env.GITHUB_TOKEN = token
      delete process.env.GH_ENTERPRISE_TOKEN
      ghe.closeAllConnections()
      await new Promise((resolve) => ghe.close(resolve))
    }
  })
})
