// Pull request polling cost: requests per hour per thread with CI, an open pull request, and its review
// threads watched (the Changes tab open), against the fake GitHub on a manual clock, next to CI alone
// measured in the same run, settled and busy; and how many such threads fit in GitHub's 5,000 an hour.
// REST and GraphQL are counted apart, and 304s too: GitHub does not charge a 304 to a valid ETag
// against the limit, while every GraphQL query costs points. Run: npx tsx bench/pr-polling.ts
import { rmSync } from 'node:fs'
import type { Thread } from '../src/shared/models'
import { ManualClock } from '../src/main/core/ci/clock'
import { GitRunner } from '../src/main/core/git/git-runner'
import { prProviderFactory } from '../src/main/core/pr/pr-factory'
import { PrHttp } from '../src/main/core/pr/pr-http'
import { PrService } from '../src/main/core/pr/pr-service'
import { ReviewThreadsService } from '../src/main/core/pr/review-threads'
import { FakeGithub } from '../test/helpers/fake-github'
import { FakeGithubPulls, type FakePull } from '../test/helpers/fake-github-pulls'
import { FakeGithubThreads } from '../test/helpers/fake-github-threads'
import { git, runBench } from './bench-utils'
import {
  benchCi,
  busyChecks,
  ciThreads,
  every,
  HOUR,
  JOBS,
  pollingRepo,
  pushCommit,
  runUntil,
  setGithubChecks,
  settledChecks,
  type CheckState
} from './lib/polling'

const THREADS = Number(process.env.BENCH_THREADS ?? 10)
/** Review threads on each pull request when the bench starts. */
const THREADS_EACH = 3
const FILE = 'src/mod0/file0.ts'

/** How a thread's checks and pull request evolve; `t` is ms since the last push. */
interface Scenario {
  name: string
  pushEveryMs: number | null
  at: (t: number) => CheckState[]
  /** A review with one new review comment arrives this often (ms), changing the pull request. */
  reviewEveryMs: number | null
}

// The same two scenarios as bench/ci-polling.ts, with reviews coming in while busy.
const scenarios: Scenario[] = [
  { name: 'settled: every check finished, nobody reviewing', pushEveryMs: null, reviewEveryMs: null, at: settledChecks },
  {
    name: 'busy: push every 20 min, a job ends each minute, a review with a new comment every 15 min',
    pushEveryMs: 20 * 60_000,
    reviewEveryMs: 15 * 60_000,
    at: busyChecks
  }
]

type Config = 'CI only' | 'CI + pull request' | 'CI + pull request + review threads'
const configs: Config[] = ['CI only', 'CI + pull request', 'CI + pull request + review threads']

/** What went to the fake in one hour. */
interface Count {
  rest: number
  notModified: number
  graphql: number
}

/** The first hour (finding the pull request, GitHub working out mergeability, the tab opened) and the second (steady). */
interface Hours {
  first: Count
  second: Count
}

interface World {
  gh: FakeGithub
  pulls: FakeGithubPulls
  threads: FakeGithubThreads
  repo: string
  dir: string
}

