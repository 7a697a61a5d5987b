import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { overallState } from '../src/main/core/ci/check-states'
import { CiHttp } from '../src/main/core/ci/ci-http'
import { resolveCiTarget } from '../src/main/core/ci/ci-target'
import { GitlabProvider } from '../src/main/core/ci/gitlab-provider'
import { providerFactory } from '../src/main/core/ci/provider-factory'
import type { CiCheck } from '../src/shared/ci'
import { FakeGitlab, type FakeJob } from './helpers/fake-gitlab'
import { cleanupTemp, tempDir, writeFile } from './helpers/fixtures'

const SHA = 'c'.repeat(40)
const MERGE_SHA = 'e'.repeat(40)
let gl: FakeGitlab

beforeAll(async () => {
  gl = await FakeGitlab.start()
})
afterAll(() => gl.close())
afterEach(async () => {
  await cleanupTemp()
  gl.triggerJobRoutes = ['bridges', 'trigger_jobs']
  expect(gl.violations.splice(0)).toEqual([])
})

let seq = 0
function setup(options: { http?: CiHttp; token?: string } = {}) {
  const path = `team/app${++seq}`
  gl.addProject(path)
  const token = options.token ?? gl.token
  const provider = new GitlabProvider({ baseUrl: gl.baseUrl, path, token: async () => token, http: options.http ?? new CiHttp() })
  const read = async (branch = 'feature') => {
    const r = await provider.checks({ sha: SHA, branch })
    if (!r.ok) throw new Error(r.error.message)
    return { checks: r.value.checks, overall: overallState(r.value.checks), by: (id: string) => r.value.checks.find((c) => c.id === id) }
  }
  return { path, provider, read, prefix: `/api/v4/projects/${encodeURIComponent(path)}` }
}

const passed = (id: number, name: string): FakeJob => ({
  id,
  name,
  status: 'success',
  started_at: '2024-05-01T10:00:00Z',
  finished_at: '2024-05-01T10:01:00Z',
  duration: 60
})
const states = (checks: CiCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c.state]))

