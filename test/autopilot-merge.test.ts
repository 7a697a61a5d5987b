// The autopilot's auto-merge: the pull-request service's merge under the autopilot's rules, against the fakes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { prMergeWhenGreen } from '../src/main/core/autopilot/merge-when-green'
import { cleanupTemp, must } from './helpers/fixtures'
import { FakeGithub } from './helpers/fake-github'
import { FakeGithubAutoMerge } from './helpers/fake-github-auto-merge'
import { FakeGithubPulls, type FakeReview } from './helpers/fake-github-pulls'
import { FakeGithubThreads } from './helpers/fake-github-threads'
import { FakeGitlab } from './helpers/fake-gitlab'
import { FakeGitlabMrs } from './helpers/fake-gitlab-mrs'
import { prRig } from './helpers/pr-rig'

let gh: FakeGithub
let pulls: FakeGithubPulls
let auto: FakeGithubAutoMerge
let gl: FakeGitlab
let mrs: FakeGitlabMrs
beforeAll(async () => {
  gh = await FakeGithub.start()
  pulls = FakeGithubPulls.attach(gh)
  auto = FakeGithubAutoMerge.attach(gh, pulls, FakeGithubThreads.attach(gh))
  gl = await FakeGitlab.start()
  mrs = FakeGitlabMrs.attach(gl)
})
afterAll(async () => {
  await gh.close()
  await gl.close()
})
afterEach(async () => {
  await cleanupTemp()
  expect(gh.violations.splice(0)).toEqual([])
  expect(gl.violations.splice(0)).toEqual([])
})

let count = 0
/** A thread with two pushed commits on GitHub's copy, a pull request for its branch as told, and the autopilot's merge over the rig's PR service. */
function github(
  o: {
    pull?: boolean
    draft?: boolean
    state?: 'clean' | 'blocked' | 'unstable'
    reviews?: [string, FakeReview['state']][]
    requested?: string[]
    token?: string
    requiredApprovals?: number
  } = {}
) {
  const name = `automerge${++count}`
  const r = prRig({ name, remote: `https://github.com/acme/${name}.git`, baseUrl: gh.baseUrl, token: o.token ?? gh.token })
  pulls.setRemote(`acme/${name}`, r.bare)
  if (o.requiredApprovals) auto.configure(`acme/${name}`, { allowAutoMerge: true, requiredApprovals: o.requiredApprovals })
  const first = r.commit('a.txt', 'one\n')
  r.commit('a.txt', 'two\n')
  const head = r.push()
  const pr =
    o.pull === false
      ? null
      : pulls.addPull(`acme/${name}`, {
          title: name,
          head: { ref: r.thread.branch!, sha: head },
          draft: o.draft ?? false,
          mergeableState: o.draft ? 'draft' : (o.state ?? 'clean'),
          requestedReviewers: o.requested ?? []
        })
  for (const [user, state] of o.reviews ?? []) pulls.review(`acme/${name}`, pr!.number, user, state)
  const merges = () => pulls.writes.filter((w) => w.path === `/repos/acme/${name}/pulls/${pr?.number}/merge`).map((w) => w.body)
  return { r, first, head, pr, merges, merge: prMergeWhenGreen((id, m) => r.actions.merge(id, m)) }
}

