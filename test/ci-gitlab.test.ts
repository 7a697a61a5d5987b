import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CiHttp } from '../src/main/core/ci/ci-http'
import { gitlabToken } from '../src/main/core/ci/ci-tokens'
import { GitlabProvider } from '../src/main/core/ci/gitlab-provider'
import { excerptLog } from '../src/main/core/ci/log-excerpt'
import { FakeGitlab, type FakeJob } from './helpers/fake-gitlab'
import { cleanupTemp, tempDir, writeFile } from './helpers/fixtures'

const SHA = 'c'.repeat(40)
let gl: FakeGitlab

beforeAll(async () => {
  gl = await FakeGitlab.start()
})
afterAll(() => gl.close())
afterEach(async () => {
  await cleanupTemp()
  // Every request Skein sent and every answer the fake gave must match GitLab's documented shapes.
  expect(gl.violations.splice(0)).toEqual([])
})

let seq = 0
function setup(options: { perPage?: number; http?: CiHttp; token?: string | null } = {}) {
  const path = `group/sub/repo${++seq}`
  gl.addProject(path)
  gl.forbidden = false
  gl.retryAfter = null
  const token = options.token === undefined ? gl.token : options.token
  const provider = new GitlabProvider({
    baseUrl: gl.baseUrl,
    path,
    token: async () => token,
    http: options.http ?? new CiHttp(),
    perPage: options.perPage
  })
  return { path, provider }
}

const ended = { started_at: '2024-05-01T10:00:00Z', finished_at: '2024-05-01T10:02:00Z', duration: 120.4 }