describe('GitLab pipelines never read better than GitLab says', () => {
  it('a pipeline that failed only in a trigger job reads failed, with the downstream pipeline named', async () => {
    const { path, read } = setup()
    gl.setPipeline(path, {
      id: 1,
      ref: 'feature',
      sha: SHA,
      status: 'failed',
      jobs: [passed(10, 'build'), passed(11, 'unit')],
      bridges: [{ id: 12, name: 'integration', stage: 'deploy', status: 'failed', downstream: { id: 90, status: 'failed' } }]
    })
    const { checks, overall, by } = await read()
    expect(overall).toBe('failed')
    expect(by('gl-bridge:12')).toMatchObject({
      name: 'deploy: integration',
      state: 'failed',
      hasLog: false,
      detail: 'downstream pipeline #90 failed',
      url: `${gl.baseUrl}/group/repo/-/pipelines/90`
    })
    // The trigger job explains the failure, so the pipeline is not listed as a check of its own.
    expect(checks.map((c) => c.id)).toEqual(['gl-job:10', 'gl-job:11', 'gl-bridge:12'])
  })

  it('a trigger job reads as its downstream pipeline when that is worse, and as itself while there is none', async () => {
    const { path, read } = setup()
    gl.setPipeline(path, {
      id: 2,
      ref: 'feature',
      sha: SHA,
      status: 'running',
      jobs: [passed(20, 'build')],
      bridges: [
        { id: 21, name: 'docs', status: 'success', downstream: { id: 91, status: 'running' } },
        { id: 22, name: 'e2e', status: 'success', downstream: { id: 92, status: 'failed' } },
        { id: 23, name: 'deploy', status: 'created', downstream: null },
        { id: 24, name: 'optional', status: 'success', allow_failure: true, downstream: { id: 93, status: 'failed' } }
      ]
    })
    const { checks, overall } = await read()
    expect(states(checks)).toEqual({
      'test: build': 'passed',
      'test: docs': 'running',
      'test: e2e': 'failed',
      'test: deploy': 'queued',
      'test: optional': 'neutral'
    })
    expect(overall).toBe('failed')
  })

  it('lists trigger jobs at /trigger_jobs once a GitLab without /bridges answers 404, and keeps using it; with neither, the pipeline is the floor', async () => {
    const { path, read, prefix } = setup()
    gl.triggerJobRoutes = ['trigger_jobs']
    const failedDownstream = { id: 12, name: 'integration', stage: 'deploy', status: 'failed', downstream: { id: 90, status: 'failed' } }
    gl.setPipeline(path, { id: 1, ref: 'feature', sha: SHA, status: 'failed', jobs: [passed(10, 'build')], bridges: [failedDownstream] })
    const trigger = () =>
      gl.requests
        .filter((q) => q.path.startsWith(`${prefix}/`) && /\/(bridges|trigger_jobs)/.test(q.path))
        .map((q) => `${q.path.slice(prefix.length).replace(/\?.*/, '')} ${q.status}`)
    const first = await read()
    expect(first.overall).toBe('failed')
    expect(first.by('gl-bridge:12')?.state).toBe('failed')
    expect(trigger()).toEqual(['/pipelines/1/bridges 404', '/pipelines/1/trigger_jobs 200'])
    gl.setPipeline(path, {
      id: 2,
      ref: 'feature',
      sha: SHA,
      status: 'failed',
      jobs: [passed(20, 'build')],
      bridges: [{ ...failedDownstream, id: 22 }]
    })
    expect((await read()).by('gl-bridge:22')?.state).toBe('failed')
    expect(trigger().slice(2)).toEqual(['/pipelines/2/trigger_jobs 200'])
    gl.triggerJobRoutes = []
    gl.setPipeline(path, { id: 3, ref: 'feature', sha: SHA, status: 'failed', jobs: [passed(30, 'build')] })
    // A server that lists trigger jobs nowhere: the pipeline's own status still keeps it from reading passed.
    const third = await read()
    expect(third.overall).toBe('failed')
    expect(third.checks.map((c) => c.state)).toContain('failed')
  })

  it('adds the pipeline itself when its own status reads worse than every job Skein can see', async () => {
    const { path, read } = setup()
    gl.setPipeline(path, { id: 3, ref: 'feature', sha: SHA, status: 'failed', jobs: [passed(30, 'build')] })
    const failed = await read()
    expect(failed.overall).toBe('failed')
    expect(failed.by('gl-pipeline:3')).toMatchObject({ name: 'pipeline', state: 'failed', detail: 'GitLab reports the pipeline failed' })
    // Later stages not created yet: every job so far passed, but the pipeline still runs.
    gl.setPipeline(path, { id: 3, ref: 'feature', sha: SHA, status: 'running', jobs: [passed(30, 'build')] })
    const running = await read()
    expect([running.overall, running.by('gl-pipeline:3')?.state]).toEqual(['running', 'running'])
    gl.setPipeline(path, { id: 3, ref: 'feature', sha: SHA, status: 'success', jobs: [passed(30, 'build')] })
    const agreed = await read()
    expect([agreed.overall, agreed.checks.map((c) => c.id)]).toEqual(['passed', ['gl-job:30']])
  })

  it('a pipeline blocked on a manual job is pending, not passed; an optional manual job does not block', async () => {
    const { path, read } = setup()
    gl.setPipeline(path, {
      id: 4,
      ref: 'feature',
      sha: SHA,
      status: 'manual',
      jobs: [passed(40, 'build'), { id: 41, name: 'approve', stage: 'release', status: 'manual', allow_failure: false }]
    })
    const blocked = await read()
    expect(blocked.overall).toBe('pending')
    expect(blocked.by('gl-job:41')).toMatchObject({ state: 'queued', detail: 'blocked on a manual job: start it in GitLab' })
    gl.setPipeline(path, {
      id: 4,
      ref: 'feature',
      sha: SHA,
      status: 'success',
      jobs: [passed(40, 'build'), { id: 41, name: 'approve', status: 'manual' }]
    })
    const optional = await read()
    expect([optional.overall, optional.by('gl-job:41')?.state]).toEqual(['passed', 'neutral'])
  })

  it('a pipeline waiting for a callback is running, not passed', async () => {
    const { path, read } = setup()
    gl.setPipeline(path, {
      id: 5,
      ref: 'feature',
      sha: SHA,
      status: 'waiting_for_callback',
      jobs: [passed(50, 'build'), { id: 51, name: 'external review', status: 'waiting_for_callback', started_at: '2024-05-01T10:02:00Z' }]
    })
    const { overall, by } = await read()
    expect(overall).toBe('running')
    expect(by('gl-job:51')).toMatchObject({ state: 'running', detail: 'waiting for a callback from an external service' })
  })

  it('leaves out child pipelines, which show through their parent’s trigger job', async () => {
    const { path, read } = setup()
    gl.setPipeline(path, { id: 6, ref: 'feature', sha: SHA, status: 'success', jobs: [passed(60, 'build')] })
    gl.setPipeline(path, {
      id: 7,
      ref: 'feature',
      sha: SHA,
      status: 'failed',
      source: 'parent_pipeline',
      jobs: [{ id: 70, name: 'child', status: 'failed' }]
    })
    expect((await read()).checks.map((c) => c.id)).toEqual(['gl-job:60'])
  })
})

