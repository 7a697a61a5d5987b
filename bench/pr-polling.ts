// Pull request polling cost: requests per hour per thread with an open pull request and CI, against
// the fake GitHub on a manual clock, next to CI alone (what bench/ci-polling.ts measures), settled and
// busy; and how many such threads fit in GitHub's 5,000 requests an hour. 304s are counted apart:
// GitHub does not charge them against the limit. Run: npx tsx bench/pr-polling.ts
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Thread } from '../src/shared/models'
import { CiHttp } from '../src/main/core/ci/ci-http'
import { CiService, type CiThread } from '../src/main/core/ci/ci-service'
import { ManualClock } from '../src/main/core/ci/clock'
import { providerFactory } from '../src/main/core/ci/provider-factory'
import { GitRunner } from '../src/main/core/git/git-runner'
import { prProviderFactory } from '../src/main/core/pr/pr-factory'
import { PrHttp } from '../src/main/core/pr/pr-http'
import { PrService } from '../src/main/core/pr/pr-service'
import { FakeGithub } from '../test/helpers/fake-github'
import { FakeGithubPulls, type FakePull } from '../test/helpers/fake-github-pulls'
import { benchDir, git, makeBenchRepo, runBench } from './bench-utils'

const THREADS = Number(process.env.BENCH_THREADS ?? 10)
const HOUR = 3_600_000
const JOBS = 12
const DONE = { status: 'completed', conclusion: 'success' }
const RUNNING = { status: 'in_progress', conclusion: null }
const QUEUED = { status: 'queued', conclusion: null }

/** How a thread's checks and pull request evolve; `t` is ms since the last push. */
interface Scenario {
  name: string
  pushEveryMs: number | null
  at: (t: number) => { status: string; conclusion: string | null }[]
  /** A review arrives this often (ms), changing the pull request. */
  reviewEveryMs: number | null
}

// The same two scenarios as bench/ci-polling.ts, with reviews coming in while busy.
const scenarios: Scenario[] = [
  {
    name: 'settled: every check finished, nobody reviewing',
    pushEveryMs: null,
    reviewEveryMs: null,
    at: () => Array.from({ length: JOBS }, () => DONE)
  },
  {
    name: 'busy: push every 20 min, a job ends each minute, a review every 15 min',
    pushEveryMs: 20 * 60_000,
    reviewEveryMs: 15 * 60_000,
    at: (t) => Array.from({ length: JOBS }, (_, j) => (t >= (j + 1) * 60_000 ? DONE : t >= 20_000 ? RUNNING : QUEUED))
  }
]

interface Outcome {
  requests: number
  notModified: number
}

/** The first hour (finding the pull request, GitHub working out mergeability) and the second (steady). */
interface Hours {
  first: Outcome
  second: Outcome
}