describe('GitLab provider against a fake GitLab', () => {
  it('reads the latest pipeline of the branch and maps every job status', async () => {
    const { path, provider } = setup()
    const statuses = [
      'created',
      'waiting_for_resource',
      'preparing',
      'pending',
      'running',
      'success',
      'failed',
      'canceled',
      'skipped',
      'manual',
      'scheduled'
    ]
    const jobs: FakeJob[] = statuses.map((s, i) => ({
      id: 10 + i,
      name: s,
      stage: 'test',
      status: s,
      ...(['success', 'failed', 'canceled'].includes(s) ? ended : {}),
      ...(s === 'running' ? { started_at: '2024-05-01T10:00:00Z' } : {})
    }))
    jobs.push({ id: 50, name: 'flaky', status: 'failed', allow_failure: true, ...ended })
    jobs.push({ id: 51, name: 'oom', status: 'failed', failure_reason: 'script_failure', ...ended })
    gl.setPipeline(path, { id: 1, ref: 'feature', sha: SHA, status: 'success', jobs: [{ id: 1, name: 'old', status: 'success' }] })
    gl.setPipeline(path, { id: 2, ref: 'feature', sha: SHA, status: 'failed', jobs })
    gl.setPipeline(path, { id: 3, ref: 'other', sha: SHA, status: 'running', jobs: [{ id: 99, name: 'elsewhere', status: 'running' }] })

    const r = await provider.checks({ sha: SHA, branch: 'feature' })
    if (!r.ok) throw new Error(r.error.message)
    const state = Object.fromEntries(r.value.checks.map((c) => [c.id, c.state]))
    expect(statuses.map((s, i) => [s, state[`gl-job:${10 + i}`]])).toEqual([
      ['created', 'queued'],
      ['waiting_for_resource', 'queued'],
      ['preparing', 'queued'],
      ['pending', 'queued'],
      ['running', 'running'],
      ['success', 'passed'],
      ['failed', 'failed'],
      ['canceled', 'cancelled'],
      ['skipped', 'skipped'],
      ['manual', 'neutral'],
      ['scheduled', 'queued']
    ])
    const by = Object.fromEntries(r.value.checks.map((c) => [c.id, c]))
    expect(by['gl-job:50']).toMatchObject({ state: 'neutral', detail: 'failed, allowed to fail' })
    expect(by['gl-job:51']).toMatchObject({
      name: 'test: oom',
      state: 'failed',
      detail: 'script failure',
      durationMs: 120_400,
      hasLog: true,
      provider: 'gitlab',
      url: `${gl.baseUrl}/group/repo/-/jobs/51`
    })
    expect(by['gl-job:10']!.hasLog).toBe(false)
    expect(r.value.checks.some((c) => c.name.includes('old') || c.name.includes('elsewhere'))).toBe(false)
    // The project id travels URL-encoded, as one path segment.
    expect(gl.requests.some((q) => q.path.startsWith(`/api/v4/projects/${encodeURIComponent(path)}/pipelines?`))).toBe(true)
  })

  it('pages through jobs with x-next-page', async () => {
    const { path, provider } = setup({ perPage: 4 })
    gl.setPipeline(path, {
      id: 7,
      ref: 'main',
      sha: SHA,
      status: 'running',
      jobs: Array.from({ length: 10 }, (_, i) => ({ id: 100 + i, name: `shard ${i}`, status: 'running' }))
    })
    const r = await provider.checks({ sha: SHA, branch: 'main' })
    expect(r.ok && r.value.checks.map((c) => c.id)).toEqual(Array.from({ length: 10 }, (_, i) => `gl-job:${100 + i}`))
    expect(gl.requests.filter((q) => q.path.includes('/pipelines/7/jobs')).length).toBe(3)
  })

  it('reuses cached bodies on 304', async () => {
    const { path, provider } = setup()
    gl.setPipeline(path, { id: 8, ref: 'main', sha: SHA, status: 'running', jobs: [{ id: 1, name: 'build', status: 'running' }] })
    const first = await provider.checks({ sha: SHA, branch: 'main' })
    const before = gl.count(`/api/v4/projects/${encodeURIComponent(path)}/`)
    const second = await provider.checks({ sha: SHA, branch: 'main' })
    const after = gl.count(`/api/v4/projects/${encodeURIComponent(path)}/`)
    expect([after.all - before.all, after.notModified - before.notModified]).toEqual([2, 2])
    expect(second).toEqual(first)
  })

  it('reports a pipeline without jobs as one check, and a commit without a pipeline as no checks', async () => {
    const { path, provider } = setup()
    gl.setPipeline(path, { id: 9, ref: 'main', sha: SHA, status: 'failed', jobs: [] })
    const r = await provider.checks({ sha: SHA, branch: 'main' })
    expect(r.ok && r.value.checks).toMatchObject([{ id: 'gl-pipeline:9', state: 'failed', hasLog: false }])
    const other = 'd'.repeat(40)
    gl.addCommit(path, other)
    const none = await provider.checks({ sha: other, branch: 'main' })
    expect(none.ok && none.value.checks).toEqual([])
  })

  it('reports each failure as a clear problem', async () => {
    const { provider } = setup()
    const notPushed = await provider.checks({ sha: 'e'.repeat(40), branch: 'main' })
    expect(!notPushed.ok && notPushed.error).toMatchObject({ kind: 'not-pushed', message: expect.stringContaining('eeeeeee') })

    const missing = new GitlabProvider({ baseUrl: gl.baseUrl, path: 'no/such', token: async () => gl.token })
    const r404 = await missing.checks({ sha: SHA, branch: 'main' })
    expect(!r404.ok && r404.error).toMatchObject({ kind: 'repo-not-found', message: expect.stringContaining('no/such') })

    const noToken = setup({ token: null })
    const r0 = await noToken.provider.checks({ sha: SHA, branch: 'main' })
    expect(!r0.ok && r0.error).toMatchObject({
      kind: 'no-token',
      message: expect.stringContaining('Set GITLAB_TOKEN or run `glab auth login --hostname 127.0.0.1`')
    })

    const bad = setup({ token: 'nope' })
    const r401 = await bad.provider.checks({ sha: SHA, branch: 'main' })
    expect(!r401.ok && r401.error.kind).toBe('unauthorized')

    gl.forbidden = true
    const r403 = await provider.checks({ sha: SHA, branch: 'main' })
    gl.forbidden = false
    expect(!r403.ok && r403.error).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('read_api') })

    const now = Date.now()
    const limited = setup({ http: new CiHttp({ now: () => now }) })
    gl.addCommit(limited.path, SHA)
    gl.retryAfter = 30
    const r429 = await limited.provider.checks({ sha: SHA, branch: 'main' })
    gl.retryAfter = null
    expect(!r429.ok && r429.error).toMatchObject({ kind: 'rate-limited', until: now + 30_000 })
  })

  it('fetches a job trace', async () => {
    const { path, provider } = setup()
    const trace = ['\x1b[0Ksection_start:1:step_script\r\x1b[0KRunning script', '$ npm test', 'npm ERR! Test failed.', 'Cleaning up'].join(
      '\n'
    )
    gl.setPipeline(path, {
      id: 11,
      ref: 'main',
      sha: SHA,
      status: 'failed',
      jobs: [{ id: 300, name: 'test', status: 'failed', ...ended, trace }]
    })
    const r = await provider.log('gl-job:300')
    if (!r.ok) throw new Error(r.error.message)
    expect(await excerptLog(r.value)).toMatchObject({ totalLines: 4, firstErrorLine: 3 })
    const gone = await provider.log('gl-job:301')
    expect(!gone.ok && gone.error.message).toMatch(/no log for this job/)
  })
})

describe('GitLab token lookup', () => {
  it('takes GITLAB_TOKEN, else `glab config get token --host HOST`, else none', async () => {
    const empty = tempDir()
    expect(await gitlabToken({ env: { GITLAB_TOKEN: 'env', PATH: empty } })()).toBe('env')
    expect(await gitlabToken({ env: { PATH: empty } })()).toBeNull()
    const bin = tempDir()
    writeFile(join(bin, 'glab'), '#!/bin/sh\n[ "$1 $2 $3 $4" = "config get token --host" ] && echo "glab-$5" || exit 1\n')
    chmodSync(join(bin, 'glab'), 0o755)
    expect(await gitlabToken({ env: { PATH: bin }, host: 'gitlab.corp.example' })()).toBe('glab-gitlab.corp.example')
    expect(await gitlabToken({ env: { PATH: bin } })()).toBe('glab-gitlab.com')
  })
})
