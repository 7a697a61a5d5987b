import { afterEach, describe, expect, it } from 'vitest'
import type { CiStatus } from '../src/shared/ci'
import type { BranchCommit } from '../src/main/core/git/branch-commits'
import { GitRunner } from '../src/main/core/git/git-runner'
import { prBaseBranch } from '../src/main/core/git/pr-base-branch'
import { githubMergeability } from '../src/main/core/pr/github-pulls'
import { gitlabMergeability } from '../src/main/core/pr/gitlab-merge-requests'
import { draftBody, draftTitle, firstPrompt, lastSummary } from '../src/main/core/pr/pr-draft'
import { checksFromCi } from '../src/main/core/pr/pr-status'
import { reviewDecision } from '../src/main/core/pr/review-decision'
import type { Item } from '../src/shared/models'
import { cleanupTemp, git, makeRepo } from './helpers/fixtures'

afterEach(cleanupTemp)

const commit = (n: number): BranchCommit => ({
  sha: `${n}`.padStart(40, 'a'),
  short: `${n}`.padStart(7, 'a'),
  subject: `Step ${n}`,
  author: 'P',
  time: n,
  parents: []
})

describe('pull request parts', () => {
  it("adds up GitHub reviews as GitHub does: each reviewer's latest verdict, comments aside, a change request first", () => {
    const r = (by: string, state: string) => ({ by, state })
    expect(reviewDecision([], [])).toEqual({ decision: 'none', approvedBy: [], changesRequestedBy: [] })
    expect(reviewDecision([], ['ann']).decision).toBe('review-required')
    expect(reviewDecision([r('ann', 'CHANGES_REQUESTED'), r('ann', 'COMMENTED')], []).decision).toBe('changes-requested')
    expect(reviewDecision([r('ann', 'CHANGES_REQUESTED'), r('ann', 'APPROVED'), r('bo', 'APPROVED')], [])).toEqual({
      decision: 'approved',
      approvedBy: ['ann', 'bo'],
      changesRequestedBy: []
    })
    expect(reviewDecision([r('ann', 'APPROVED'), r('bo', 'CHANGES_REQUESTED')], []).decision).toBe('changes-requested')
    expect(reviewDecision([r('ann', 'APPROVED'), r('ann', 'DISMISSED')], ['bo']).decision).toBe('review-required')
    expect(reviewDecision([r('ann', 'PENDING')], []).decision).toBe('none')
  })

  it("maps every mergeability word of both services; one it does not know is never 'mergeable'", () => {
    const gh = (mergeable: boolean | null, mergeable_state: string | null) =>
      githubMergeability({ mergeable, mergeable_state }).mergeability
    expect([gh(true, 'clean'), gh(true, 'has_hooks'), gh(true, 'unstable')]).toEqual(['mergeable', 'mergeable', 'mergeable'])
    expect([gh(false, 'dirty'), gh(true, 'behind'), gh(true, 'blocked'), gh(true, 'draft')]).toEqual([
      'conflicts',
      'behind',
      'blocked',
      'blocked'
    ])
    expect([gh(null, null), gh(null, 'unknown'), gh(false, 'unknown'), gh(true, 'something-new')]).toEqual([
      'checking',
      'checking',
      'conflicts',
      'checking'
    ])
    const gl = (detailed_merge_status: string | null, merge_status: string | null = null, has_conflicts = false) =>
      gitlabMergeability({ detailed_merge_status, merge_status, has_conflicts })
    expect(gl('mergeable').mergeability).toBe('mergeable')
    for (const s of ['checking', 'unchecked', 'preparing', 'approvals_syncing']) expect(gl(s).mergeability).toBe('checking')
    expect(gl('conflict').mergeability).toBe('conflicts')
    expect(gl('need_rebase').mergeability).toBe('behind')
    expect(gl('not_approved')).toEqual({ mergeability: 'blocked', detail: 'approvals are missing' })
    expect(gl('ci_must_pass')).toEqual({ mergeability: 'blocked', detail: 'the pipeline must pass' })
    expect(gl('a_new_reason')).toEqual({ mergeability: 'blocked', detail: 'a new reason' })
    expect(gl(null, 'can_be_merged').mergeability).toBe('mergeable')
    expect(gl(null, 'cannot_be_merged').mergeability).toBe('conflicts')
    expect(gl(null, null, true).mergeability).toBe('conflicts')
    expect(gl(null, null).mergeability).toBe('unknown')
  })

  it('counts checks from CI without local runs, and never reads passed with a check it does not know', () => {
    const status = (states: string[], local = false): CiStatus => ({
      threadId: 't',
      overall: 'none',
      provider: 'github',
      commit: 'abc',
      checks: states.map((state, i) => ({
        id: `c${i}`,
        name: `c${i}`,
        provider: local ? 'local' : 'github',
        state: state as 'passed',
        startedAt: null,
        completedAt: null,
        durationMs: null,
        url: null,
        hasLog: false
      })),
      problem: null,
      rateLimitedUntil: null,
      updatedAt: 0
    })
    expect(checksFromCi(undefined)).toBeNull()
    expect(checksFromCi(status(['failed'], true))).toBeNull()
    expect(checksFromCi(status(['passed', 'skipped', 'neutral']))).toMatchObject({ overall: 'passed', passed: 3, total: 3 })
    expect(checksFromCi(status(['passed', 'queued']))).toMatchObject({ overall: 'pending', running: 1 })
    expect(checksFromCi(status(['passed', 'running', 'cancelled']))).toMatchObject({ overall: 'failed', failed: 1 })
    expect(checksFromCi(status(['passed', 'unknown']))?.overall).toBe('pending')
  })

  it('drafts a title and a Markdown body from the prompt, the summary and the commits, oldest first', () => {
    const items = [
      { id: '1', threadId: 't', turnId: 'a', kind: 'user', status: 'completed', createdAt: 1, text: 'Old prompt', rewound: true },
      { id: '2', threadId: 't', turnId: 'b', kind: 'user', status: 'completed', createdAt: 2, text: 'Make search fast.\n\nIt takes 3 s.' },
      { id: '3', threadId: 't', turnId: 'b', kind: 'assistant', status: 'completed', createdAt: 3, text: 'Added an index.' },
      { id: '4', threadId: 't', turnId: 'b', kind: 'assistant', status: 'interrupted', createdAt: 4, text: 'Half a thought' }
    ] as Item[]
    expect(firstPrompt(items)).toBe('Make search fast.\n\nIt takes 3 s.')
    expect(lastSummary(items)).toBe('Added an index.')
    expect(draftTitle({ title: '', branch: 'skein/x' }, firstPrompt(items), [])).toBe('Make search fast')
    expect(draftTitle({ title: '', branch: 'skein/x' }, null, [commit(2), commit(1)])).toBe('Step 2')
    expect(draftTitle({ title: ' ', branch: 'skein/x' }, null, [])).toBe('skein/x')
    const body = draftBody({
      thread: { title: 'Search <fast>' },
      prompt: firstPrompt(items),
      summary: lastSummary(items),
      commits: Array.from({ length: 60 }, (_, i) => commit(60 - i)),
      moreCommits: 5
    })
    expect(body.startsWith('## Task\n\n> Make search fast.\n>\n> It takes 3 s.\n\n## Summary\n\nAdded an index.\n\n## Commits\n\n')).toBe(
      true
    )
    expect(body).toContain('- …and 15 earlier commits\n- aaaaa11 Step 11\n')
    expect(body).toContain('- aaaaa60 Step 60\n\n<sub>Opened from the Skein thread “Search fast”.</sub>')
    expect(draftBody({ thread: { title: 'T' }, prompt: null, summary: null, commits: [], moreCommits: 0 })).toBe(
      '<sub>Opened from the Skein thread “T”.</sub>'
    )
  })

  it('takes the base branch from the thread base ref, local or remote-tracking; a commit gives the remote default branch', async () => {
    const repo = makeRepo()
    const g = new GitRunner()
    git(repo, 'branch', 'release')
    git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/x.git')
    git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD')
    git(repo, 'update-ref', 'refs/remotes/origin/stable', 'HEAD')
    expect(await prBaseBranch(g, repo, 'main')).toBe('main')
    expect(await prBaseBranch(g, repo, 'refs/heads/release')).toBe('release')
    expect(await prBaseBranch(g, repo, 'origin/stable')).toBe('stable')
    expect(await prBaseBranch(g, repo, 'refs/remotes/origin/stable')).toBe('stable')
    const sha = git(repo, 'rev-parse', 'HEAD')
    expect(await prBaseBranch(g, repo, sha)).toBeNull()
    git(repo, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/stable')
    expect(await prBaseBranch(g, repo, sha)).toBe('stable')
    expect(await prBaseBranch(g, repo, 'HEAD')).toBe('stable')
  })
})
