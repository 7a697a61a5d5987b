import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { githubMerge } from '../src/main/core/autopilot/github-merge'
import { gitlabMerge } from '../src/main/core/autopilot/gitlab-merge'
import { cleanupTemp, git, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'
import { FakeGithub } from './helpers/fake-github'
import { FakeGithubMerge } from './helpers/fake-github-merge'
import { startLocalHttp, type LocalHttp } from './helpers/local-http'

let gh: FakeGithub
beforeAll(async () => {
  gh = await FakeGithub.start()
})
afterAll(() => gh.close())
afterEach(cleanupTemp)

let count = 0
/** A pushed branch with two commits on a bare repository standing for GitHub's copy, and a pull request for it. */
function pushedBranch() {
  const name = `merge${++count}`
  const full = `acme/${name}`
  gh.addRepo(full)
  const repo = makeRepo(name)
  const bare = join(tempDir('skein-remote-'), `${name}.git`)
  git(tempDir(), 'init', '-q', '--bare', bare)
  git(repo, 'checkout', '-q', '-b', 'skein/fix')
  writeFile(join(repo, 'a.txt'), 'one\n')
  git(repo, 'add', '-A')
  git(repo, 'commit', '-qm', 'one')
  const first = git(repo, 'rev-parse', 'HEAD')
  writeFile(join(repo, 'a.txt'), 'two\n')
  git(repo, 'commit', '-qam', 'two')
  const head = git(repo, 'rev-parse', 'HEAD')
  git(repo, 'push', '-q', bare, 'skein/fix')
  const merges = FakeGithubMerge.install(gh, full)
  const target = { baseUrl: gh.baseUrl, owner: 'acme', repo: name, token: gh.token, mergeableWaitMs: 0 }
  return { full, bare, first, head, merges, target }
}

describe('auto-merge on GitHub (REST)', () => {
  it('merges a clean, approved pull request at the green sha', async () => {
    const { head, merges, bare, target } = pushedBranch()
    merges.open('skein/fix', bare, { reviews: [{ user: 'ana', state: 'APPROVED' }], requestedReviewers: [] })
    const r = must(await githubMerge(target, 'skein/fix', head))
    expect(r).toEqual({ state: 'merged', message: `Merged pull request #1 at ${head.slice(0, 7)}.` })
    expect(merges.merges).toEqual([{ number: 1, sha: head, status: 200 }])
  })

  it('never merges while a review asks for changes or is still awaited, nor when branch protection blocks it', async () => {
    const a = pushedBranch()
    a.merges.open('skein/fix', a.bare, {
      reviews: [
        { user: 'ana', state: 'APPROVED' },
        { user: 'bo', state: 'CHANGES_REQUESTED' }
      ]
    })
    expect(must(await githubMerge(a.target, 'skein/fix', a.head))).toEqual({
      state: 'blocked',
      message: 'Not merged: bo requested changes (pull request #1).'
    })
    const b = pushedBranch()
    b.merges.open('skein/fix', b.bare, { requestedReviewers: ['cy'] })
    expect(must(await githubMerge(b.target, 'skein/fix', b.head)).message).toBe(
      'Not merged: it waits for a review from cy (pull request #1).'
    )
    const c = pushedBranch()
    c.merges.open('skein/fix', c.bare, { mergeableState: 'blocked' })
    expect(must(await githubMerge(c.target, 'skein/fix', c.head)).message).toContain('branch protection wants something first')
    // A later approval by the one who asked for changes counts: their latest review wins.
    const d = pushedBranch()
    d.merges.open('skein/fix', d.bare, {
      reviews: [
        { user: 'bo', state: 'CHANGES_REQUESTED' },
        { user: 'bo', state: 'APPROVED' }
      ]
    })
    expect(must(await githubMerge(d.target, 'skein/fix', d.head)).state).toBe('merged')
    expect([a, b, c].flatMap((x) => x.merges.merges)).toEqual([])
  })

  it('never merges a head other than the green one, and says when there is no pull request', async () => {
    const { first, head, merges, bare, target } = pushedBranch()
    expect(must(await githubMerge(target, 'skein/fix', head))).toEqual({
      state: 'blocked',
      message: 'There is no open pull request for skein/fix; open one and the autopilot merges it once green.'
    })
    merges.open('skein/fix', bare)
    const r = must(await githubMerge(target, 'skein/fix', first))
    expect(r).toEqual({
      state: 'blocked',
      message: `Not merged: pull request #1's head is now ${head.slice(0, 7)}, not the green ${first.slice(0, 7)}.`
    })
    expect(merges.merges).toEqual([])
  })

  it('reports a token GitHub rejects as an error, not as blocked', async () => {
    const { head, merges, bare, target } = pushedBranch()
    merges.open('skein/fix', bare)
    const r = await githubMerge({ ...target, token: 'wrong' }, 'skein/fix', head)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error.message).toContain('rejected the token (401)')
  })
})

