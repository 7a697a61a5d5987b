// A thread's GitHub pull request kept up to date on a manual clock against the fake GitHub (real
// HTTP on loopback, Octokit with its throttling and retry plugins on Skein's conditional transport).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { PR_SCHEDULE } from '../src/main/core/pr/pr-service'
import { cleanupTemp, git } from './helpers/fixtures'
import { FakeGithub } from './helpers/fake-github'
import { FakeGithubPulls } from './helpers/fake-github-pulls'
import { prRig } from './helpers/pr-rig'

let gh: FakeGithub
let pulls: FakeGithubPulls
beforeAll(async () => {
  gh = await FakeGithub.start()
  pulls = FakeGithubPulls.attach(gh)
})
afterAll(() => gh.close())
afterEach(async () => {
  gh.retryAfter = null
  gh.rate.remaining = gh.rate.limit
  pulls.failNext = []
  await cleanupTemp()
  expect(gh.violations.splice(0)).toEqual([])
})

function rig(name: string) {
  const r = prRig({ name, remote: `https://github.com/acme/${name}.git`, baseUrl: gh.baseUrl, token: gh.token })
  pulls.setRemote(`acme/${name}`, r.bare)
  return r
}

const requests = (name: string) => gh.requests.filter((q) => q.path.startsWith(`/repos/acme/${name}/`))

