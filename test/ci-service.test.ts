import { mkdtempSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CiHttp } from '../src/main/core/ci/ci-http'
import { CiService, type CiThread } from '../src/main/core/ci/ci-service'
import { ManualClock } from '../src/main/core/ci/clock'
import { providerFactory } from '../src/main/core/ci/provider-factory'
import { GitRunner } from '../src/main/core/git/git-runner'
import type { CiCheck, CiStatus } from '../src/shared/ci'
import { FakeGithub, type FakeCheckRun } from './helpers/fake-github'
import { FakeGitlab } from './helpers/fake-gitlab'
import { cleanupTemp, git, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'

let gh: FakeGithub
let gl: FakeGitlab
const services: CiService[] = []
beforeAll(async () => {
  gh = await FakeGithub.start()
  gl = await FakeGitlab.start()
})
afterAll(async () => {
  await gh.close()
  await gl.close()
})
afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose()
  await cleanupTemp()
  // What Skein sent and what the fakes answered must match GitHub's OpenAPI description and GitLab's documented shapes.
  expect([...gh.violations.splice(0), ...gl.violations.splice(0)]).toEqual([])
})

const env = { ...process.env, HOME: mkdtempSync(join(tmpdir(), 'skein-ci-home-')), SHELL: '/bin/bash' }
let seq = 0

/** A thread's worktree on branch skein/t1 whose origin says GitHub (or GitLab) but pushes to a local bare repo. */
function repoWithRemote(url: string, push = true) {
  const repo = makeRepo()
  git(repo, 'checkout', '-q', '-b', 'skein/t1')
  const bare = join(tempDir(), 'remote.git')
  git(tempDir(), 'init', '-q', '--bare', bare)
  git(repo, 'remote', 'add', 'origin', url)
  git(repo, 'config', 'remote.origin.pushurl', bare)
  if (push) git(repo, 'push', '-q', '-u', 'origin', 'skein/t1')
  return { repo, sha: git(repo, 'rev-parse', 'HEAD') }
}

function world(options: { remote?: 'github' | 'gitlab' | 'bitbucket'; push?: boolean; visible?: boolean } = {}) {
  const name = `acme/svc${++seq}`
  const kind = options.remote ?? 'github'
  const url =
    kind === 'gitlab'
      ? `https://gitlab.com/${name}.git`
      : kind === 'github'
        ? `git@github.com:${name}.git`
        : `https://bitbucket.org/${name}.git`
  const { repo, sha } = repoWithRemote(url, options.push ?? true)
  if (kind === 'github') gh.addRepo(name)
  if (kind === 'gitlab') gl.addProject(name)
  const clock = new ManualClock(Date.now())
  const thread: CiThread = {
    id: 't1',
    remoteUrl: url,
    branch: 'skein/t1',
    worktreePath: repo,
    archived: false,
    override:
      kind === 'github'
        ? { provider: 'github', baseUrl: gh.baseUrl }
        : kind === 'gitlab'
          ? { provider: 'gitlab', baseUrl: gl.baseUrl }
          : null
  }
  const notified: CiStatus[] = []
  const failed: { status: CiStatus; checks: CiCheck[] }[] = []
  const ci = new CiService({
    thread: (id) => (id === thread.id ? thread : undefined),
    providers: providerFactory({
      http: new CiHttp({ now: () => clock.now() }),
      token: (t) => async () => (t.provider === 'github' ? gh.token : gl.token)
    }),
    git: new GitRunner(),
    logDir: join(tempDir(), 'ci-logs'),
    notify: (s) => notified.push(s),
    onFailed: (status, checks) => failed.push({ status, checks }),
    isVisible: () => options.visible ?? true,
    clock,
    local: { env, killGraceMs: 500 }
  })
  services.push(ci)
  /** Fires the next poll timer, waits for the poll, and says how long the wait was. */
  const tick = async () => {
    const at = clock.nextAt()
    if (at === null) throw new Error('no poll scheduled')
    const waited = at - clock.now()
    clock.fireNext()
    await ci.whenIdle()
    return waited
  }
  return {
    name,
    repo,
    sha,
    clock,
    thread,
    ci,
    notified,
    failed,
    tick,
    nextDelay: () => (clock.nextAt() === null ? null : clock.nextAt()! - clock.now())
  }
}