async function simulate(w: World, s: Scenario, tag: string, config: Config): Promise<Hours> {
  const { gh, pulls, repo } = w
  const clock = new ManualClock(Date.now())
  const start = clock.now()
  const names = Array.from({ length: THREADS }, (_, i) => `acme/${tag}-${i}`)
  for (const name of names) gh.addRepo(name)
  const ci = ciThreads(names, repo, { provider: 'github', baseUrl: gh.baseUrl }, 'github.com')
  const threads = new Map(
    names.map((name, i): [string, Thread] => [
      `t${i}`,
      {
        id: `t${i}`,
        repoId: name,
        branch: 'main',
        worktreePath: repo,
        status: 'idle',
        mode: 'worktree',
        baseRef: 'main',
        title: name
      } as Thread
    ])
  )
  let sha = git(repo, 'rev-parse', 'HEAD')
  // The world is the same whatever Skein watches: every pull request has review threads, one with a reply.
  const prs: FakePull[] = names.map((name, i) => {
    const p = pulls.addPull(name, { title: `Work ${i}`, head: { ref: 'main', sha }, base: { ref: 'trunk', sha } })
    for (let k = 0; k < THREADS_EACH; k++) {
      const c = w.threads.comment(name, {
        pull: p.number,
        path: FILE,
        line: k + 1,
        body: `Look at ${k + 1}.`,
        user: 'octocat',
        commitId: sha
      })
      if (k === 0) w.threads.comment(name, { pull: p.number, path: FILE, body: 'Agreed.', user: 'hubot', commitId: sha, inReplyTo: c.id })
    }
    return p
  })
  let pushedAt = start
  let reviews = 0
  const setChecks = () => setGithubChecks(gh, names, sha, s.at(clock.now() - pushedAt))
  let pr: PrService | null = null
  let review: ReviewThreadsService | null = null
  const cis = benchCi({ threads: ci, token: gh.token, dir: w.dir, clock, notify: (status) => pr?.ciUpdated(status) })
  if (config !== 'CI only') {
    const http = new PrHttp({ now: () => clock.now() })
    const service = new PrService({
      thread: (id) => threads.get(id),
      git: new GitRunner(),
      providers: prProviderFactory({ http, token: () => async () => gh.token, now: () => clock.now() }),
      http,
      override: () => ({ provider: 'github', baseUrl: gh.baseUrl }),
      remote: async (t) => ci.get(t.id)!.remoteUrl,
      ciStatus: (id) => cis.status(id),
      notify: () => undefined,
      polled: (id, changed) => void review?.prUpdated(id, changed),
      clock
    })
    pr = service
    if (config === 'CI + pull request + review threads')
      review = new ReviewThreadsService({
        thread: (id) => threads.get(id),
        git: new GitRunner(),
        status: (id) => service.status(id),
        provider: (id) => service.provider(id),
        deliver: async () => {
          throw new Error('the bench sends nothing to an agent')
        },
        notify: () => undefined,
        now: () => clock.now(),
        // The Changes tab stays open on every thread.
        watching: () => true
      })
  }
  const restPrefix = `/repos/acme/${tag}-`
  const count = (): Count => {
    const rest = gh.count(restPrefix)
    const graphql = w.threads.graphql.filter((c) => String(c.variables.name ?? '').startsWith(`${tag}-`)).length
    return { rest: rest.all, notModified: rest.notModified, graphql }
  }
  const before = count()
  let mid: Count | null = null
  const settle = async () => {
    await cis.whenIdle()
    await pr?.whenIdle()
    await review?.whenIdle()
    await cis.whenIdle()
  }
  setChecks()
  for (const id of ci.keys()) cis.watch(id)
  // The pull requests are found, then the Changes tab opens on each thread and asks for its review threads.
  await settle()
  if (review) for (const id of threads.keys()) await review.list(id)
  await runUntil({
    clock,
    end: start + 2 * HOUR,
    events: [
      every(clock, s.reviewEveryMs, async () => {
        reviews++
        for (const [i, p] of prs.entries()) {
          pulls.review(names[i]!, p.number, 'octocat', 'COMMENTED')
          w.threads.comment(names[i]!, {
            pull: p.number,
            path: FILE,
            line: 10 + reviews,
            body: 'And here?',
            user: 'octocat',
            commitId: sha
          })
        }
      }),
      every(clock, s.pushEveryMs, async (at) => {
        // Skein pushes: CI is told; GitHub moves the pull request's head.
        pushedAt = at
        sha = pushCommit(repo)
        for (const p of prs) Object.assign(p, { head: { ref: 'main', sha }, computed: false, updatedAt: at })
        // GitHub moves a review comment that still applies to the new head (its commit_id): the listing changes.
        for (const name of names) for (const c of w.threads.list(name)) if (c.line !== null) c.commitId = sha
        setChecks()
        for (const id of ci.keys()) await cis.pushed(id)
      })
    ],
    beforeTimer: setChecks,
    settle,
    // Everything of the first hour is done: what follows is the second.
    onStep: (at) => {
      if (!mid && at > start + HOUR) mid = count()
    }
  })
  await cis.dispose()
  pr?.dispose()
  const after = count()
  const m = mid ?? after
  const minus = (a: Count, b: Count): Count => ({
    rest: a.rest - b.rest,
    notModified: a.notModified - b.notModified,
    graphql: a.graphql - b.graphql
  })
  return { first: minus(m, before), second: minus(after, m) }
}