async function simulate(
  gh: FakeGithub,
  pulls: FakeGithubPulls,
  repo: string,
  s: Scenario,
  tag: string,
  logDir: string,
  withPr: boolean
): Promise<Hours> {
  const clock = new ManualClock(Date.now())
  const start = clock.now()
  const ciThreads = new Map<string, CiThread>()
  const prThreads = new Map<string, Thread>()
  const names: string[] = []
  const prs: FakePull[] = []
  let sha = git(repo, 'rev-parse', 'HEAD')
  for (let i = 0; i < THREADS; i++) {
    const name = `acme/${tag}-${i}`
    gh.addRepo(name)
    names.push(name)
    const remoteUrl = `git@github.com:${name}.git`
    ciThreads.set(`t${i}`, {
      id: `t${i}`,
      remoteUrl,
      branch: 'main',
      worktreePath: repo,
      archived: false,
      override: { provider: 'github', baseUrl: gh.baseUrl }
    })
    prThreads.set(`t${i}`, {
      id: `t${i}`,
      repoId: name,
      branch: 'main',
      worktreePath: repo,
      status: 'idle',
      mode: 'worktree',
      baseRef: 'main',
      title: name
    } as unknown as Thread)
    if (withPr) prs.push(pulls.addPull(name, { title: `Work ${i}`, head: { ref: 'main', sha }, base: { ref: 'trunk', sha } }))
  }
  let pushedAt = start
  let reviewedAt = start
  const setChecks = () => {
    const states = s.at(clock.now() - pushedAt)
    for (const name of names) states.forEach((c, j) => gh.setCheckRun(name, sha, { id: j + 1, name: `job ${j}`, ...c }))
  }
  let pr: PrService | null = null
  const ci = new CiService({
    thread: (id) => ciThreads.get(id),
    providers: providerFactory({ http: new CiHttp({ now: () => clock.now() }), token: () => async () => gh.token }),
    git: new GitRunner(),
    logDir,
    notify: (status) => pr?.ciUpdated(status),
    clock
  })
  if (withPr) {
    const http = new PrHttp({ now: () => clock.now() })
    pr = new PrService({
      thread: (id) => prThreads.get(id),
      git: new GitRunner(),
      providers: prProviderFactory({ http, token: () => async () => gh.token, now: () => clock.now() }),
      http,
      override: () => ({ provider: 'github', baseUrl: gh.baseUrl }),
      remote: async (t) => ciThreads.get(t.id)!.remoteUrl,
      ciStatus: (id) => ci.status(id),
      notify: () => undefined,
      clock
    })
  }
  const prefix = `/repos/acme/${tag}-`
  const before = gh.count(prefix)
  let mid: { all: number; notModified: number } | null = null
  const END = start + 2 * HOUR
  setChecks()
  for (const id of ciThreads.keys()) ci.watch(id)
  const idle = async () => {
    await ci.whenIdle()
    await pr?.whenIdle()
    await ci.whenIdle()
  }
  await idle()
  for (;;) {
    const at = clock.nextAt()
    if (at === null) break
    const nextPush = s.pushEveryMs ? pushedAt + s.pushEveryMs : Infinity
    const nextReview = s.reviewEveryMs ? reviewedAt + s.reviewEveryMs : Infinity
    const next = Math.min(at, nextPush, nextReview)
    if (next > END) break
    // Everything of the first hour is done: what follows is the second.
    if (!mid && next > start + HOUR) mid = gh.count(prefix)
    if (nextReview === next) {
      clock.advanceTo(nextReview)
      reviewedAt = nextReview
      for (const [i, p] of prs.entries()) pulls.review(names[i]!, p.number, 'octocat', 'COMMENTED')
      // A poll due at the same moment has just started.
      await idle()
      continue
    }
    if (nextPush === next) {
      // Skein pushes: a new commit on the remote-tracking branch, CI told; GitHub moves the pull request's head.
      clock.advanceTo(nextPush)
      pushedAt = nextPush
      git(repo, 'commit', '-q', '--allow-empty', '-m', 'push')
      git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD')
      sha = git(repo, 'rev-parse', 'HEAD')
      for (const p of prs) Object.assign(p, { head: { ref: 'main', sha }, computed: false, updatedAt: clock.now() })
      setChecks()
      for (const id of ciThreads.keys()) await ci.pushed(id)
      await idle()
      continue
    }
    // The fake answers with the states as of the poll's time.
    clock.advanceTo(at - 1)
    setChecks()
    clock.advanceTo(at)
    await idle()
  }
  await ci.dispose()
  pr?.dispose()
  const after = gh.count(prefix)
  const m = mid ?? after
  return {
    first: { requests: m.all - before.all, notModified: m.notModified - before.notModified },
    second: { requests: after.all - m.all, notModified: after.notModified - m.notModified }
  }
}

async function main(): Promise<void> {
  const dir = benchDir('pr-polling')
  const repo = makeBenchRepo(dir, 'repo', 1)
  git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD')
  const gh = await FakeGithub.start()
  const pulls = FakeGithubPulls.attach(gh)
  gh.rate.remaining = 1e9
  console.log(`Pull request polling: ${THREADS} threads × 2 simulated hours, each with an open pull request and ${JOBS} check runs`)
  console.log('per thread per hour; "counted" leaves out 304s, which GitHub does not charge\n')
  let worst = 0
  let worstAll = 0
  for (const [i, s] of scenarios.entries()) {
    const ciOnly = await simulate(gh, pulls, repo, s, `c${i}`, join(dir, 'logs'), false)
    const both = await simulate(gh, pulls, repo, s, `p${i}`, join(dir, 'logs'), true)
    const per = (o: Outcome) => ({ all: o.requests / THREADS, counted: (o.requests - o.notModified) / THREADS })
    const ratio = (x: number, y: number) => (y === 0 ? (x === 0 ? '×1.00' : 'n/a (CI alone sent none)') : `×${(x / y).toFixed(2)}`)
    console.log(s.name)
    for (const hour of ['first', 'second'] as const) {
      const a = per(ciOnly[hour])
      const b = per(both[hour])
      if (hour === 'first') {
        worst = Math.max(worst, b.counted)
        worstAll = Math.max(worstAll, b.all)
      }
      console.log(`  ${hour === 'first' ? 'first hour (start-up included)' : 'second hour (steady)'}`)
      console.log(`    CI only:            ${a.all.toFixed(1)} requests/h, ${a.counted.toFixed(1)} counted/h`)
      console.log(`    CI + pull request:  ${b.all.toFixed(1)} requests/h, ${b.counted.toFixed(1)} counted/h`)
      console.log(`    ratio:              ${ratio(b.all, a.all)} requests (target ≤ ×1.5), ${ratio(b.counted, a.counted)} counted`)
    }
  }
  console.log(
    `\nthreads with an open pull request and CI that fit GitHub's 5,000/h at the busiest rate: ${Math.floor(5000 / Math.max(1, worst))} (counting 304s too: ${Math.floor(5000 / Math.max(1, worstAll))})`
  )
  await gh.close()
  rmSync(dir, { recursive: true, force: true })
}

runBench(main)