/** A port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port
      s.close(() => resolve(port))
    })
  })

const run = (id: number, name: string, status: string, conclusion: string | null, extra: Partial<FakeCheckRun> = {}): FakeCheckRun => ({
  id,
  name,
  status,
  conclusion,
  ...extra
})

describe('CI service', () => {
  it('polls the pushed commit on a backoff schedule, notifies changes and signals a turn to failed', async () => {
    const w = world()
    gh.setCheckRun(w.name, w.sha, run(1, 'build', 'in_progress', null))
    gh.setCheckRun(w.name, w.sha, run(2, 'lint', 'completed', 'success'))
    w.ci.watch('t1')
    await w.ci.whenIdle()
    expect(w.ci.status('t1')).toMatchObject({ overall: 'running', provider: 'github', commit: w.sha, problem: null })
    expect(w.notified).toHaveLength(1)
    expect(w.nextDelay()).toBe(10_000)
    expect(await w.tick()).toBe(10_000)
    expect(await w.tick()).toBe(20_000)
    expect(await w.tick()).toBe(40_000)
    expect(w.notified).toHaveLength(1)

    gh.setCheckRun(w.name, w.sha, run(1, 'build', 'completed', 'failure', { log: 'compiling\nerror TS2322: nope\ndone\n' }))
    expect(await w.tick()).toBe(80_000)
    expect(w.ci.status('t1').overall).toBe('failed')
    expect(w.notified).toHaveLength(2)
    expect(w.failed).toHaveLength(1)
    expect(w.failed[0]!.checks.map((c) => c.name)).toEqual(['build'])
    // Everything finished: nothing more until a push, so wait the cap.
    expect(w.nextDelay()).toBe(300_000)

    const before = gh.count(`/repos/${w.name}/`)
    await w.tick()
    const after = gh.count(`/repos/${w.name}/`)
    expect([after.all - before.all, after.notModified - before.notModified]).toEqual([2, 2])
    expect(w.failed).toHaveLength(1)
  })

  it('does not signal a failure it finds on its first look, but does after a push', async () => {
    const w = world()
    gh.setCheckRun(w.name, w.sha, run(1, 'test', 'completed', 'failure'))
    w.ci.watch('t1')
    await w.ci.whenIdle()
    expect(w.ci.status('t1').overall).toBe('failed')
    expect(w.failed).toHaveLength(0)

    writeFile(join(w.repo, 'fix.txt'), 'x\n')
    git(w.repo, 'add', '-A')
    git(w.repo, 'commit', '-q', '-m', 'try again')
    git(w.repo, 'push', '-q')
    const sha2 = git(w.repo, 'rev-parse', 'HEAD')
    gh.setCheckRun(w.name, sha2, run(3, 'test', 'queued', null))
    must(await w.ci.pushed('t1'))
    expect(w.ci.status('t1')).toMatchObject({ commit: sha2, overall: 'pending' })
    expect(w.nextDelay()).toBe(10_000)
    gh.setCheckRun(w.name, sha2, run(3, 'test', 'completed', 'failure'))
    await w.tick()
    expect(w.failed).toHaveLength(1)
    expect(w.failed[0]!.status.commit).toBe(sha2)
  })

  it('shows the log with the first error, and a failure message for the agent', async () => {
    const w = world()
    const lines = Array.from({ length: 20_000 }, (_, i) => `\x1b[32mstep ${i + 1}\x1b[0m`)
    lines[9_999] = '\x1b[31mFAIL\x1b[0m src/app.test.ts > adds: expected 3 to be 4'
    gh.setCheckRun(w.name, w.sha, run(5, 'test (ubuntu)', 'completed', 'failure', { log: lines.join('\n') + '\n' }))
    gh.setCheckRun(w.name, w.sha, run(6, 'lint', 'completed', 'success'))
    w.ci.watch('t1')
    await w.ci.whenIdle()

    const log = must(await w.ci.log('t1', 'gh-run:5'))
    expect(log).toMatchObject({ checkId: 'gh-run:5', name: 'test (ubuntu)', totalLines: 20_000, firstErrorLine: 10_000, truncated: false })
    expect(log.segments[0]!.lines[9_999]).toContain('\x1b[31mFAIL')

    const message = must(await w.ci.failureMessage('t1', 'gh-run:5'))
    expect(message).toContain(`The GitHub CI check "test (ubuntu)" failed on commit ${w.sha.slice(0, 7)} (branch skein/t1).`)
    expect(message).toContain('The first error is at line 10000 of 20000.')
    expect(message).toContain('FAIL src/app.test.ts > adds: expected 3 to be 4')
    expect(message).toContain('step 20000')
    expect(message).toMatch(/… \d+ lines omitted …/)
    expect(message).not.toContain('\x1b')
    expect(message.length).toBeLessThan(24 * 1024)

    // A finished job's log is fetched once.
    const blobs = gh.count('/_blob/').all
    must(await w.ci.log('t1', 'gh-run:5'))
    expect(gh.count('/_blob/').all).toBe(blobs)

    const passed = await w.ci.failureMessage('t1', 'gh-run:6')
    expect(!passed.ok && passed.error.message).toMatch(/has not failed/)
    const unknown = await w.ci.log('t1', 'gh-run:404')
    expect(!unknown.ok && unknown.error.message).toMatch(/not among this thread's checks/)
  })

  it('sends no request for a branch that was never pushed, and notices a push from a terminal', async () => {
    const w = world({ push: false })
    const before = gh.requests.length
    w.ci.watch('t1')
    await w.ci.whenIdle()
    expect(w.ci.status('t1').problem).toMatchObject({ kind: 'not-pushed', message: expect.stringContaining('skein/t1') })
    // Only a local look with git, once a minute.
    expect(await w.tick()).toBe(60_000)
    expect(await w.tick()).toBe(60_000)
    expect(gh.requests.length).toBe(before)

    git(w.repo, 'push', '-q', '-u', 'origin', 'skein/t1')
    gh.setCheckRun(w.name, w.sha, run(1, 'build', 'queued', null))
    await w.tick()
    expect(w.ci.status('t1')).toMatchObject({ problem: null, overall: 'pending', commit: w.sha })
    expect(gh.requests.length).toBeGreaterThan(before)
    expect(w.nextDelay()).toBe(10_000)
  })

  it('polls at once when Skein pushes', async () => {
    const w = world({ push: false })
    w.ci.watch('t1')
    await w.ci.whenIdle()
    git(w.repo, 'push', '-q', '-u', 'origin', 'skein/t1')
    gh.setCheckRun(w.name, w.sha, run(1, 'build', 'queued', null))
    const s = must(await w.ci.pushed('t1'))
    expect(s).toMatchObject({ problem: null, overall: 'pending', commit: w.sha })
    expect(w.clock.pending).toBe(1)
    expect(w.nextDelay()).toBe(10_000)
  })

  it('never polls an archived thread', async () => {
    const w = world()
    w.thread.archived = true
    const before = gh.requests.length
    w.ci.watch('t1')
    await w.ci.whenIdle()
    expect(gh.requests.length).toBe(before)
    expect(w.clock.pending).toBe(0)
    expect((await w.ci.runLocal('t1', 'true')).ok).toBe(false)
  })

  it('waits out a rate limit, keeping the last checks on screen', async () => {
    const w = world()
    gh.setCheckRun(w.name, w.sha, run(1, 'build', 'in_progress', null))
    w.ci.watch('t1')
    await w.ci.whenIdle()
    const reset = Math.floor(w.clock.now() / 1000) + 900
    gh.rate.remaining = 0
    gh.rate.reset = reset
    try {
      await w.tick()
      const s = w.ci.status('t1')
      expect(s.problem).toMatchObject({ kind: 'rate-limited', until: reset * 1000 })
      expect(s.rateLimitedUntil).toBe(reset * 1000)
      expect(w.notified.at(-1)).toMatchObject({ problem: { kind: 'rate-limited' }, rateLimitedUntil: reset * 1000 })
      expect(s.checks.map((c) => c.name)).toEqual(['build'])
      expect(s.overall).toBe('running')
      expect(w.nextDelay()).toBe(reset * 1000 - w.clock.now() + 1000)
    } finally {
      gh.rate.remaining = 5000
    }
    await w.tick()
    expect(w.ci.status('t1')).toMatchObject({ problem: null, rateLimitedUntil: null })
  })

  it('polls a hidden thread once a minute at most', async () => {
    const w = world({ visible: false })
    gh.setCheckRun(w.name, w.sha, run(1, 'build', 'in_progress', null))
    w.ci.watch('t1')
    await w.ci.whenIdle()
    expect(w.nextDelay()).toBe(60_000)
  })

  it('reads GitLab pipelines through the same service', async () => {
    const w = world({ remote: 'gitlab' })
    gl.setPipeline(w.name, {
      id: 40,
      ref: 'skein/t1',
      sha: w.sha,
      status: 'failed',
      jobs: [
        {
          id: 400,
          name: 'rspec',
          status: 'failed',
          started_at: '2024-05-01T10:00:00Z',
          trace: 'bundle exec rspec\nFailure/Error: expect(x).to eq(1)\n1 example, 1 failure\n'
        }
      ]
    })
    w.ci.watch('t1')
    await w.ci.whenIdle()
    expect(w.ci.status('t1')).toMatchObject({ provider: 'gitlab', overall: 'failed' })
    const message = must(await w.ci.failureMessage('t1', 'gl-job:400'))
    expect(message).toContain('The GitLab CI check "test: rspec" failed')
    expect(message).toContain('The first error is at line 2 of 3.')
  })

  it('explains a remote without a known provider and does not poll it', async () => {
    const w = world({ remote: 'bitbucket' })
    w.ci.watch('t1')
    await w.ci.whenIdle()
    expect(w.ci.status('t1')).toMatchObject({ provider: null, overall: 'none', problem: { kind: 'no-provider' } })
    expect(w.clock.pending).toBe(0)
  })

  it('keeps the checks through a network failure and reports it', async () => {
    const w = world()
    gh.setCheckRun(w.name, w.sha, run(1, 'build', 'in_progress', null))
    w.ci.watch('t1')
    await w.ci.whenIdle()
    w.thread.override = { provider: 'github', baseUrl: `http://127.0.0.1:${await closedPort()}` }
    const notices = w.notified.length
    await w.tick()
    const s = w.ci.status('t1')
    expect(s.problem?.kind).toBe('unreachable')
    expect(s.checks.map((c) => c.name)).toEqual(['build'])
    expect(w.notified.length).toBe(notices + 1)
    expect(w.notified.at(-1)!.problem?.kind).toBe('unreachable')
  })

  it('runs local checks into the status, signals their failure and writes the agent message', async () => {
    const w = world({ remote: 'bitbucket' })
    const r = must(await w.ci.runLocal('t1', 'echo "checking"; echo "Error: widget is broken" >&2; exit 2'))
    expect(w.ci.status('t1').checks).toMatchObject([{ id: `local:${r.id}`, provider: 'local', state: 'running' }])
    const end = (await w.ci.localDone(r.id))!
    expect(end.state).toBe('failed')
    expect(w.ci.status('t1')).toMatchObject({
      overall: 'failed',
      checks: [{ state: 'failed', detail: `exit code 2 · on ${w.sha.slice(0, 7)}` }]
    })
    expect(w.failed).toHaveLength(1)
    const log = must(await w.ci.log('t1', `local:${r.id}`))
    expect(log).toMatchObject({ firstErrorLine: 2, totalLines: 2 })
    const message = must(await w.ci.failureMessage('t1', `local:${r.id}`))
    expect(message).toContain(
      `The local check \`echo "checking"; echo "Error: widget is broken" >&2; exit 2\` failed with exit code 2 on commit ${w.sha.slice(0, 7)}.`
    )
    expect(message).toContain('Error: widget is broken')
    expect(w.ci.localRuns('t1').map((x) => x.id)).toEqual([r.id])
    expect(must(await w.ci.suggestions('t1'))).toEqual([])
  })

  it('dispose stops every timer and ends local runs', async () => {
    const w = world()
    gh.setCheckRun(w.name, w.sha, run(1, 'build', 'in_progress', null))
    w.ci.watch('t1')
    await w.ci.whenIdle()
    const r = must(await w.ci.runLocal('t1', 'sleep 300'))
    expect(w.clock.pending).toBe(1)
    await w.ci.dispose()
    expect(w.clock.pending).toBe(0)
    expect(w.ci.localRuns('t1').find((x) => x.id === r.id)!.state).toBe('cancelled')
  })
})
