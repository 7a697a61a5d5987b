// Review threads read with a pull request's polling, politely: against the fake GitHub on a manual clock
// (real HTTP on loopback, Octokit on Skein's conditional transport), counting what was sent.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RemoteThreads } from '../src/shared/pr-threads'
import { PR_SCHEDULE } from '../src/main/core/pr/pr-service'
import { ReviewThreadsService } from '../src/main/core/pr/review-threads'
import { GitRunner } from '../src/main/core/git/git-runner'
import { cleanupTemp } from './helpers/fixtures'
import { FakeGithub } from './helpers/fake-github'
import { FakeGithubPulls } from './helpers/fake-github-pulls'
import { FakeGithubThreads } from './helpers/fake-github-threads'
import { prRig } from './helpers/pr-rig'

const STALE_MS = 1_800_000
const TEXT = Array.from({ length: 20 }, (_, i) => `const line${i + 1} = ${i + 1}`).join('\n') + '\n'

let gh: FakeGithub
let pulls: FakeGithubPulls
let ghThreads: FakeGithubThreads
beforeAll(async () => {
  gh = await FakeGithub.start()
  pulls = FakeGithubPulls.attach(gh)
  ghThreads = FakeGithubThreads.attach(gh)
})
afterAll(() => gh.close())
afterEach(async () => {
  gh.forbidden = false
  await cleanupTemp()
  expect(gh.violations.splice(0)).toEqual([])
  expect(ghThreads.graphqlRejected).toBe(0)
})

/** A thread whose pushed branch has an open pull request, its review threads read with the request's polling. */
async function setup(name: string) {
  const o = { watching: true }
  const updates: RemoteThreads[] = []
  let review: ReviewThreadsService | null = null
  const r = prRig({
    name,
    remote: `https://github.com/acme/${name}.git`,
    baseUrl: gh.baseUrl,
    token: gh.token,
    polled: (id, changed) => void review?.prUpdated(id, changed)
  })
  pulls.setRemote(`acme/${name}`, r.bare)
  const threads = new ReviewThreadsService({
    thread: (id) => (id === r.thread.id ? r.thread : undefined),
    git: new GitRunner(),
    status: (id) => r.service.status(id),
    provider: (id) => r.service.provider(id),
    deliver: async () => {
      throw new Error('nothing is sent to an agent here')
    },
    notify: (t) => void updates.push(t),
    now: () => r.clock.now(),
    watching: () => o.watching,
    staleMs: STALE_MS
  })
  review = threads
  r.commit('a.ts', TEXT)
  const sha = r.push()
  const pr = pulls.addPull(`acme/${name}`, { title: `Work on ${name}`, head: { ref: r.thread.branch!, sha } })
  r.ci({ commit: sha, checks: [{ state: 'passed' }] })
  await r.service.whenIdle()
  const fullName = `acme/${name}`
  const idle = async () => {
    await r.service.whenIdle()
    await threads.whenIdle()
  }
  return {
    r,
    o,
    pr,
    sha,
    threads,
    updates,
    fullName,
    /** Moves from timer to timer for `ms`, waiting for every read each starts. */
    async run(ms: number) {
      const end = r.clock.now() + ms
      for (let at = r.clock.nextAt(); at !== null && at <= end; at = r.clock.nextAt()) {
        r.clock.fireNext()
        await idle()
      }
      r.clock.advanceTo(end)
    },
    /** Moves to the next timer and waits for the reads it starts. */
    async tick() {
      await idle()
      r.clock.fireNext()
      await idle()
    },
    comment: (line: number, body: string) =>
      ghThreads.comment(fullName, { pull: pr.number, path: 'a.ts', line, body, user: 'octocat', commitId: sha }),
    queries: () => ghThreads.graphql.filter((c) => c.variables.name === name && c.query.startsWith('query')).length,
    commentReads: () => gh.requests.filter((q) => q.path.startsWith(`/repos/${fullName}/pulls/${pr.number}/comments`))
  }
}

