import { describe, expect, it } from 'vitest'
import { githubCheckRunState, githubCommitStatusState, gitlabState, overallState, readsBetterThan } from '../src/main/core/ci/check-states'
import { parseRemoteUrl, resolveCiTarget } from '../src/main/core/ci/ci-target'
import { renderLogSegments, type CiCheckState } from '../src/shared/ci'
import { GITLAB_STATUSES } from './helpers/gitlab-shapes'

describe('state mappings', () => {
  it('maps every GitHub check-run status and conclusion; anything else is unknown', () => {
    const cases: [string, string | null, CiCheckState][] = [
      ['queued', null, 'queued'],
      ['requested', null, 'queued'],
      ['waiting', null, 'queued'],
      ['pending', null, 'queued'],
      ['in_progress', null, 'running'],
      ['completed', 'success', 'passed'],
      ['completed', 'failure', 'failed'],
      ['completed', 'timed_out', 'failed'],
      ['completed', 'startup_failure', 'failed'],
      ['completed', 'action_required', 'failed'],
      ['completed', 'cancelled', 'cancelled'],
      ['completed', 'stale', 'cancelled'],
      ['completed', 'skipped', 'skipped'],
      ['completed', 'neutral', 'neutral'],
      ['completed', null, 'unknown'],
      ['completed', 'something_new', 'unknown'],
      ['brand_new', null, 'unknown']
    ]
    for (const [status, conclusion, state] of cases)
      expect([status, conclusion, githubCheckRunState(status, conclusion).state]).toEqual([status, conclusion, state])
    expect(githubCheckRunState('completed', 'timed_out').detail).toBe('timed out')
    expect(githubCheckRunState('completed', 'action_required').detail).toMatch(/act on GitHub/)
    expect(githubCheckRunState('brand_new', null).detail).toBe('unknown status "brand_new"')
  })

  it('maps every GitHub commit-status state; anything else is unknown', () => {
    const cases: [string, CiCheckState][] = [
      ['pending', 'running'],
      ['success', 'passed'],
      ['failure', 'failed'],
      ['error', 'failed'],
      ['weird', 'unknown']
    ]
    for (const [s, state] of cases) expect([s, githubCommitStatusState(s).state]).toEqual([s, state])
  })

  it('maps every documented GitLab pipeline and job status; anything else is unknown', () => {
    const cases: [string, CiCheckState][] = [
      ['created', 'queued'],
      ['waiting_for_resource', 'queued'],
      ['preparing', 'queued'],
      ['pending', 'queued'],
      ['scheduled', 'queued'],
      ['manual', 'queued'],
      ['running', 'running'],
      ['waiting_for_callback', 'running'],
      ['success', 'passed'],
      ['failed', 'failed'],
      ['canceling', 'cancelled'],
      ['canceled', 'cancelled'],
      ['skipped', 'skipped'],
      ['unheard_of', 'unknown']
    ]
    expect(
      cases
        .map(([s]) => s)
        .slice(0, -1)
        .sort()
    ).toEqual([...GITLAB_STATUSES].sort())
    for (const [s, state] of cases) expect([s, gitlabState(s).state]).toEqual([s, state])
    expect(gitlabState('failed', true)).toEqual({ state: 'neutral', detail: 'failed, allowed to fail' })
    // A manual job allowed to fail is optional; one that is not (and a pipeline waiting on it) blocks.
    expect(gitlabState('manual', true)).toEqual({ state: 'neutral', detail: 'manual: start it in GitLab' })
    expect(gitlabState('manual').detail).toMatch(/blocked on a manual job/)
    expect(gitlabState('waiting_for_callback').detail).toMatch(/callback/)
  })

  it('computes the overall state: failed beats running beats pending beats unknown beats passed', () => {
    const o = (...s: CiCheckState[]) => overallState(s.map((state) => ({ state })))
    expect(o()).toBe('none')
    expect(o('passed', 'skipped', 'neutral')).toBe('passed')
    expect(o('passed', 'queued')).toBe('pending')
    expect(o('queued', 'running', 'passed')).toBe('running')
    expect(o('running', 'failed')).toBe('failed')
    expect(o('passed', 'cancelled')).toBe('failed')
    expect(o('skipped')).toBe('passed')
    expect(o('passed', 'unknown')).toBe('unknown')
    expect(o('unknown')).toBe('unknown')
    expect(o('unknown', 'queued')).toBe('pending')
    expect(o('unknown', 'failed')).toBe('failed')
  })

  it('tells when checks read better than the provider’s own verdict', () => {
    const s = (...states: CiCheckState[]) => states.map((state) => ({ state }))
    expect(readsBetterThan(s('passed'), 'failed')).toBe(true)
    expect(readsBetterThan(s('passed'), 'running')).toBe(true)
    expect(readsBetterThan(s('passed'), 'unknown')).toBe(true)
    expect(readsBetterThan(s('running'), 'failed')).toBe(true)
    expect(readsBetterThan(s(), 'passed')).toBe(true)
    expect(readsBetterThan(s('passed'), 'passed')).toBe(false)
    expect(readsBetterThan(s('queued'), 'running')).toBe(false)
    expect(readsBetterThan(s('failed'), 'passed')).toBe(false)
    expect(readsBetterThan(s('passed', 'neutral'), 'skipped')).toBe(false)
  })
})