/** Per thread per hour: every request, the REST ones, their 304s, GraphQL queries, and what GitHub charges. */
function perThread(c: Count) {
  const v = (x: number) => x / THREADS
  return {
    all: v(c.rest + c.graphql),
    rest: v(c.rest),
    notModified: v(c.notModified),
    graphql: v(c.graphql),
    counted: v(c.rest - c.notModified + c.graphql)
  }
}

const ratio = (x: number, y: number) => (y === 0 ? (x === 0 ? '×1.00' : 'n/a') : `×${(x / y).toFixed(2)}`)

async function main(): Promise<void> {
  const { dir, repo } = pollingRepo('pr-polling')
  const gh = await FakeGithub.start()
  const world: World = { gh, pulls: FakeGithubPulls.attach(gh), threads: FakeGithubThreads.attach(gh), repo, dir }
  gh.rate.remaining = 1e9
  console.log(
    `Pull request polling: ${THREADS} threads × 2 simulated hours, ${JOBS} check runs each, an open pull request with ${THREADS_EACH} review threads`
  )
  console.log('per thread per hour; "counted" leaves out 304s, which GitHub does not charge; every GraphQL query is charged')
  console.log('ratios are against CI only, measured in the same run (target ≤ ×1.5)\n')
  const busiest = new Map<Config, { counted: number; all: number }>(configs.map((c) => [c, { counted: 0, all: 0 }]))
  for (const [i, s] of scenarios.entries()) {
    const hours = new Map<Config, Hours>()
    for (const [j, config] of configs.entries()) hours.set(config, await simulate(world, s, `s${i}c${j}`, config))
    console.log(s.name)
    for (const hour of ['first', 'second'] as const) {
      console.log(`  ${hour === 'first' ? 'first hour (start-up and the tab opening included)' : 'second hour (steady)'}`)
      const base = perThread(hours.get('CI only')![hour])
      for (const config of configs) {
        const r = perThread(hours.get(config)![hour])
        const b = busiest.get(config)!
        busiest.set(config, { counted: Math.max(b.counted, r.counted), all: Math.max(b.all, r.all) })
        const vs = config === 'CI only' ? '' : `  ${ratio(r.all, base.all)} requests, ${ratio(r.counted, base.counted)} counted`
        console.log(
          `    ${config.padEnd(36)} ${r.all.toFixed(1).padStart(6)} requests/h: REST ${r.rest.toFixed(1)} (${r.notModified.toFixed(1)} of them 304), ` +
            `GraphQL ${r.graphql.toFixed(1)}; ${r.counted.toFixed(1)} counted/h${vs}`
        )
      }
    }
  }
  console.log("\nthreads that fit GitHub's 5,000/h at the busiest rate (REST and GraphQL in one budget, as the fake counts them;")
  console.log('GitHub gives GraphQL 5,000 points of its own, so this is the lower bound):')
  for (const config of configs) {
    const b = busiest.get(config)!
    console.log(
      `  ${config.padEnd(36)} ${Math.floor(5000 / Math.max(1, b.counted))} (counting 304s too: ${Math.floor(5000 / Math.max(1, b.all))})`
    )
  }
  await gh.close()
  rmSync(dir, { recursive: true, force: true })
}

runBench(main)
