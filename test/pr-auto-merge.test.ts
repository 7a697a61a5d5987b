// GitHub's own auto-merge (and GitLab's merge when the pipeline succeeds) through the pull-request service, against the fakes.
import { mkdtempSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { autoMergeText, canMergeWhenReady } from '../src/renderer/features/pr/pr-format'
import type { PrStatus } from '../src/shared/pr'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'
import { startModelServer, type ModelServer, type ScriptedStep } from './helpers/model-server'
import { eventually } from './helpers/pty-client'
import { FakeGithub } from './helpers/fake-github'
import { FakeGithubAutoMerge, type FakeRepoRules } from './helpers/fake-github-auto-merge'
import { FakeGithubPulls } from './helpers/fake-github-pulls'
import { FakeGithubThreads } from './helpers/fake-github-threads'
import { FakeGitlab } from './helpers/fake-gitlab'
import { FakeGitlabMrs } from './helpers/fake-gitlab-mrs'
import { prRig } from './helpers/pr-rig'

let gh: FakeGithub
let pulls: FakeGithubPulls
let threads: FakeGithubThreads
let auto: FakeGithubAutoMerge
let gl: FakeGitlab
let mrs: FakeGitlabMrs
let model: ModelServer
let script: (() => ScriptedStep)[] = []
beforeAll(async () => {
  model = await startModelServer({ respond: () => script.shift()?.() ?? { text: 'Nothing more to do.' } })
  process.env.ANTHROPIC_BASE_URL = model.url
  process.env.ANTHROPIC_API_KEY = 'test-key'
  process.env.SHELL = '/bin/bash'
  process.env.HOME = mkdtempSync(join(tmpdir(), 'skein-model-home-'))
  gh = await FakeGithub.start()
  process.env.GITHUB_TOKEN = gh.token
  pulls = FakeGithubPulls.attach(gh)
  threads = FakeGithubThreads.attach(gh)
  auto = FakeGithubAutoMerge.attach(gh, pulls, threads)
  gl = await FakeGitlab.start()
  mrs = FakeGitlabMrs.attach(gl)
})
afterAll(async () => {
  delete process.env.GITHUB_TOKEN
  await model.close()
  await gh.close()
  await gl.close()
})
afterEach(async () => {
  script = []
  await cleanupTemp()
  expect(gh.violations.splice(0)).toEqual([])
  expect(threads.graphqlRejected).toBe(0)
})

let count = 0
/** A thread with a pushed commit, its pull request on the fake GitHub, and the repository's rules. */
function github(rules: Partial<FakeRepoRules>, o: { requested?: string[] } = {}) {
  const name = `native${++count}`
  const full = `acme/${name}`
  const r = prRig({ name, remote: `https://github.com/${full}.git`, baseUrl: gh.baseUrl, token: gh.token })
  pulls.setRemote(full, r.bare)
  auto.configure(full, rules)
  r.commit('a.txt', 'one\n')
  const head = r.push()
  const pr = pulls.addPull(full, { title: name, head: { ref: r.thread.branch!, sha: head }, requestedReviewers: o.requested ?? [] })
  const merges = () => pulls.writes.filter((w) => w.path === `/repos/${full}/pulls/${pr.number}/merge`)
  const enables = () =>
    threads.graphql.filter((c) => c.query.includes('enablePullRequestAutoMerge') && c.variables.id === `PR_${pr.number}`)
  const whenReady = (method: 'merge' | 'squash' = 'squash', expectHead = head) =>
    r.actions.merge(r.thread.id, { method, expectHead, whenReady: true })
  return { r, full, head, pr, merges, enables, whenReady }
}

const failure = (x: { ok: boolean; error?: { message: string } }) => (x.ok ? 'merged' : x.error!.message)

describe("GitHub's own auto-merge", () => {
  it('is turned on at the head while a required review is missing; GitHub merges once it is approved, and Skein shows it merged', async () => {
    const g = github({ allowAutoMerge: true, requiredApprovals: 1 })
    const status = must(await g.whenReady())
    expect(status).toMatchObject({ state: 'open', mergeability: 'blocked', autoMerge: { method: 'squash', enabledBy: 'skein-user' } })
    expect(g.enables().map((c) => c.variables)).toEqual([{ id: `PR_${g.pr.number}`, mergeMethod: 'SQUASH', expectedHeadOid: g.head }])
    expect(g.merges()).toEqual([])
    expect(pulls.pull(g.full, g.pr.number)!.merged).toBe(false)

    pulls.review(g.full, g.pr.number, 'monalisa', 'APPROVED')
    expect(auto.merged).toContainEqual({ fullName: g.full, number: g.pr.number, sha: g.head, method: 'squash' })
    const after = await g.r.service.refresh(g.r.thread.id)
    expect(after).toMatchObject({ state: 'merged', autoMerge: null })
    // GitHub merged it: Skein never called the merge endpoint.
    expect(g.merges()).toEqual([])
  })

  it('waits for required checks too, and merges only once they pass on that head', async () => {
    const g = github({ allowAutoMerge: true, requiredChecks: ['test'] })
    gh.setCheckRun(g.full, g.head, { id: 1, name: 'test', status: 'in_progress', conclusion: null })
    expect(must(await g.whenReady('merge')).autoMerge).toEqual({ method: 'merge', enabledBy: 'skein-user' })
    expect((await g.r.service.refresh(g.r.thread.id))?.state).toBe('open')
    gh.setCheckRun(g.full, g.head, { id: 1, name: 'test', status: 'completed', conclusion: 'success' })
    expect((await g.r.service.refresh(g.r.thread.id))?.state).toBe('merged')
    expect(auto.merged.filter((m) => m.fullName === g.full)).toEqual([
      { fullName: g.full, number: g.pr.number, sha: g.head, method: 'merge' }
    ])
  })

  it('merges directly when GitHub answers "clean status" and nothing Skein sees blocks it any more', async () => {
    const g = github({ allowAutoMerge: true, requiredChecks: ['test'] })
    gh.setCheckRun(g.full, g.head, { id: 1, name: 'test', status: 'in_progress', conclusion: null })
    // The required check passes just as Skein asks for auto-merge: GitHub has nothing left to wait for.
    const race = (q: string) => {
      if (q.includes('enablePullRequestAutoMerge'))
        gh.setCheckRun(g.full, g.head, { id: 1, name: 'test', status: 'completed', conclusion: 'success' })
      return null
    }
    threads.operations.unshift(race)
    try {
      const status = must(await g.whenReady())
      expect(status.state).toBe('merged')
    } finally {
      threads.operations.splice(threads.operations.indexOf(race), 1)
    }
    expect(g.enables()).toHaveLength(1)
    expect(g.merges().map((w) => w.body)).toEqual([{ merge_method: 'squash', sha: g.head }])
    expect(auto.merged.filter((m) => m.fullName === g.full)).toEqual([])
  })

  it('does not merge on "clean status" while a requested reviewer has not answered, and says why', async () => {
    const g = github({ allowAutoMerge: true, requiredChecks: ['test'] }, { requested: ['octocat'] })
    gh.setCheckRun(g.full, g.head, { id: 1, name: 'test', status: 'queued', conclusion: null })
    const race = (q: string) => {
      if (q.includes('enablePullRequestAutoMerge'))
        gh.setCheckRun(g.full, g.head, { id: 1, name: 'test', status: 'completed', conclusion: 'success' })
      return null
    }
    threads.operations.unshift(race)
    try {
      expect(failure(await g.whenReady())).toBe(
        `Not merged: it waits for a review from octocat (pull request #${g.pr.number}). GitHub does not require that, so its auto-merge has nothing to wait for; merge by hand once it is done.`
      )
    } finally {
      threads.operations.splice(threads.operations.indexOf(race), 1)
    }
    expect(g.enables()).toHaveLength(1)
    expect(g.merges()).toEqual([])
    expect(pulls.pull(g.full, g.pr.number)).toMatchObject({ merged: false, autoMerge: null })
  })

  it('does not even ask GitHub when it calls the pull request clean and only an unrequired review is awaited', async () => {
    const g = github({ allowAutoMerge: true }, { requested: ['octocat'] })
    expect(failure(await g.whenReady())).toMatch(/^Not merged: it waits for a review from octocat .* GitHub does not require that/)
    expect(g.enables()).toEqual([])
    expect(g.merges()).toEqual([])
  })

  it('says to turn on "Allow auto-merge" when the repository does not allow it, and merges nothing', async () => {
    const g = github({ allowAutoMerge: false, requiredApprovals: 1 })
    const r = await g.whenReady()
    expect(r.ok).toBe(false)
    expect(failure(r)).toBe(
      'GitHub refused: Auto merge is not allowed for this repository. Turn on "Allow auto-merge" in the repository\'s settings (Settings → General → Pull Requests), or merge it by hand once its requirements are met.'
    )
    pulls.review(g.full, g.pr.number, 'monalisa', 'APPROVED')
    expect(pulls.pull(g.full, g.pr.number)).toMatchObject({ merged: false, autoMerge: null })
    expect(g.merges()).toEqual([])
  })

  it('is dropped by a new push: the approval that follows does not merge the new head', async () => {
    const g = github({ allowAutoMerge: true, requiredApprovals: 1 })
    expect(must(await g.whenReady()).autoMerge).not.toBeNull()
    g.r.commit('b.txt', 'later\n')
    const pushed = g.r.push()
    pulls.review(g.full, g.pr.number, 'monalisa', 'APPROVED')
    expect(pulls.pull(g.full, g.pr.number)).toMatchObject({ merged: false, autoMerge: null, head: { sha: pushed } })
    expect(await g.r.service.refresh(g.r.thread.id)).toMatchObject({ state: 'open', headSha: pushed, autoMerge: null })
    // Nor is auto-merge turned on for a head other than the one asked for.
    expect(failure(await g.whenReady('squash', g.head))).toBe(
      `Not merged: pull request #${g.pr.number}'s head is now ${pushed.slice(0, 7)}, not ${g.head.slice(0, 7)}.`
    )
    expect(g.enables()).toHaveLength(1)
  })

  it('is cancelled from Skein, and then the approval does not merge', async () => {
    const g = github({ allowAutoMerge: true, requiredApprovals: 1 })
    must(await g.whenReady())
    const cancelled = must(await g.r.actions.cancelAutoMerge(g.r.thread.id))
    expect(cancelled).toMatchObject({ state: 'open', autoMerge: null })
    const disables = threads.graphql.filter(
      (c) => c.query.includes('disablePullRequestAutoMerge') && c.variables.id === `PR_${g.pr.number}`
    )
    expect(disables.map((c) => c.variables)).toEqual([{ id: `PR_${g.pr.number}` }])
    pulls.review(g.full, g.pr.number, 'monalisa', 'APPROVED')
    expect(pulls.pull(g.full, g.pr.number)!.merged).toBe(false)
    expect(failure(await g.r.actions.cancelAutoMerge(g.r.thread.id))).toBe(`Auto-merge is not on for pull request #${g.pr.number}.`)
  })

  it('is never turned on for changes requested or failing checks', async () => {
    const g = github({ allowAutoMerge: true, requiredApprovals: 1 })
    pulls.review(g.full, g.pr.number, 'hubot', 'CHANGES_REQUESTED')
    expect(failure(await g.whenReady())).toBe(`Not merged: hubot requested changes (pull request #${g.pr.number}).`)
    const h = github({ allowAutoMerge: true, requiredApprovals: 1 })
    h.r.ci({ commit: h.head, checks: [{ state: 'passed' }, { state: 'failed' }] })
    expect(failure(await h.whenReady())).toBe(`Not merged: 1 of 2 checks failed (pull request #${h.pr.number}).`)
    expect([...g.enables(), ...h.enables()]).toEqual([])
  })
})

describe("GitLab's merge when the pipeline succeeds, as Skein's status shows it", () => {
  it('reads merge_when_pipeline_succeeds as autoMerge, and cancels it', async () => {
    const name = 'gl-native'
    const path = `tools/${name}`
    const r = prRig({ name, remote: `git@gitlab.example.org:${path}.git`, baseUrl: gl.baseUrl, token: gl.token })
    mrs.setRemote(path, r.bare)
    r.commit('a.txt', 'one\n')
    const made = must(await r.actions.create(r.thread.id, { title: name, body: '', draft: false, reviewers: [], labels: [] }))
    expect(made.status.autoMerge).toBeNull()
    mrs.setStatus(path, made.status.number, 'ci_still_running')
    const set = must(await r.actions.merge(r.thread.id, { method: 'merge', expectHead: made.status.headSha!, whenReady: true }))
    expect(set).toMatchObject({ state: 'open', autoMerge: { method: 'merge', enabledBy: null } })
    const off = must(await r.actions.cancelAutoMerge(r.thread.id))
    expect(off.autoMerge).toBeNull()
    expect(mrs.mr(path, made.status.number)).toMatchObject({ state: 'opened', autoMerge: false })
    expect(mrs.writes.filter((w) => w.path.endsWith('/cancel_merge_when_pipeline_succeeds'))).toHaveLength(1)
  })
})

describe("the autopilot with GitHub's auto-merge", () => {
  it('fail, fix, push, green: auto-merge is turned on at the green sha, GitHub merges once approved, and the autopilot shows it merged', async () => {
    const name = 'native-autopilot'
    const full = `acme/${name}`
    gh.addRepo(full)
    const dir = makeRepo(name)
    const bare = join(tempDir('skein-remote-'), `${name}.git`)
    git(tempDir(), 'init', '-q', '--bare', bare)
    git(dir, 'remote', 'add', 'origin', `https://github.com/${full}.git`)
    git(dir, 'config', 'remote.origin.pushurl', bare)
    git(dir, 'config', 'user.name', 'Person')
    git(dir, 'config', 'user.email', 'person@example.com')
    auto.configure(full, { allowAutoMerge: true, requiredApprovals: 1 })
    const { core } = await makeCore(tempDir('skein-home-'), { listenSocket: true })
    const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    const repo = must(await core.repos.add(dir))
    must(await core.ci.configure(repo.id, { override: { provider: 'github', baseUrl: gh.baseUrl } }))
    const thread = must(await core.threads.create({ repoId: repo.id, title: 'fix the cart', mode: 'worktree', permissionMode: 'auto' }))
    writeFile(join(thread.worktreePath, 'cart.ts'), 'export const total = 41\n')
    must(await core.review.commit(thread.id, 'first try'))
    const sha1 = git(thread.worktreePath, 'rev-parse', 'HEAD')
    const check = (sha: string, id: number, conclusion: string) =>
      gh.setCheckRun(full, sha, {
        id,
        name: 'test',
        status: 'completed',
        conclusion,
        log: conclusion === 'failure' ? 'FAIL: expected 42' : 'ok'
      })
    check(sha1, 100, 'failure')
    await client.request('autopilot/configure', { threadId: thread.id, enabled: true, autoMerge: true })
    let sha2 = ''
    script.push(
      () => ({
        toolUses: [
          {
            name: 'bash',
            input: { command: `printf 'export const total = 42\\n' > cart.ts && git add -A && git commit -qm "fix the total"` }
          }
        ]
      }),
      () => {
        sha2 = git(thread.worktreePath, 'rev-parse', 'HEAD')
        check(sha2, 101, 'success')
        return { text: 'Fixed the total.' }
      }
    )
    must(await core.review.push(thread.id))
    await core.ci.pushed(thread.id)
    pulls.setRemote(full, bare)
    const pr = pulls.addPull(full, { title: 'fix the cart', head: { ref: thread.branch!, sha: sha1 } })

    const state = () => must(core.autopilot.get(thread.id))
    await eventually(() => state().merge?.state === 'scheduled', 'auto-merge to be on')
    expect(state().phase).toBe('passed')
    expect(state().merge).toMatchObject({
      sha: sha2,
      message: `Auto-merge on: GitHub merges pull request #${pr.number} at ${sha2.slice(0, 7)} when its requirements are met (checks, required reviews).`
    })
    expect(pulls.pull(full, pr.number)).toMatchObject({ merged: false, autoMerge: { expectedHead: sha2, method: 'merge' } })

    pulls.review(full, pr.number, 'monalisa', 'APPROVED')
    expect(pulls.pull(full, pr.number)!.merged).toBe(true)
    // Skein reads the request (as its schedule does) and the autopilot follows.
    expect((await client.request('pr/refresh', { threadId: thread.id })).status?.state).toBe('merged')
    await eventually(() => state().merge?.state === 'merged', 'the autopilot to show it merged')
    expect(state().merge?.message).toBe(`Merged pull request #${pr.number}: GitHub's auto-merge merged ${sha2.slice(0, 7)}.`)
    expect(pulls.writes.filter((w) => w.path.endsWith(`/pulls/${pr.number}/merge`))).toEqual([])
    client.dispose()
  })
})

describe('what the PR panel offers', () => {
  const base: PrStatus = {
    threadId: 't1',
    provider: 'github',
    number: 7,
    url: 'https://github.com/acme/shop/pull/7',
    title: 'Fix',
    state: 'open',
    base: 'main',
    head: 'skein/fix',
    headSha: 'a'.repeat(40),
    mergeability: 'blocked',
    mergeabilityDetail: 'required reviews or checks',
    review: { decision: 'none', approvedBy: [], changesRequestedBy: [], requested: [] },
    labels: [],
    autoMerge: null,
    checks: { overall: 'running', total: 1, passed: 0, failed: 0, running: 1, commit: 'a'.repeat(40) },
    problem: null,
    rateLimitedUntil: null,
    updatedAt: 0
  }

  it('offers Merge when ready only while GitHub waits for what it enforces', () => {
    expect(canMergeWhenReady(base)).toBe(true)
    expect(canMergeWhenReady({ ...base, mergeability: 'conflicts', mergeabilityDetail: 'conflicts with the base branch' })).toBe(false)
    expect(canMergeWhenReady({ ...base, review: { ...base.review, decision: 'changes-requested', changesRequestedBy: ['hubot'] } })).toBe(
      false
    )
    expect(canMergeWhenReady({ ...base, checks: { ...base.checks!, overall: 'failed', failed: 1, running: 0 } })).toBe(false)
    // GitLab: its auto-merge waits for the pipeline, never for a missing approval or conflicts.
    const mr: PrStatus = { ...base, provider: 'gitlab', mergeabilityDetail: 'the pipeline is still running' }
    expect(canMergeWhenReady(mr)).toBe(true)
    expect(canMergeWhenReady({ ...mr, mergeabilityDetail: 'approvals are missing' })).toBe(false)
    expect(canMergeWhenReady({ ...mr, review: { ...mr.review, decision: 'review-required' } })).toBe(false)
    // GitHub calls it clean, Skein sees a review it does not require still asked for: nothing for GitHub to wait for.
    expect(
      canMergeWhenReady({
        ...base,
        mergeability: 'mergeable',
        mergeabilityDetail: null,
        checks: { ...base.checks!, overall: 'passed', passed: 1, running: 0 },
        review: { ...base.review, decision: 'review-required', requested: ['octocat'] }
      })
    ).toBe(false)
    expect(canMergeWhenReady({ ...base, autoMerge: { method: 'merge', enabledBy: 'skein-user' } })).toBe(false)
    expect(canMergeWhenReady({ ...base, mergeability: 'mergeable', mergeabilityDetail: null, checks: null })).toBe(false)
  })

  it('says that auto-merge is on, and how', () => {
    expect(autoMergeText(base)).toBeNull()
    expect(autoMergeText({ ...base, autoMerge: { method: 'squash', enabledBy: 'octocat' } })).toBe(
      'Auto-merge on (squash) — GitHub will merge when the checks pass and reviews allow it'
    )
    expect(autoMergeText({ ...base, provider: 'gitlab', autoMerge: { method: 'merge', enabledBy: null } })).toBe(
      'Auto-merge on (merge) — GitLab will merge when the pipeline succeeds'
    )
    expect(autoMergeText({ ...base, state: 'merged', autoMerge: { method: 'squash', enabledBy: 'octocat' } })).toBeNull()
  })
})