describe('auto-merge through the pull-request service on GitHub', () => {
  it('merges a clean, approved pull request at the green sha, waiting while GitHub works out mergeability', async () => {
    const g = github({ reviews: [['monalisa', 'APPROVED']] })
    expect(must(await g.merge.enable(g.r.thread, g.head))).toEqual({
      state: 'merged',
      message: `Merged pull request #${g.pr!.number} at ${g.head.slice(0, 7)}.`
    })
    expect(g.merges()).toEqual([{ merge_method: 'merge', sha: g.head }])
    expect(pulls.pull(`acme/automerge${count}`, g.pr!.number)!.merged).toBe(true)
  })

  it('never merges while a review asks for changes or is awaited, nor a draft, nor what GitHub does not call clean', async () => {
    const changes = github({
      reviews: [
        ['monalisa', 'APPROVED'],
        ['hubot', 'CHANGES_REQUESTED']
      ]
    })
    expect(must(await changes.merge.enable(changes.r.thread, changes.head))).toEqual({
      state: 'blocked',
      message: `Not merged: hubot requested changes (pull request #${changes.pr!.number}).`
    })
    const awaited = github({ requested: ['octocat'] })
    expect(must(await awaited.merge.enable(awaited.r.thread, awaited.head)).message).toBe(
      `Not merged: it waits for a review from octocat (pull request #${awaited.pr!.number}). GitHub does not require that, so its auto-merge has nothing to wait for; merge by hand once it is done.`
    )
    // Blocked by what GitHub enforces, in a repository that does not allow auto-merge.
    const blocked = github({ state: 'blocked' })
    expect(must(await blocked.merge.enable(blocked.r.thread, blocked.head))).toEqual({
      state: 'blocked',
      message: expect.stringMatching(/^GitHub refused: Auto merge is not allowed for this repository\. Turn on "Allow auto-merge"/)
    })
    const unstable = github({ state: 'unstable' })
    expect(must(await unstable.merge.enable(unstable.r.thread, unstable.head)).message).toContain('some checks are not passing')
    const draft = github({ draft: true })
    expect(must(await draft.merge.enable(draft.r.thread, draft.head))).toEqual({
      state: 'blocked',
      message: `#${draft.pr!.number} is a draft; mark it ready for review first.`
    })
    expect([changes, awaited, blocked, unstable, draft].flatMap((x) => x.merges())).toEqual([])
    // The latest review of each reviewer counts: an approval after a change request lets it merge.
    const later = github({
      reviews: [
        ['hubot', 'CHANGES_REQUESTED'],
        ['hubot', 'APPROVED']
      ]
    })
    expect(must(await later.merge.enable(later.r.thread, later.head)).state).toBe('merged')
  })

  it("turns on GitHub's auto-merge at the green sha while a required review is missing; GitHub merges it once approved", async () => {
    const g = github({ requiredApprovals: 1 })
    expect(must(await g.merge.enable(g.r.thread, g.head))).toEqual({
      state: 'scheduled',
      message: `Auto-merge on: GitHub merges pull request #${g.pr!.number} at ${g.head.slice(0, 7)} when its requirements are met (checks, required reviews).`
    })
    expect(g.merges()).toEqual([])
    pulls.review(`acme/automerge${count}`, g.pr!.number, 'monalisa', 'APPROVED')
    expect(pulls.pull(`acme/automerge${count}`, g.pr!.number)!.merged).toBe(true)
    expect(auto.merged.at(-1)).toMatchObject({ number: g.pr!.number, sha: g.head })
  })

  it('never merges a head other than the green one, and says when there is no pull request', async () => {
    const none = github({ pull: false })
    expect(must(await none.merge.enable(none.r.thread, none.head))).toEqual({
      state: 'blocked',
      message: `There is no open pull or merge request for ${none.r.thread.branch}; open one and the autopilot merges it once green.`
    })
    const g = github()
    expect(must(await g.merge.enable(g.r.thread, g.first))).toEqual({
      state: 'blocked',
      message: `Not merged: pull request #${g.pr!.number}'s head is now ${g.head.slice(0, 7)}, not ${g.first.slice(0, 7)}.`
    })
    expect(g.merges()).toEqual([])
  })

  it('reports a token GitHub rejects as an error, not as blocked', async () => {
    const g = github({ token: 'wrong' })
    const r = await g.merge.enable(g.r.thread, g.head)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error.message).toContain('rejected the token (401)')
    expect(g.merges()).toEqual([])
  })
})

describe('auto-merge through the merge-request service on GitLab', () => {
  async function gitlab(name: string) {
    const path = `tools/sub/${name}`
    const r = prRig({ name, remote: `git@gitlab.example.org:${path}.git`, baseUrl: gl.baseUrl, token: gl.token })
    mrs.setRemote(path, r.bare)
    r.commit('a.txt', 'one\n')
    const made = must(await r.actions.create(r.thread.id, { title: name, body: '', draft: false, reviewers: [], labels: [] }))
    const head = made.status.headSha!
    const merges = () =>
      mrs.writes.filter((w) => w.path.endsWith(`${encodeURIComponent(path)}/merge_requests/${made.status.number}/merge`)).map((w) => w.body)
    return { r, path, iid: made.status.number, head, merges, merge: prMergeWhenGreen((id, m) => r.actions.merge(id, m)) }
  }

  it('merges at the sha when mergeable, sets auto-merge while the pipeline runs, and waits for approval', async () => {
    const now = await gitlab('forge')
    expect(must(await now.merge.enable(now.r.thread, now.head))).toEqual({
      state: 'merged',
      message: `Merged merge request !${now.iid} at ${now.head.slice(0, 7)}.`
    })
    expect(now.merges()).toEqual([{ sha: now.head }])

    const running = await gitlab('smelter')
    mrs.setStatus(running.path, running.iid, 'ci_still_running')
    expect(must(await running.merge.enable(running.r.thread, running.head))).toEqual({
      state: 'scheduled',
      message: `GitLab merges merge request !${running.iid} once its pipeline passes (auto-merge at ${running.head.slice(0, 7)}).`
    })
    expect(running.merges()).toEqual([{ sha: running.head, auto_merge: true, merge_when_pipeline_succeeds: true }])
    expect(mrs.mr(running.path, running.iid)).toMatchObject({ state: 'opened', autoMerge: true })

    const approval = await gitlab('bellows')
    mrs.setStatus(approval.path, approval.iid, 'not_approved')
    expect(must(await approval.merge.enable(approval.r.thread, approval.head))).toEqual({
      state: 'blocked',
      message: `Not merged: approvals are missing (merge request !${approval.iid}).`
    })
    expect(approval.merges()).toEqual([])
  })

  it('never merges a head other than the green one', async () => {
    const m = await gitlab('crucible')
    const pushed = m.r.commit('b.txt', 'more\n')
    m.r.push()
    expect(must(await m.merge.enable(m.r.thread, m.head))).toEqual({
      state: 'blocked',
      message: `Not merged: merge request !${m.iid}'s head is now ${pushed.slice(0, 7)}, not ${m.head.slice(0, 7)}.`
    })
    expect(m.merges()).toEqual([])
  })
})