/** A GitLab API stand-in for one merge request: what it was asked, and its answers. */
async function fakeGitlab(mr: { iid: number; sha: string; detailed_merge_status: string }) {
  const seen: { method: string; path: string; body: Record<string, unknown> }[] = []
  const read = (req: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let text = ''
      req.on('data', (c: Buffer) => (text += c.toString()))
      req.on('end', () => resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {}))
    })
  const http: LocalHttp = await startLocalHttp((req, res) => {
    void read(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://x')
      seen.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body })
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(value))
      }
      if (req.headers['private-token'] !== 'gl-token') return send(401, { message: '401 Unauthorized' })
      const base = '/api/v4/projects/group%2Fsub%2Fshop/merge_requests'
      if (url.pathname === base) return send(200, url.searchParams.get('source_branch') === 'skein/fix' ? [mr] : [])
      if (url.pathname === `${base}/${mr.iid}` && req.method === 'GET') return send(200, mr)
      if (url.pathname === `${base}/${mr.iid}/merge` && req.method === 'PUT') {
        if (body.sha !== mr.sha) return send(409, { message: 'SHA does not match HEAD of source branch' })
        const auto = body.auto_merge === true
        return send(200, { ...mr, state: auto ? 'opened' : 'merged', merge_when_pipeline_succeeds: auto })
      }
      send(404, { message: '404 Not found' })
    })
  })
  return { http, seen, target: { baseUrl: http.baseUrl, path: 'group/sub/shop', token: 'gl-token' } }
}

describe('auto-merge on GitLab (REST)', () => {
  it('merges at the sha when mergeable, sets auto-merge while the pipeline runs, and waits for approval', async () => {
    const sha = 'a'.repeat(40)
    const now = await fakeGitlab({ iid: 7, sha, detailed_merge_status: 'mergeable' })
    expect(must(await gitlabMerge(now.target, 'skein/fix', sha))).toEqual({
      state: 'merged',
      message: 'Merged merge request !7 at aaaaaaa.'
    })
    expect(now.seen.at(-1)).toMatchObject({ method: 'PUT', body: { sha } })
    await now.http.close()

    const running = await fakeGitlab({ iid: 8, sha, detailed_merge_status: 'ci_still_running' })
    expect(must(await gitlabMerge(running.target, 'skein/fix', sha)).state).toBe('scheduled')
    expect(running.seen.at(-1)!.body).toEqual({ sha, auto_merge: true, merge_when_pipeline_succeeds: true })
    await running.http.close()

    const unapproved = await fakeGitlab({ iid: 9, sha, detailed_merge_status: 'not_approved' })
    expect(must(await gitlabMerge(unapproved.target, 'skein/fix', sha))).toEqual({
      state: 'blocked',
      message: 'Not merged: it waits for approval (merge request !9).'
    })
    expect(must(await gitlabMerge(unapproved.target, 'skein/fix', 'b'.repeat(40))).message).toContain('head is now aaaaaaa')
    expect(unapproved.seen.filter((r) => r.method === 'PUT')).toEqual([])
    await unapproved.http.close()
  })
})
