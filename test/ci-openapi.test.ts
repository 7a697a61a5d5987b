import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { githubCheckRunState } from '../src/main/core/ci/check-states'
import { checkRunBody, fullRepository } from './helpers/fake-github-bodies'
import { githubFixtureFromPackage, GITHUB_OPENAPI_FIXTURE, type OpenApiDoc } from './helpers/github-openapi-fixture'
import { githubApiChecker } from './helpers/github-openapi'
import { gitlabApiChecker } from './helpers/gitlab-shapes'

const SHA = 'a'.repeat(40)
const get = (path: string, status: number, body: unknown, conditional = false) => {
  const u = new URL(path, 'http://api.test')
  return {
    method: 'GET',
    path: u.pathname,
    query: u.searchParams,
    conditional,
    status,
    body: typeof body === 'string' ? body : JSON.stringify(body)
  }
}

describe("GitHub's OpenAPI description, as the fake GitHub applies it", () => {
  it('the committed extract is what scripts/github-openapi-fixture.ts makes from the installed @octokit/openapi', () => {
    const committed = JSON.parse(readFileSync(GITHUB_OPENAPI_FIXTURE, 'utf8')) as OpenApiDoc
    // A mismatch means the package was updated: run `npx tsx scripts/github-openapi-fixture.ts` and commit the result.
    expect(committed).toEqual(githubFixtureFromPackage())
  })

  it('maps every check-run status and conclusion GitHub describes to a known state', () => {
    const doc = JSON.parse(readFileSync(GITHUB_OPENAPI_FIXTURE, 'utf8')) as OpenApiDoc
    const run = (doc.components.schemas as Record<string, { properties: Record<string, { enum: (string | null)[] }> }>)['check-run']!
    const statuses = run.properties.status!.enum
    const conclusions = run.properties.conclusion!.enum
    expect(statuses.length).toBeGreaterThan(3)
    for (const s of statuses) expect([s, githubCheckRunState(s!, s === 'completed' ? 'success' : null).state]).not.toContain('unknown')
    for (const c of [...conclusions, 'stale', 'startup_failure'])
      expect([c, githubCheckRunState('completed', c).state]).not.toEqual([c, 'unknown'])
  })

  it('accepts what GitHub sends and rejects bodies, parameters and statuses it does not describe', () => {
    const gh = githubApiChecker()
    const api = 'https://api.github.com'
    const runs = (body: unknown, q = 'per_page=100') => gh.check(get(`/repos/a/b/commits/${SHA}/check-runs?${q}`, 200, body))
    const run = checkRunBody(api, 'a/b', SHA, { id: 1, name: 'test', status: 'completed', conclusion: 'success' })
    expect(runs({ total_count: 1, check_runs: [run] })).toEqual([])
    expect(gh.check(get('/repos/a/b', 200, fullRepository(api, 'a/b', 1)))).toEqual([])
    // The fake's answers before it was checked: the fields Skein does not read were missing.
    expect(
      gh.check(get('/repos/a/b', 200, { id: 1, name: 'b', full_name: 'a/b', private: true, default_branch: 'main' })).length
    ).toBeGreaterThan(10)
    expect(
      runs({ total_count: 1, check_runs: [{ ...run, app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' } }] })
    ).toContainEqual(expect.stringContaining("/check_runs/0/app must have required property 'owner'"))
    expect(runs({ total_count: 1, check_runs: [{ ...run, status: 'done' }] })).toContainEqual(
      expect.stringContaining('/check_runs/0/status')
    )
    expect(runs({ total_count: 1, check_runs: [run] }, 'per_page=many')).toContainEqual(
      expect.stringContaining('query parameter per_page must be integer')
    )
    expect(runs({ total_count: 1, check_runs: [run] }, 'limit=5')).toContainEqual(
      expect.stringContaining('query parameter limit is not described')
    )
    expect(gh.check(get('/repos/a/b/actions/jobs/abc/logs', 302, ''))).toContainEqual(
      expect.stringContaining('path parameter job_id must be integer')
    )
    expect(gh.check(get('/repos/a/b/actions/jobs/7/logs', 302, ''))).toEqual([])
    expect(gh.check(get('/repos/a/b/pulls', 200, []))).toEqual([expect.stringContaining('no such operation')])
    expect(gh.check(get('/repos/a/b/actions/jobs/7/logs', 200, 'log'))).toEqual([expect.stringContaining('status 200 is not described')])
    expect(gh.check(get(`/repos/a/b/commits/${SHA}/status`, 304, ''))).toEqual([expect.stringContaining('without If-None-Match')])
    expect(gh.check(get(`/repos/a/b/commits/${SHA}/status`, 304, '', true))).toEqual([])
    expect(gh.check(get(`/repos/a/b/commits/${SHA}/check-runs`, 403, { message: 'no', status: 403 }))).toContainEqual(
      expect.stringContaining('/status must be string')
    )
  })
})

describe("GitLab's documented shapes, as the fake GitLab applies them", () => {
  it('rejects undocumented fields, missing ones, unknown statuses and parameters', () => {
    const gl = gitlabApiChecker()
    const pipeline = {
      id: 1,
      iid: 1,
      project_id: 1,
      sha: SHA,
      ref: 'main',
      status: 'success',
      source: 'push',
      created_at: '2024-05-01T10:00:00Z',
      updated_at: '2024-05-01T10:00:00Z',
      web_url: 'https://gitlab.example/p/1'
    }
    expect(gl.check(get('/projects/g%2Fr/pipelines?ref=main&sha=x&order_by=id&sort=desc&per_page=20', 200, [pipeline]))).toEqual([])
    expect(gl.check(get('/projects/g%2Fr/pipelines', 200, [{ ...pipeline, sha: undefined }]))).toContainEqual(
      expect.stringContaining("required property 'sha'")
    )
    expect(gl.check(get('/projects/g%2Fr/pipelines', 200, [{ ...pipeline, coverage: '90' }]))).toContainEqual(
      expect.stringContaining('(coverage)')
    )
    expect(gl.check(get('/projects/g%2Fr/pipelines', 200, [{ ...pipeline, status: 'passed' }]))).toContainEqual(
      expect.stringContaining('/0/status')
    )
    expect(gl.check(get('/projects/g%2Fr/pipelines?order_by=name', 200, []))).toContainEqual(expect.stringContaining('order_by'))
    expect(gl.check(get('/projects/g%2Fr/merge_requests?state=open', 200, []))).toContainEqual(expect.stringContaining('state'))
    expect(gl.check(get('/projects/g%2Fr/pipelines/1/bridges', 200, [{ id: 1, name: 'x', status: 'success' }]))).toContainEqual(
      expect.stringContaining("required property 'downstream_pipeline'")
    )
    expect(gl.check(get('/projects/g%2Fr/jobs/1/trace', 200, 'plain log'))).toEqual([])
    expect(gl.check(get('/projects/g%2Fr/jobs/1/trace', 404, { message: '404 Not found' }))).toEqual([])
  })
})
