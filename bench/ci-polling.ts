// CI polling cost: requests per hour per thread against a local fake GitHub on a manual clock, and
// how many were 304s (which GitHub does not count against its 5,000/hour limit), compared with a
// fixed 10 s poll. Run: npx tsx bench/ci-polling.ts
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { CiHttp } from '../src/main/core/ci/ci-http'
import { CiService, type CiThread } from '../src/main/core/ci/ci-service'
import { ManualClock } from '../src/main/core/ci/clock'
import { providerFactory } from '../src/main/core/ci/provider-factory'
import { GitRunner } from '../src/main/core/git/git-runner'
import { FakeGithub } from '../test/helpers/fake-github'
import { benchDir, git, makeBenchRepo, runBench } from './bench-utils'

const THREADS = Number(process.env.BENCH_THREADS ?? 20)
const HOUR = 3_600_000
const JOBS = 12
const DONE = { status: 'completed', conclusion: 'success' }
const RUNNING = { status: 'in_progress', conclusion: null }
const QUEUED = { status: 'queued', conclusion: null }

/** How a thread's checks evolve; `t` is ms since the last push. */
interface Scenario {
  name: string
  pushEveryMs: number | null
  at: (t: number) => { status: string; conclusion: string | null }[]
}

const scenarios: Scenario[] = [
  { name: 'settled: every check finished', pushEveryMs: null, at: () => Array.from({ length: JOBS }, () => DONE) },
  {
    name: 'stuck: one job running all hour',
    pushEveryMs: null,
    at: () => Array.from({ length: JOBS }, (_, j) => (j === 0 ? RUNNING : DONE))
  },
  {
    name: 'busy: push every 20 min, a job ends each minute',
    pushEveryMs: 20 * 60_000,
    at: (t) => Array.from({ length: JOBS }, (_, j) => (t >= (j + 1) * 60_000 ? DONE : t >= 20_000 ? RUNNING : QUEUED))
  }
]

interface Outcome {
  requests: number
  notModified: number
  polls: number
  counted: number
}

async function simulate(gh: FakeGithub, repo: string, scenario: Scenario, tag: string, logDir: string): Promise<Outcome> {
  const clock = new ManualClock(Date.now())
  const start = clock.now()
  const threads = new Map<string, CiThread>()
  const names: string[] = []
  for (let i = 0; i < THREADS; i++) {
    const name = `acme/${tag}-${i}`
    gh.addRepo(name)
    names.push(name)
    threads.set(`t${i}`, {
      id: `t${i}`,
      remoteUrl: `git@github.com:${name}.git`,
      branch: 'main',
      worktreePath: repo,
      archived: false,
      override: { provider: 'github', baseUrl: gh.baseUrl }
    })
  }
  let sha = git(repo, 'rev-parse', 'HEAD')
  let pushedAt = start
  const setChecks = () => {
    const states = scenario.at(clock.now() - pushedAt)
    for (const name of names) states.forEach((c, j) => gh.setCheckRun(name, sha, { id: j + 1, name: `job ${j}`, ...c }))
  }
  const ci = new CiService({
    thread: (id) => threads.get(id),
    providers: providerFactory({ http: new CiHttp({ now: () => clock.now() }), token: () => async () => gh.token }),
    git: new GitRunner(),
    logDir,
    notify: () => undefined,
    clock
  })
  const before = gh.count(`/repos/acme/${tag}-`)
  const polls = () => gh.requests.filter((r) => r.path.startsWith(`/repos/acme/${tag}-`) && r.path.includes('/check-runs')).length
  const pollsBefore = polls()
  const budget = gh.rate.remaining
  setChecks()
  for (const id of threads.keys()) ci.watch(id)
  await ci.whenIdle()
  for (;;) {
    const at = clock.nextAt()
    if (at === null || at > start + HOUR) break
    const nextPush = scenario.pushEveryMs ? pushedAt + scenario.pushEveryMs : Infinity
    if (nextPush <= at && nextPush <= start + HOUR) {
      // Skein pushes: a new commit on the remote-tracking branch, then `pushed` for each thread.
      clock.advanceTo(nextPush)
      pushedAt = nextPush
      git(repo, 'commit', '-q', '--allow-empty', '-m', 'push')
      git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD')
      sha = git(repo, 'rev-parse', 'HEAD')
      setChecks()
      for (const id of threads.keys()) await ci.pushed(id)
      continue
    }
    // The fake answers with the states as of the poll's time.
    clock.advanceTo(at - 1)
    setChecks()
    clock.advanceTo(at)
    await ci.whenIdle()
  }
  await ci.dispose()
  const after = gh.count(`/repos/acme/${tag}-`)
  return {
    requests: after.all - before.all,
    notModified: after.notModified - before.notModified,
    polls: polls() - pollsBefore,
    counted: budget - gh.rate.remaining
  }
}

async function main(): Promise<void> {
  const dir = benchDir('ci-polling')
  const repo = makeBenchRepo(dir, 'repo', 1)
  git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD')
  const gh = await FakeGithub.start()
  gh.rate.remaining = 1e9
  const fixed = (HOUR / 10_000) * 2
  console.log(
    `CI polling: ${THREADS} threads × 1 simulated hour, ${JOBS} check runs each, 2 requests a poll (check runs + combined status)`
  )
  console.log(`baseline: a fixed 10 s poll without ETags = ${fixed} requests/hour/thread, every one counted against the rate limit\n`)
  let worst = 0
  for (const [i, s] of scenarios.entries()) {
    const r = await simulate(gh, repo, s, `s${i}`, join(dir, 'logs'))
    const per = (v: number) => v / THREADS
    worst = Math.max(worst, per(r.counted))
    console.log(`${s.name}`)
    console.log(
      `  ${per(r.polls).toFixed(1)} polls/h, ${per(r.requests).toFixed(1)} requests/h (${((r.notModified / Math.max(1, r.requests)) * 100).toFixed(0)}% 304), ` +
        `${per(r.counted).toFixed(1)} counted/h per thread; vs fixed 10 s: ×${(per(r.requests) / fixed).toFixed(3)} requests, ×${(per(r.counted) / fixed).toFixed(3)} rate-limit budget`
    )
  }
  console.log(
    `\nthreads that fit GitHub's 5,000/h budget at the busiest rate: ${Math.floor(5000 / Math.max(1, worst))} (fixed 10 s poll: ${Math.floor(5000 / fixed)})`
  )
  await gh.close()
  rmSync(dir, { recursive: true, force: true })
}

runBench(main)
