import { describe, expect, it } from 'vitest'
import { mergeBlocker } from '../src/renderer/features/pr/pr-format'
import type { PrStatus } from '../src/shared/pr'

const ready: PrStatus = {
  threadId: 't1',
  provider: 'github',
  number: 1,
  url: 'https://github.com/acme/shop/pull/1',
  title: 'Fix',
  state: 'open',
  base: 'main',
  head: 'skein/fix',
  headSha: 'a'.repeat(40),
  mergeability: 'mergeable',
  mergeabilityDetail: null,
  review: { decision: 'approved', approvedBy: ['octocat'], changesRequestedBy: [], requested: [] },
  labels: [],
  checks: { overall: 'passed', total: 2, passed: 2, failed: 0, running: 0, commit: 'a'.repeat(40) },
  problem: null,
  rateLimitedUntil: null,
  updatedAt: 0
}

describe('when the Merge button is offered', () => {
  it('only for an open, mergeable request whose checks passed and no reviewer asked for changes', () => {
    expect(mergeBlocker(ready)).toBeNull()
    expect(mergeBlocker({ ...ready, state: 'draft' })).toBe('It is a draft.')
    expect(mergeBlocker({ ...ready, mergeability: 'conflicts', mergeabilityDetail: 'conflicts with main' })).toMatch(/conflicts with main/)
    expect(mergeBlocker({ ...ready, checks: { ...ready.checks!, overall: 'failed' } })).toBe('Checks failed.')
    expect(mergeBlocker({ ...ready, checks: { ...ready.checks!, overall: 'running' } })).toBe('Checks have not passed yet.')
    expect(mergeBlocker({ ...ready, review: { ...ready.review, decision: 'changes-requested' } })).toBe('A reviewer asked for changes.')
  })
})