describe('a pull request kept up to date', () => {
  it('follows a pushed branch: finds its pull request, and sends mergeable, approved, changes requested and merged as updates, mostly on 304s', async () => {
    const r = rig('lamp')
    r.commit('lamp.ts', 'on\n')
    const sha = r.push()
    const pr = pulls.addPull('acme/lamp', {
      title: 'Light the lamp',
      head: { ref: r.thread.branch!, sha },
      requestedReviewers: ['octocat']
    })

    r.ci({ commit: sha, checks: [{ state: 'running' }, { state: 'passed' }] })
    await r.service.whenIdle()
    // GitHub has not worked out mergeability on the first read.
    expect(r.updates.at(-1)).toMatchObject({
      number: pr.number,
      state: 'open',
      mergeability: 'checking',
      review: { decision: 'review-required', requested: ['octocat'] },
      checks: { overall: 'running', passed: 1, running: 1, total: 2, commit: sha }
    })
    const at = r.clock.now()
    await r.tick()
    expect(r.clock.now() - at).toBe(PR_SCHEDULE.minMs)
    expect(r.updates.at(-1)).toMatchObject({ mergeability: 'mergeable', mergeabilityDetail: null })

    // Settled: the next read is the slow one, and unchanged reads are 304s (free on GitHub).
    const before = requests('lamp').length
    let t = r.clock.now()
    await r.tick()
    expect(r.clock.now() - t).toBe(PR_SCHEDULE.maxMs)
    const settled = requests('lamp').slice(before)
    expect(settled.map((q) => [q.path, q.status])).toEqual([['/repos/acme/lamp/pulls/1', 304]])

    // The checks follow CI without asking GitHub.
    const quiet = requests('lamp').length
    r.ci({ commit: sha, checks: [{ state: 'passed' }, { state: 'passed' }] })
    expect(r.updates.at(-1)).toMatchObject({ checks: { overall: 'passed', passed: 2, running: 0 } })
    // A CI verdict changes what GitHub says about merging: the request is read again soon.
    t = r.clock.now()
    await r.tick()
    expect(r.clock.now() - t).toBe(PR_SCHEDULE.soonMs)
    expect(requests('lamp').length).toBe(quiet + 1)

    pulls.review('acme/lamp', pr.number, 'octocat', 'APPROVED')
    await r.tick()
    expect(r.updates.at(-1)).toMatchObject({ review: { decision: 'approved', approvedBy: ['octocat'], requested: [] } })
    pulls.review('acme/lamp', pr.number, 'hubot', 'COMMENTED')
    pulls.review('acme/lamp', pr.number, 'monalisa', 'CHANGES_REQUESTED')
    await r.tick()
    expect(r.updates.at(-1)).toMatchObject({
      review: { decision: 'changes-requested', approvedBy: ['octocat'], changesRequestedBy: ['monalisa'] }
    })
    pulls.setMergeable('acme/lamp', pr.number, 'dirty')
    await r.tick()
    await r.tick()
    expect(r.updates.at(-1)).toMatchObject({ mergeability: 'conflicts' })

    pulls.mergeOnSite('acme/lamp', pr.number)
    while (r.updates.at(-1)?.state !== 'merged') await r.tick()
    // A merged request is not read again until a push.
    expect(r.clock.pending).toBe(0)
    const all = requests('lamp')
    expect(all.filter((q) => q.status === 304).length).toBeGreaterThan(0)
    expect(all.every((q) => q.authorization === `Bearer ${gh.token}`)).toBe(true)
  })

  it('looks for a request again after a push, and for a pushed branch without one only rarely', async () => {
    const r = rig('quill')
    const sha = (r.commit('q.ts', '1\n'), r.push())
    r.ci({ commit: sha })
    await r.service.whenIdle()
    expect(r.service.status(r.thread.id)).toBeNull()
    let t = r.clock.now()
    await r.tick()
    expect(r.clock.now() - t).toBe(PR_SCHEDULE.discoverMs)
    const pr = pulls.addPull('acme/quill', { title: 'Quill', head: { ref: r.thread.branch!, sha } })
    // A push: CI sees the new commit, and the request is looked for soon after.
    r.commit('q.ts', '2\n')
    const sha2 = r.push()
    r.ci({ commit: sha2 })
    t = r.clock.now()
    await r.tick()
    expect(r.clock.now() - t).toBe(PR_SCHEDULE.soonMs)
    expect(r.service.status(r.thread.id)).toMatchObject({ number: pr.number, headSha: sha2 })
  })

  it('backs off a spent rate limit, a secondary limit and a 429 until GitHub says, sending nothing meanwhile', async () => {
    const r = rig('kiln')
    r.commit('k.ts', '1\n')
    const sha = r.push()
    const pr = pulls.addPull('acme/kiln', { title: 'Kiln', head: { ref: r.thread.branch!, sha } })
    r.ci({ commit: sha })
    await r.service.whenIdle()
    await r.tick()
    expect(r.updates.at(-1)).toMatchObject({ mergeability: 'mergeable', problem: null })

    // The primary limit is spent: a 403 with no requests left and a reset time.
    gh.rate.remaining = 0
    gh.rate.reset = Math.floor(r.clock.now() / 1000) + 900
    await r.tick()
    const limited = r.updates.at(-1)!
    expect(limited.problem?.kind).toBe('rate-limited')
    expect(limited.rateLimitedUntil).toBe(gh.rate.reset * 1000)
    expect(limited.problem?.message).toMatch(/^GitHub rate-limited Skein until \d\d:\d\d\. The pull request shown may be out of date/)
    // The last good answer stays on screen.
    expect(limited.mergeability).toBe('mergeable')
    const sent = requests('kiln').length
    expect(r.clock.nextAt()).toBeGreaterThanOrEqual(gh.rate.reset * 1000)
    // Even a person's refresh sends nothing before the reset.
    await r.service.refresh(r.thread.id)
    expect(requests('kiln').length).toBe(sent)
    gh.rate.remaining = 5000
    await r.tick()
    expect(r.updates.at(-1)?.problem).toBeNull()
    expect(requests('kiln').length).toBeGreaterThan(sent)

    // A secondary limit: 403 with requests left and no Retry-After; GitHub's docs say wait a minute.
    pulls.failNext.push({
      status: 403,
      times: 1,
      match: new RegExp(`pulls/${pr.number}$`),
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
    })
    await r.service.refresh(r.thread.id)
    expect(r.updates.at(-1)?.problem?.kind).toBe('rate-limited')
    expect(r.updates.at(-1)?.rateLimitedUntil).toBe(r.clock.now() + 60_000)

    // A 429 with Retry-After.
    await r.tick()
    gh.retryAfter = 300
    await r.tick()
    expect(r.updates.at(-1)?.rateLimitedUntil).toBe(r.clock.now() + 300_000)
    gh.retryAfter = null
    // CI hitting the limit holds these requests too (one budget per token).
    await r.tick()
    expect(r.updates.at(-1)?.problem).toBeNull()
    const quiet = requests('kiln').length
    r.ci({ commit: sha, rateLimitedUntil: r.clock.now() + 120_000 })
    await r.service.refresh(r.thread.id)
    expect(requests('kiln').length).toBe(quiet)
    expect(r.updates.at(-1)?.problem?.kind).toBe('rate-limited')

    // A create meanwhile is refused before anything is pushed or sent, saying when to try again.
    r.commit('k.ts', '2\n')
    const refused = await r.actions.create(r.thread.id, { title: 'More', body: '', draft: false, reviewers: [], labels: [] })
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.error.message).toMatch(
        /^GitHub rate-limited Skein until (\d\d:\d\d), so the pull request was not opened\. Try again after \1\.$/
      )
      expect(refused.error.data).toEqual({ kind: 'rate-limited', until: r.clock.now() + 120_000 })
    }
    expect(requests('kiln').length).toBe(quiet)
    expect(git(r.bare, 'rev-parse', `refs/heads/${r.thread.branch}`)).toBe(sha)
  })

  it('retries a 5xx with backoff, then says GitHub is having trouble; a create whose answer was lost is found, not sent again', async () => {
    const r = rig('loom')
    r.commit('l.ts', '1\n')
    const sha = r.push()
    pulls.addPull('acme/loom', { title: 'Loom', head: { ref: 'other', sha } })
    pulls.failNext.push({ status: 502, times: 2, match: /^GET \/repos\/acme\/loom\/pulls\?/ })
    r.ci({ commit: sha })
    await r.service.whenIdle()
    // Two 502s, then the answer: nothing to report.
    const lists = requests('loom').filter((q) => q.path.startsWith('/repos/acme/loom/pulls?'))
    expect(lists.map((q) => q.status)).toEqual([502, 502, 200])

    pulls.failNext.push({ status: 503, times: 100, match: /^GET \/repos\/acme\/loom\/pulls\?/ })
    const before = requests('loom').length
    await r.service.refresh(r.thread.id)
    // The first try and three retries, then the problem (no request is shown, so none is).
    expect(requests('loom').length - before).toBe(1 + r.http.retries)
    pulls.failNext = []

    const draft = await r.actions.draft(r.thread.id)
    expect(draft.ok && draft.value.canCreate).toBe(true)
    pulls.lostCreates = 1
    const created = await r.actions.create(r.thread.id, { title: 'Weave', body: 'b', draft: false, reviewers: [], labels: [] })
    expect(created.ok).toBe(true)
    const posts = pulls.writes.filter((w) => w.method === 'POST' && w.path === '/repos/acme/loom/pulls')
    expect(posts.length).toBe(1)
    expect(pulls.pulls.get('acme/loom')!.filter((p) => p.head.ref === r.thread.branch).length).toBe(1)

    // A create refused with 5xx every time: tried again (after looking each time), then reported.
    r.commit('l.ts', '2\n')
    const r2 = rig('mill')
    r2.commit('m.ts', '1\n')
    pulls.failNext.push({ status: 500, times: 100, match: /^POST \/repos\/acme\/mill\/pulls$/ })
    const failed = await r2.actions.create(r2.thread.id, { title: 'Grind', body: '', draft: false, reviewers: [], labels: [] })
    expect(failed.ok).toBe(false)
    if (!failed.ok)
      expect(failed.error.message).toBe(
        'GitHub is having trouble (HTTP 500, still after retries), so the pull request was not opened. Try again in a few minutes.'
      )
    expect(pulls.writes.filter((w) => w.method === 'POST' && w.path === '/repos/acme/mill/pulls').length).toBe(1 + r2.http.retries)
    expect(pulls.pulls.get('acme/mill') ?? []).toEqual([])
  })

  it('merges through the API only while the head is the one shown, and reports GitHub refusing', async () => {
    const r = rig('gate')
    r.commit('g.ts', '1\n')
    const created = await r.actions.create(r.thread.id, {
      title: 'Open the gate',
      body: '',
      draft: false,
      reviewers: ['nobody-here'],
      labels: []
    })
    expect(created.ok).toBe(true)
    if (!created.ok) return
    // The pull request is opened; the reviewer GitHub refused (a 422 without a body, as described) is a warning.
    expect(created.value.warnings).toEqual([
      'Could not ask nobody-here to review: GitHub asks only collaborators of the repository to review'
    ])
    const n = created.value.status.number
    const stale = await r.actions.merge(r.thread.id, { method: 'squash', expectHead: 'a'.repeat(40) })
    expect(!stale.ok && stale.error.message).toBe('The pull request moved on since it was shown; look at its new commits first.')
    pulls.setMergeable('acme/gate', n, 'blocked')
    await r.tick()
    await r.tick()
    const blocked = await r.actions.merge(r.thread.id, { method: 'squash' })
    expect(!blocked.ok && blocked.error.message).toBe('GitHub refused: Pull Request is not mergeable.')
    pulls.setMergeable('acme/gate', n, 'clean')
    await r.tick()
    await r.tick()
    const merged = await r.actions.merge(r.thread.id, { method: 'squash', expectHead: created.value.status.headSha! })
    expect(merged.ok && merged.value.state).toBe('merged')
    expect(pulls.writes.find((w) => w.method === 'PUT')?.body).toEqual({ merge_method: 'squash', sha: created.value.status.headSha })
  })
})