describe('remote URLs and provider selection', () => {
  it('parses https, ssh, scp-like and git URLs', () => {
    expect(parseRemoteUrl('https://github.com/acme/widgets.git')).toEqual({ host: 'github.com', port: null, path: 'acme/widgets' })
    expect(parseRemoteUrl('https://user:pw@GitHub.com/acme/widgets')).toEqual({ host: 'github.com', port: null, path: 'acme/widgets' })
    expect(parseRemoteUrl('git@github.com:acme/widgets.git')).toEqual({ host: 'github.com', port: null, path: 'acme/widgets' })
    expect(parseRemoteUrl('ssh://git@gitlab.example.com:2222/group/sub/repo.git')).toEqual({
      host: 'gitlab.example.com',
      port: null,
      path: 'group/sub/repo'
    })
    expect(parseRemoteUrl('https://gitlab.example.com:8443/group/repo.git/')).toEqual({
      host: 'gitlab.example.com',
      port: '8443',
      path: 'group/repo'
    })
    expect(parseRemoteUrl('git://example.org/a/b.git')).toEqual({ host: 'example.org', port: null, path: 'a/b' })
    expect(parseRemoteUrl('/srv/git/repo.git')).toBeNull()
    expect(parseRemoteUrl('file:///srv/git/repo.git')).toBeNull()
    expect(parseRemoteUrl('C:/repos/x')).toBeNull()
    expect(parseRemoteUrl('https://github.com/justone')).toBeNull()
  })

  it('picks GitHub for github.com and GitLab for gitlab.com and hosts named gitlab', () => {
    const gh = resolveCiTarget('git@github.com:acme/widgets.git')
    expect(gh.ok && gh.value).toMatchObject({ provider: 'github', baseUrl: 'https://api.github.com', owner: 'acme', repo: 'widgets' })
    const gl = resolveCiTarget('https://gitlab.com/group/sub/repo.git')
    expect(gl.ok && gl.value).toMatchObject({ provider: 'gitlab', baseUrl: 'https://gitlab.com', path: 'group/sub/repo' })
    const self = resolveCiTarget('git@gitlab.corp.example:team/app.git')
    expect(self.ok && self.value).toMatchObject({ provider: 'gitlab', baseUrl: 'https://gitlab.corp.example' })
  })

  it('lets a per-repository override win, for GitHub Enterprise and self-hosted GitLab', () => {
    const ghe = resolveCiTarget('git@code.corp.example:acme/widgets.git', {
      provider: 'github',
      baseUrl: 'https://code.corp.example/api/v3/'
    })
    expect(ghe.ok && ghe.value).toMatchObject({
      provider: 'github',
      baseUrl: 'https://code.corp.example/api/v3',
      owner: 'acme',
      repo: 'widgets'
    })
    const gheDefault = resolveCiTarget('https://code.corp.example/acme/widgets', { provider: 'github' })
    expect(gheDefault.ok && gheDefault.value.baseUrl).toBe('https://code.corp.example/api/v3')
    const gl = resolveCiTarget('https://github.com/mirror/repo.git', { provider: 'gitlab', baseUrl: 'https://git.corp.example' })
    expect(gl.ok && gl.value).toMatchObject({ provider: 'gitlab', baseUrl: 'https://git.corp.example' })
  })

  it('explains when there is no provider', () => {
    for (const url of [null, '/srv/repo.git', 'https://bitbucket.org/a/b.git']) {
      const r = resolveCiTarget(url)
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.kind).toBe('no-provider')
        expect(r.error.message.length).toBeGreaterThan(30)
      }
    }
    const deep = resolveCiTarget('https://github.com/a/b/c')
    expect(deep.ok).toBe(false)
  })
})

describe('log segments', () => {
  it('renders gaps as omitted-line markers', () => {
    const text = renderLogSegments(
      [
        { startLine: 3, lines: ['c', 'd'] },
        { startLine: 9, lines: ['i'] }
      ],
      10
    )
    expect(text).toBe('… 2 lines omitted …\nc\nd\n… 4 lines omitted …\ni\n… 1 line omitted …')
    expect(renderLogSegments([{ startLine: 1, lines: ['a', 'b'] }], 2)).toBe('a\nb')
  })
})
