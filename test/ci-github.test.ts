import { chmodSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { overallState } from '../src/main/core/ci/check-states'
import { CiHttp } from '../src/main/core/ci/ci-http'
import { githubToken } from '../src/main/core/ci/ci-tokens'
import { GithubProvider } from '../src/main/core/ci/github-provider'
import { excerptLog } from '../src/main/core/ci/log-excerpt'
import { FakeGithub } from './helpers/fake-github'
import { cleanupTemp, tempDir, writeFile } from './helpers/fixtures'

const SHA = 'a'.repeat(40)
let gh: FakeGithub

beforeAll(async () => {
  gh = await FakeGithub.start()
})
afterAll(() => gh.close())
afterEach(async () => {
  await cleanupTemp()
  // Every request Skein sent and every answer the fake gave must match GitHub's OpenAPI description.
  expect(gh.violations.splice(0)).toEqual([])
})

let repoSeq = 0
/** A fresh repository on the fake, and a provider pointed at it. */
function setup(options: { perPage?: number; http?: CiHttp; token?: string | null } = {}) {
  const name = `acme/widgets${++repoSeq}`
  gh.addRepo(name)
  gh.forbidden = false
  gh.malformed = null
  gh.retryAfter = null
  gh.secondaryLimit = false
  gh.combinedState = null
  gh.rate.remaining = 5000
  const [owner, repo] = name.split('/') as [string, string]
  const token = options.token === undefined ? gh.token : options.token
  const provider = new GithubProvider({
    baseUrl: gh.baseUrl,
    owner,
    repo,
    token: async () => token,
    http: options.http ?? new CiHttp(),
    perPage: options.perPage
  })
  return { name, provider }
}

const done = (conclusion: string) => ({
  status: 'completed',
  conclusion,
  started_at: '2024-05-01T10:00:00Z',
  completed_at: '2024-05-01T10:01:30Z'
})

describe('GitHub provider against a fake GitHub', () => {
  it('reads check runs and commit statuses and maps each state', async () => {
    const { name, provider } = setup()
    const conclusions = [
      'success',
      'failure',
      'timed_out',
      'startup_failure',
      'action_required',
      'cancelled',
      'stale',
      'skipped',
      'neutral'
    ]
    conclusions.forEach((c, i) => gh.setCheckRun(name, SHA, { id: 100 + i, name: `job-${c}`, ...done(c) }))
    gh.setCheckRun(name, SHA, { id: 200, name: 'queued', status: 'queued', conclusion: null })
    gh.setCheckRun(name, SHA, { id: 201, name: 'running', status: 'in_progress', conclusion: null, started_at: '2024-05-01T10:00:00Z' })
    gh.setCheckRun(name, SHA, { id: 202, name: 'waiting', status: 'waiting', conclusion: null })
    gh.setCheckRun(name, SHA, { id: 204, name: 'requested', status: 'requested', conclusion: null })
    gh.setCheckRun(name, SHA, { id: 205, name: 'pending', status: 'pending', conclusion: null })
    gh.setCheckRun(name, SHA, { id: 203, name: 'external', app: 'circleci', ...done('success') })
    for (const s of ['pending', 'success', 'failure', 'error'])
      gh.setStatus(name, SHA, { context: `ci/${s}`, state: s, description: `it is ${s}`, target_url: `https://ci.example/${s}` })

    const r = await provider.checks({ sha: SHA, branch: 'main' })
    if (!r.ok) throw new Error(r.error.message)
    const by = Object.fromEntries(r.value.checks.map((c) => [c.name, c]))
    expect(Object.fromEntries(conclusions.map((c) => [c, by[`job-${c}`]!.state]))).toEqual({
      success: 'passed',
      failure: 'failed',
      timed_out: 'failed',
      startup_failure: 'failed',
      action_required: 'failed',
      cancelled: 'cancelled',
      stale: 'cancelled',
      skipped: 'skipped',
      neutral: 'neutral'
    })
    expect([by.queued!.state, by.running!.state, by.waiting!.state, by.requested!.state, by.pending!.state]).toEqual([
      'queued',
      'running',
      'queued',
      'queued',
      'queued'
    ])
    expect(by['job-failure']).toMatchObject({
      id: 'gh-run:101',
      provider: 'github',
      durationMs: 90_000,
      hasLog: true,
      url: `https://github.com/${name}/actions/runs/1/job/101`
    })
    expect(by['job-skipped']!.hasLog).toBe(false)
    expect(by.running!.hasLog).toBe(false)
    expect(by.external!.hasLog).toBe(false)
    expect(['ci/pending', 'ci/success', 'ci/failure', 'ci/error'].map((c) => by[c]!.state)).toEqual([
      'running',
      'passed',
      'failed',
      'failed'
    ])
    expect(by['ci/failure']).toMatchObject({
      id: 'gh-status:ci/failure',
      hasLog: false,
      detail: 'it is failure',
      url: 'https://ci.example/failure'
    })
  })

  it('follows Link pagination through every page of check runs', async () => {
    const { name, provider } = setup({ perPage: 10 })
    for (let i = 0; i < 25; i++) gh.setCheckRun(name, SHA, { id: 1000 + i, name: `shard ${i}`, ...done('success') })
    const before = gh.requests.length
    const r = await provider.checks({ sha: SHA, branch: 'main' })
    expect(r.ok && r.value.checks.length).toBe(25)
    const pages = gh.requests.slice(before).filter((q) => q.path.includes('/check-runs'))
    expect(pages.map((q) => new URL(q.path, gh.baseUrl).searchParams.get('page'))).toEqual([null, '2', '3'])
  })

  it('sends If-None-Match and reuses the cached body on 304, which does not spend the rate limit', async () => {
    const { name, provider } = setup()
    gh.setCheckRun(name, SHA, { id: 1, name: 'build', status: 'in_progress', conclusion: null })
    const first = await provider.checks({ sha: SHA, branch: 'main' })
    const spent = 5000 - gh.rate.remaining
    const before = gh.count(`/repos/${name}/`)
    const second = await provider.checks({ sha: SHA, branch: 'main' })
    const after = gh.count(`/repos/${name}/`)
    expect(after.all - before.all).toBe(2)
    expect(after.notModified - before.notModified).toBe(2)
    expect(5000 - gh.rate.remaining).toBe(spent)
    expect(second).toEqual(first)
    expect(gh.requests.at(-1)!.ifNoneMatch).toMatch(/^W\/"/)

    gh.setCheckRun(name, SHA, { id: 1, name: 'build', ...done('failure') })
    const third = await provider.checks({ sha: SHA, branch: 'main' })
    expect(third.ok && third.value.checks[0]!.state).toBe('failed')
    expect(gh.count(`/repos/${name}/`).notModified - after.notModified).toBe(1)
  })

  it('reports a spent rate limit as rate-limited until the reset time, and sends nothing until then', async () => {
    let now = Date.now()
    const { name, provider } = setup({ http: new CiHttp({ now: () => now }) })
    gh.commit(name, SHA)
    gh.rate.remaining = 0
    gh.rate.reset = Math.floor(now / 1000) + 600
    const r = await provider.checks({ sha: SHA, branch: 'main' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.kind).toBe('rate-limited')
    expect(r.error.until).toBe(gh.rate.reset * 1000)
    const hhmm = new Date(gh.rate.reset * 1000)
    expect(r.error.message).toContain(`until ${String(hhmm.getHours()).padStart(2, '0')}:${String(hhmm.getMinutes()).padStart(2, '0')}`)
    const sent = gh.requests.length
    const again = await provider.checks({ sha: SHA, branch: 'main' })
    expect(!again.ok && again.error.kind).toBe('rate-limited')
    expect(gh.requests.length).toBe(sent)
    now = gh.rate.reset * 1000 + 1
    gh.rate.remaining = 5000
    expect((await provider.checks({ sha: SHA, branch: 'main' })).ok).toBe(true)
  })

  it('treats 429 with Retry-After as rate-limited for that long', async () => {
    const now = Date.now()
    const { name, provider } = setup({ http: new CiHttp({ now: () => now }) })
    gh.commit(name, SHA)
    gh.retryAfter = 120
    const r = await provider.checks({ sha: SHA, branch: 'main' })
    gh.retryAfter = null
    expect(!r.ok && r.error).toMatchObject({ kind: 'rate-limited', until: now + 120_000 })
  })

  it('backs off for a minute on a secondary rate limit: a 403 with requests left and no Retry-After', async () => {
    let now = Date.now()
    const { name, provider } = setup({ http: new CiHttp({ now: () => now }) })
    gh.commit(name, SHA)
    gh.secondaryLimit = true
    const r = await provider.checks({ sha: SHA, branch: 'main' })
    expect(gh.requests.at(-1)).toMatchObject({ status: 403 })
    expect(gh.rate.remaining).toBeGreaterThan(0)
    expect(!r.ok && r.error).toMatchObject({ kind: 'rate-limited', until: now + 60_000, message: expect.stringContaining('rate-limited') })
    // Nothing goes out until the minute is over, even once GitHub would answer again.
    gh.secondaryLimit = false
    const sent = gh.requests.length
    now += 59_000
    const again = await provider.checks({ sha: SHA, branch: 'main' })
    expect(!again.ok && again.error.kind).toBe('rate-limited')
    expect(gh.requests.length).toBe(sent)
    now += 1001
    expect((await provider.checks({ sha: SHA, branch: 'main' })).ok).toBe(true)
  })

  it('reads every commit status past the first 100, page by page, and re-reads unchanged pages for free', async () => {
    const { name, provider } = setup()
    for (let i = 0; i < 150; i++) gh.setStatus(name, SHA, { context: `ci/shard-${i}`, state: i === 120 ? 'failure' : 'success' })
    const before = gh.requests.length
    const r = await provider.checks({ sha: SHA, branch: 'main' })
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.checks).toHaveLength(150)
    expect(r.value.checks.find((c) => c.name === 'ci/shard-120')!.state).toBe('failed')
    const pages = gh.requests.slice(before).filter((q) => q.path.includes('/status'))
    expect(pages.map((q) => new URL(q.path, gh.baseUrl).searchParams.get('page'))).toEqual([null, '2'])
    const spent = gh.rate.remaining
    const second = await provider.checks({ sha: SHA, branch: 'main' })
    expect(second).toEqual(r)
    expect(gh.requests.slice(-2).map((q) => q.status)).toEqual([304, 304])
    expect(gh.rate.remaining).toBe(spent)
  })

  it('never reads better than the combined state GitHub reports', async () => {
    const { name, provider } = setup()
    gh.setStatus(name, SHA, { context: 'ci/lint', state: 'success' })
    gh.combinedState = 'failure'
    const r = await provider.checks({ sha: SHA, branch: 'main' })
    if (!r.ok) throw new Error(r.error.message)
    expect(overallState(r.value.checks)).toBe('failed')
    expect(r.value.checks.at(-1)).toMatchObject({ name: 'combined status', state: 'failed', detail: expect.stringContaining('failure') })
    gh.combinedState = null
    const agreed = await provider.checks({ sha: SHA, branch: 'main' })
    expect(agreed.ok && agreed.value.checks.map((c) => c.name)).toEqual(['ci/lint'])
  })

  it('says what to do about a missing token, a bad token and a forbidden one', async () => {
    const none = setup({ token: null })
    const r1 = await none.provider.checks({ sha: SHA, branch: 'main' })
    expect(!r1.ok && r1.error).toMatchObject({ kind: 'no-token', message: expect.stringContaining('`gh auth login --hostname 127.0.0.1`') })
    // No request is made without a token, so the public default can be checked offline.
    const publicGithub = new GithubProvider({ owner: 'a', repo: 'b', token: async () => null })
    const r0 = await publicGithub.checks({ sha: SHA, branch: 'main' })
    expect(!r0.ok && r0.error.message).toBe('Skein has no GitHub token to read CI with. Set GITHUB_TOKEN or run `gh auth login`.')

    const bad = setup({ token: 'wrong' })
    gh.commit(bad.name, SHA)
    const r2 = await bad.provider.checks({ sha: SHA, branch: 'main' })
    expect(!r2.ok && r2.error).toMatchObject({ kind: 'unauthorized', message: expect.stringContaining('401') })

    const forbidden = setup()
    gh.commit(forbidden.name, SHA)
    gh.forbidden = true
    const r3 = await forbidden.provider.checks({ sha: SHA, branch: 'main' })
    gh.forbidden = false
    expect(!r3.ok && r3.error).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('Checks') })
  })

  it('tells a missing repository from a commit that is not pushed', async () => {
    const missing = new GithubProvider({ baseUrl: gh.baseUrl, owner: 'nobody', repo: 'nothing', token: async () => gh.token })
    const r1 = await missing.checks({ sha: SHA, branch: 'main' })
    expect(!r1.ok && r1.error).toMatchObject({ kind: 'repo-not-found', message: expect.stringContaining('nobody/nothing') })

    const { provider } = setup()
    const r2 = await provider.checks({ sha: 'b'.repeat(40), branch: 'main' })
    expect(!r2.ok && r2.error).toMatchObject({ kind: 'not-pushed', message: expect.stringContaining('bbbbbbb') })
  })

  it('reports an unreachable server and malformed answers without throwing', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    const down = new GithubProvider({ baseUrl: `http://127.0.0.1:${port}`, owner: 'a', repo: 'b', token: async () => 't' })
    const r1 = await down.checks({ sha: SHA, branch: 'main' })
    expect(!r1.ok && r1.error).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('ECONNREFUSED') })

    const { name, provider } = setup()
    gh.commit(name, SHA)
    gh.malformed = 'json'
    const r2 = await provider.checks({ sha: SHA, branch: 'main' })
    gh.malformed = 'shape'
    const r3 = await provider.checks({ sha: SHA, branch: 'main' })
    gh.malformed = null
    expect(!r2.ok && r2.error.kind).toBe('malformed')
    expect(!r3.ok && r3.error).toMatchObject({ kind: 'malformed', message: expect.stringContaining('check runs') })
  })

  it('follows the log redirect without sending the token to the signed URL', async () => {
    const { name, provider } = setup()
    gh.setCheckRun(name, SHA, {
      id: 77,
      name: 'test',
      ...done('failure'),
      log: 'setup\n\x1b[31mError: expected 1 to be 2\x1b[0m\nteardown\n'
    })
    const r = await provider.log('gh-run:77')
    if (!r.ok) throw new Error(r.error.message)
    const ex = await excerptLog(r.value)
    expect(ex).toMatchObject({ totalLines: 3, firstErrorLine: 2, truncated: false })
    const blob = gh.requests.filter((q) => q.path.startsWith('/_blob/')).at(-1)!
    expect(blob).toMatchObject({ status: 200, authorization: null })

    const none = await provider.log('gh-run:999')
    expect(!none.ok && none.error.message).toMatch(/no log for this job/)
    const status = await provider.log('gh-status:ci/x')
    expect(status.ok).toBe(false)
  })
})

describe('GitHub token lookup', () => {
  it('takes GITHUB_TOKEN, then GH_TOKEN, then `gh auth token`, else none', async () => {
    const empty = tempDir()
    expect(await githubToken({ env: { GITHUB_TOKEN: 'one', GH_TOKEN: 'two', PATH: empty } })()).toBe('one')
    expect(await githubToken({ env: { GH_TOKEN: 'two', PATH: empty } })()).toBe('two')
    expect(await githubToken({ env: { PATH: empty } })()).toBeNull()
    const bin = tempDir()
    writeFile(join(bin, 'gh'), '#!/bin/sh\n[ "$1 $2" = "auth token" ] && echo "from-gh $3 $4" || exit 1\n')
    chmodSync(join(bin, 'gh'), 0o755)
    expect(await githubToken({ env: { PATH: bin } })()).toBe('from-gh')
    expect(await githubToken({ env: { PATH: bin }, host: 'code.corp.example' })()).toBe('from-gh --hostname code.corp.example')
  })
})
