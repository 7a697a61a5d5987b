// GitLab CI polling cost: requests per hour per thread against a local fake GitLab on a manual clock,
// for a branch pipeline alone, one with trigger jobs, and one with an open merge request whose merged
// results pipeline runs too. Run: npx tsx bench/ci-polling-gitlab.ts
import { rmSync } from 'node:fs'
import { ManualClock } from '../src/main/core/ci/clock'
import { FakeGitlab, type FakeJob } from '../test/helpers/fake-gitlab'
import { git, runBench } from './bench-utils'
import { benchCi, ciHour, ciThreads, JOBS, pollingRepo } from './lib/polling'

const THREADS = Number(process.env.BENCH_THREADS ?? 10)

/** How a thread's jobs evolve; `t` is ms since the last push. */
interface Scenario {
  name: string
  pushEveryMs: number | null
  at: (t: number) => string[]
}

const scenarios: Scenario[] = [
  { name: 'settled', pushEveryMs: null, at: () => Array.from({ length: JOBS }, () => 'success') },
  {
    name: 'stuck (one job running all hour)',
    pushEveryMs: null,
    at: () => Array.from({ length: JOBS }, (_, j) => (j === 0 ? 'running' : 'success'))
  },
  {
    name: 'busy (push every 20 min, a job ends each minute)',
    pushEveryMs: 20 * 60_000,
    at: (t) => Array.from({ length: JOBS }, (_, j) => (t >= (j + 1) * 60_000 ? 'success' : t >= 20_000 ? 'running' : 'pending'))
  }
]

type Layout = 'branch pipeline' | 'with 2 trigger jobs' | 'with an open MR (merged results)'
const layouts: Layout[] = ['branch pipeline', 'with 2 trigger jobs', 'with an open MR (merged results)']

const pipelineStatus = (jobs: string[]) =>
  jobs.includes('running') ? 'running' : jobs.includes('pending') ? 'pending' : jobs.includes('failed') ? 'failed' : 'success'

async function simulate(gl: FakeGitlab, repo: string, scenario: Scenario, layout: Layout, tag: string, dir: string) {
  const clock = new ManualClock(Date.now())
  const start = clock.now()
  const names = Array.from({ length: THREADS }, (_, i) => `acme/${tag}-${i}`)
  for (const name of names) gl.addProject(name)
  const threads = ciThreads(names, repo, { provider: 'gitlab', baseUrl: gl.baseUrl }, 'gitlab.com')
  let sha = git(repo, 'rev-parse', 'HEAD')
  let pushedAt = start
  let pushes = 0
  const setChecks = () => {
    const states = scenario.at(clock.now() - pushedAt)
    const jobs = (base: number): FakeJob[] => states.map((status, j) => ({ id: base + j, name: `job ${j}`, status }))
    const id = pushes * 10 + 1
    for (const name of names) {
      gl.setPipeline(name, {
        id,
        ref: 'main',
        sha,
        status: pipelineStatus(states),
        jobs: jobs(id * 100),
        bridges:
          layout === 'with 2 trigger jobs'
            ? [0, 1].map((b) => ({
                id: id * 100 + 50 + b,
                name: `downstream ${b}`,
                status: 'success',
                downstream: { id: id * 100 + 90 + b, status: 'success' }
              }))
            : []
      })
      if (layout === 'with an open MR (merged results)') {
        gl.setPipeline(name, {
          id: id + 1,
          ref: 'refs/merge-requests/1/merge',
          sha: sha.replace(/^./, 'f'),
          status: pipelineStatus(states),
          jobs: jobs((id + 1) * 100)
        })
        gl.setMergeRequest(name, { iid: 1, source_branch: 'main', sha, headPipelineId: id + 1 })
      }
    }
  }
  const ci = benchCi({ threads, token: gl.token, dir, clock })
  const prefix = `/api/v4/projects/${encodeURIComponent(`acme/${tag}-`)}`
  const before = gl.count(prefix)
  const polls = () => gl.requests.filter((r) => r.path.startsWith(prefix) && /\/pipelines\?/.test(r.path)).length
  const pollsBefore = polls()
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
      pushes++
    }
  })
  const overall = ci.status('t0').overall
  await ci.dispose()
  const after = gl.count(prefix)
  return { requests: after.all - before.all, notModified: after.notModified - before.notModified, polls: polls() - pollsBefore, overall }
}

async function main(): Promise<void> {
  const { dir, repo } = pollingRepo('ci-polling-gitlab')
  const gl = await FakeGitlab.start()
  gl.rate.remaining = 1e9
  console.log(`GitLab CI polling: ${THREADS} threads × 1 simulated hour, ${JOBS} jobs a pipeline`)
  let n = 0
  for (const layout of layouts) {
    console.log(`\n${layout}`)
    for (const s of scenarios) {
      const r = await simulate(gl, repo, s, layout, `g${n++}`, dir)
      const per = (v: number) => (v / THREADS).toFixed(1)
      console.log(
        `  ${s.name}: ${per(r.polls)} polls/h, ${per(r.requests)} requests/h per thread (${((r.notModified / Math.max(1, r.requests)) * 100).toFixed(0)}% 304), ${(r.requests / Math.max(1, r.polls)).toFixed(2)} requests a poll; ends ${r.overall}`
      )
    }
  }
  await gl.close()
  rmSync(dir, { recursive: true, force: true })
}

runBench(main)