describe('review threads with the pull request polling', () => {
  it('ask GraphQL once over settled polls, and see a thread resolved on github.com at the latest a poll after the floor', async () => {
    const s = await setup('kiln')
    const first = s.comment(3, 'Why 3?')
    s.comment(7, 'And 7?')
    const listed = await s.threads.list(s.r.thread.id)
    expect(listed.ok && listed.value.threads.map((t) => [t.line, t.resolved])).toEqual([
      [3, false],
      [7, false]
    ])
    expect(s.queries()).toBe(1)

    // Settled polls (GitHub works out mergeability, then every 10 minutes): no GraphQL, comments only when the request changed.
    const polls = () => s.r.http.sent.requests
    const before = { polls: polls(), reads: s.commentReads().length }
    await s.run(STALE_MS - 60_000)
    expect(s.queries()).toBe(1)
    expect(polls() - before.polls).toBeGreaterThan(3)
    expect(s.commentReads().length - before.reads).toBeLessThanOrEqual(1)
    expect(s.commentReads().every((q, i) => i === 0 || q.status === 304)).toBe(true)

    // Resolving on github.com changes no comment and not the pull request: the floor finds it, with one query.
    ghThreads.resolved.add(first.id)
    const at = s.r.clock.now()
    const resolved = () => s.updates.at(-1)?.threads.find((t) => t.id === String(first.id))?.resolved === true
    while (!resolved() && s.r.clock.now() - at < STALE_MS + PR_SCHEDULE.maxMs) await s.tick()
    expect(resolved()).toBe(true)
    expect(s.queries()).toBe(2)
  })

  it('read a new comment at the next poll once the pull request changed, with its resolved state', async () => {
    const s = await setup('mill')
    s.comment(3, 'Why 3?')
    await s.threads.list(s.r.thread.id)
    await s.run(15 * 60_000)
    const queries = s.queries()
    const reads = s.commentReads().length

    // On GitHub a review comment changes the pull request (its review_comments count and updated_at).
    const late = s.comment(12, 'Late remark.')
    s.pr.updatedAt = Date.now() + 1
    await s.tick()
    expect(s.commentReads().length).toBe(reads + 1)
    expect(s.commentReads().at(-1)!.status).toBe(200)
    expect(s.queries()).toBe(queries + 1)
    expect(s.updates.at(-1)!.threads.map((t) => t.id)).toContain(String(late.id))

    // A push moves the head: the comments are read again, the resolved states only if they changed.
    s.r.commit('b.ts', 'b\n')
    const head = s.r.push()
    s.r.ci({ commit: head, checks: [{ state: 'passed' }] })
    await s.tick()
    expect(s.commentReads().length).toBe(reads + 2)
    expect(s.queries()).toBe(queries + 1)

    // GitHub moves the comments onto the new head (their commit_id): they are read, but no comment is new,
    // so the resolved states are kept rather than asked for again.
    for (const c of ghThreads.list(s.fullName)) c.commitId = head
    s.pr.updatedAt = Date.now() + 2
    await s.tick()
    expect(s.commentReads().length).toBe(reads + 3)
    expect(s.commentReads().at(-1)!.status).toBe(200)
    expect(s.queries()).toBe(queries + 1)
  })

  it('are not read while no client has the Changes tab open, and are read again once one has', async () => {
    const s = await setup('loom')
    s.comment(3, 'Why 3?')
    await s.threads.list(s.r.thread.id)
    s.o.watching = false
    // Asked for a while ago, the tab closed since: changes to the request do not bring the threads.
    await s.run(STALE_MS)
    const reads = s.commentReads().length
    s.comment(5, 'Unseen.')
    s.pr.updatedAt = Date.now() + 1
    await s.run(3 * PR_SCHEDULE.maxMs)
    expect(s.commentReads().length).toBe(reads)

    s.o.watching = true
    s.pr.updatedAt = Date.now() + 2
    await s.tick()
    expect(s.commentReads().length).toBe(reads + 1)
    expect(s.updates.at(-1)!.threads).toHaveLength(2)
  })

  it('ask GraphQL nothing for a pull request without review comments', async () => {
    const s = await setup('weir')
    const listed = await s.threads.list(s.r.thread.id)
    expect(listed.ok && listed.value.threads).toEqual([])
    expect(s.commentReads()).toHaveLength(1)
    expect(s.queries()).toBe(0)
    s.comment(2, 'First remark.')
    const again = await s.threads.list(s.r.thread.id, { force: true })
    expect(again.ok && again.value.threads).toHaveLength(1)
    expect(s.queries()).toBe(1)
  })

  it('are only placed again when the tab asks as files change; Refresh reads, and a failed read is not retried at every ask', async () => {
    const s = await setup('sluice')
    s.comment(3, 'Why three?')
    const first = await s.threads.list(s.r.thread.id)
    expect(first.ok && first.value.threads).toHaveLength(1)
    const reads = s.commentReads().length
    const queries = s.queries()
    expect(reads).toBe(1)
    // Only the asks count here: the request's polling (which also reads watched threads) is stopped.
    s.r.service.dispose()
    // The Changes tab asks each time the agent changes a file: ten asks over ten minutes read nothing.
    for (let i = 0; i < 10; i++) {
      s.r.clock.advanceTo(s.r.clock.now() + 60_000)
      const again = await s.threads.list(s.r.thread.id)
      expect(again.ok && again.value.threads).toHaveLength(1)
    }
    expect(s.commentReads().length).toBe(reads)
    expect(s.queries()).toBe(queries)
    // Refresh does read, resolved states included.
    s.comment(5, 'And five?')
    const refreshed = await s.threads.list(s.r.thread.id, { force: true })
    expect(refreshed.ok && refreshed.value.threads).toHaveLength(2)
    expect(s.commentReads().length).toBe(reads + 1)
    expect(s.queries()).toBe(queries + 1)
    // Past staleMs an ask reads again; when that read fails, asks within freshMs do not try again.
    s.r.clock.advanceTo(s.r.clock.now() + STALE_MS + 1)
    gh.forbidden = true
    const failed = await s.threads.list(s.r.thread.id)
    expect(failed.ok && failed.value.problem).toBeTruthy()
    const afterFailure = s.commentReads().length
    for (let i = 0; i < 5; i++) await s.threads.list(s.r.thread.id)
    expect(s.commentReads().length).toBe(afterFailure)
    gh.forbidden = false
    s.r.clock.advanceTo(s.r.clock.now() + 16_000)
    const recovered = await s.threads.list(s.r.thread.id)
    expect(recovered.ok && recovered.value.problem).toBeNull()
    expect(s.commentReads().length).toBe(afterFailure + 1)
  })
})
