// CI polling cost: requests per hour per thread against a local fake GitHub on a manual clock, and
// how many were 304s (which GitHub does not count against its 5,000/hour limit), compared with a
// fixed 10 s poll. Run: npx tsx bench/ci-polling.ts
import { rmSync } from 'node:fs'
import { ManualClock } from '../src/main/core/ci/clock'
import { FakeGithub } from '../test/helpers/fake-github'
import { git, runBench } from './bench-utils'
import {
  benchCi,
  busyChecks,
  ciHour,
  ciThreads,
  HOUR,
  JOBS,
  pollingRepo,
  setGithubChecks,
  settledChecks,
  stuckChecks,
  type CheckState
} from './lib/polling'

const THREADS = Number(process.env.BENCH_THREADS ?? 20)

/** How a thread's checks evolve; `t` is ms since the last push. */
interface Scenario {
  name: string
  pushEveryMs: number | null
  at: (t: number) => CheckState[]
}

const scenarios: Scenario[] = [
  { name: 'settled: every check finished', pushEveryMs: null, at: settledChecks },
  { name: 'stuck: one job running all hour', pushEveryMs: null, at: stuckChecks },
  { name: 'busy: push every 20 min, a job ends each minute', pushEveryMs: 20 * 60_000, at: busyChecks }
]

interface Outcome {
  requests: number
  notModified: number
  polls: number
  counted: number
}

async function simulate(gh: FakeGithub, repo: string, scenario: Scenario, tag: string, dir: string): Promise<Outcome> {
  const clock = new ManualClock(Date.now())
  const start = clock.now()
  const names = Array.from({ length: THREADS }, (_, i) => `acme/${tag}-${i}`)
  for (const name of names) gh.addRepo(name)
  const threads = ciThreads(names, repo, { provider: 'github', baseUrl: gh.baseUrl }, 'github.com')
  let sha = git(repo, 'rev-parse', 'HEAD')
  let pushedAt = start
  const setChecks = () => setGithubChecks(gh, names, sha, scenario.at(clock.now() - pushedAt))
  const ci = benchCi({ threads, token: gh.token, dir, clock })
  const before = gh.count(`/repos/acme/${tag}-`)
  const polls = () => gh.requests.filter((r) => r.path.startsWith(`/repos/acme/${tag}-`) && r.path.includes('/check-runs')).length
  const pollsBefore = polls()
  const budget = gh.rate.remaining
  await ciHour({
    clock,
    ci,
    ids: [...threads.keys()],
    repo,
    pushEveryMs: scenario.pushEveryMs,
    setChecks,
    pushed: (commit, at) => {
      sha = commit
      pushedAt = at
    }
  })
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
  const { dir, repo } = pollingRepo('ci-polling')
  const gh = await FakeGithub.start()
  gh.rate.remaining = 1e9
  const fixed = (HOUR / 10_000) * 2
  console.log(
    `CI polling: ${THREADS} threads × 1 simulated hour, ${JOBS} check runs each, 2 requests a poll (check runs + combined status)`
  )
  console.log(`baseline: a fixed 10 s poll without ETags = ${fixed} requests/hour/thread, every one counted against the rate limit\n`)
  let worst = 0
  for (const [i, s] of scenarios.entries()) {
    const r = await simulate(gh, repo, s, `s${i}`, dir)
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