describe('GitLab merge request pipelines', () => {
  it('shows the CI of a project that runs only merge request pipelines', async () => {
    const { path, read } = setup()
    gl.setPipeline(path, {
      id: 8,
      ref: 'refs/merge-requests/3/head',
      sha: SHA,
      status: 'failed',
      source: 'merge_request_event',
      jobs: [passed(80, 'lint'), { id: 81, name: 'test', status: 'failed', failure_reason: 'script_failure' }]
    })
    gl.setMergeRequest(path, { iid: 3, source_branch: 'feature', sha: SHA, headPipelineId: 8 })
    const { checks, overall } = await read()
    expect(overall).toBe('failed')
    expect(states(checks)).toEqual({ 'test: lint': 'passed', 'test: test': 'failed' })
  })

  it('includes the merged results pipeline, which runs on another SHA, beside the branch pipeline', async () => {
    const { path, read } = setup()
    gl.setPipeline(path, { id: 9, ref: 'feature', sha: SHA, status: 'success', jobs: [passed(90, 'test')] })
    gl.setPipeline(path, {
      id: 10,
      ref: 'refs/merge-requests/4/merge',
      sha: MERGE_SHA,
      status: 'failed',
      source: 'merge_request_event',
      jobs: [{ id: 100, name: 'test', status: 'failed' }]
    })
    gl.setMergeRequest(path, { iid: 4, source_branch: 'feature', sha: SHA, headPipelineId: 10 })
    const { checks, overall } = await read()
    expect(overall).toBe('failed')
    expect(states(checks)).toEqual({ 'test: test': 'passed', 'test: test (merged results !4)': 'failed' })
  })

  it('ignores a merge request pipeline of an older head, and one of a merge request that was closed', async () => {
    const { path, read } = setup()
    gl.setPipeline(path, { id: 11, ref: 'feature', sha: SHA, status: 'success', jobs: [passed(110, 'test')] })
    gl.setPipeline(path, {
      id: 12,
      ref: 'refs/merge-requests/5/merge',
      sha: MERGE_SHA,
      status: 'failed',
      jobs: [{ id: 120, name: 'test', status: 'failed' }]
    })
    // GitLab has not taken in the push yet: the merge request's head is still the previous commit.
    gl.setMergeRequest(path, { iid: 5, source_branch: 'feature', sha: 'd'.repeat(40), headPipelineId: 12 })
    expect((await read()).overall).toBe('passed')
    gl.setMergeRequest(path, { iid: 5, source_branch: 'feature', sha: SHA, headPipelineId: 12 })
    expect((await read()).overall).toBe('failed')
    gl.setMergeRequest(path, { iid: 5, source_branch: 'feature', sha: SHA, headPipelineId: 12, state: 'closed' })
    expect((await read()).overall).toBe('passed')
  })

  it('asks for trigger jobs and merge requests only when they can matter, and reuses cached answers', async () => {
    let now = Date.now()
    const { path, read, prefix } = setup({ http: new CiHttp({ now: () => now }) })
    gl.setPipeline(path, { id: 13, ref: 'feature', sha: SHA, status: 'running', jobs: [{ id: 130, name: 'test', status: 'running' }] })
    const paths = async () => {
      const before = gl.requests.length
      await read()
      return gl.requests.slice(before).map((q) => `${q.path.slice(prefix.length).replace(/\?.*/, '')} ${q.status}`)
    }
    expect(await paths()).toEqual(['/pipelines 200', '/merge_requests 200', '/pipelines/13/jobs 200', '/pipelines/13/bridges 200'])
    // No trigger jobs in this pipeline, and no open merge request for a while: two requests, both 304.
    now += 60_000
    expect(await paths()).toEqual(['/pipelines 304', '/pipelines/13/jobs 304'])
    now += 300_000
    expect(await paths()).toEqual(['/pipelines 304', '/pipelines/13/jobs 304'])
    now += 300_000
    expect(await paths()).toEqual(['/pipelines 304', '/merge_requests 304', '/pipelines/13/jobs 304'])
    // Once a merge request is open it is read directly, and its pipeline's trigger jobs are looked for once.
    gl.setPipeline(path, {
      id: 14,
      ref: 'refs/merge-requests/6/head',
      sha: SHA,
      status: 'running',
      jobs: [{ id: 140, name: 'mr', status: 'running' }]
    })
    gl.setMergeRequest(path, { iid: 6, source_branch: 'feature', sha: SHA, headPipelineId: 14 })
    now += 600_000
    expect(await paths()).toEqual([
      '/pipelines 304',
      '/merge_requests 200',
      '/merge_requests/6 200',
      '/pipelines/13/jobs 304',
      '/pipelines/14/jobs 200',
      '/pipelines/14/bridges 200'
    ])
    expect(await paths()).toEqual(['/pipelines 304', '/merge_requests/6 304', '/pipelines/13/jobs 304', '/pipelines/14/jobs 304'])
  })
})

describe('GitLab OAuth tokens', () => {
  it('sends a token from glab’s web login (is_oauth2) as Authorization: Bearer', async () => {
    const bin = tempDir()
    writeFile(
      join(bin, 'glab'),
      [
        '#!/bin/sh',
        '[ "$1 $2 $4 $5" = "config get --host 127.0.0.1" ] || exit 1',
        '[ "$3" = token ] && echo "glab-oauth-access-token" && exit 0',
        '[ "$3" = is_oauth2 ] && echo true && exit 0',
        'exit 1'
      ].join('\n') + '\n'
    )
    chmodSync(join(bin, 'glab'), 0o755)
    const path = `team/app${++seq}`
    gl.setPipeline(path, { id: 15, ref: 'feature', sha: SHA, status: 'success', jobs: [passed(150, 'test')] })
    gl.oauthToken = 'glab-oauth-access-token'
    const target = resolveCiTarget(`${gl.baseUrl}/${path}.git`, { provider: 'gitlab', baseUrl: gl.baseUrl })
    if (!target.ok) throw new Error(target.error.message)
    const r = await providerFactory({ env: { PATH: bin } })(target.value).checks({ sha: SHA, branch: 'feature' })
    expect(r.ok && r.value.checks.map((c) => c.state)).toEqual(['passed'])
    expect(gl.requests.at(-1)).toMatchObject({ auth: 'bearer', token: 'glab-oauth-access-token' })
  })

  it('sends a token that looks like an OAuth access token as Bearer, and a personal access token as PRIVATE-TOKEN', async () => {
    gl.oauthToken = 'a1b2c3d4'.repeat(8)
    const oauth = setup({ token: gl.oauthToken })
    gl.setPipeline(oauth.path, { id: 16, ref: 'feature', sha: SHA, status: 'success', jobs: [passed(160, 'test')] })
    expect((await oauth.read()).overall).toBe('passed')
    expect(gl.requests.at(-1)).toMatchObject({ auth: 'bearer', status: 200 })
    const pat = setup()
    gl.setPipeline(pat.path, { id: 17, ref: 'feature', sha: SHA, status: 'success', jobs: [passed(170, 'test')] })
    expect((await pat.read()).overall).toBe('passed')
    expect(gl.requests.at(-1)).toMatchObject({ auth: 'private-token', status: 200 })
  })
})
