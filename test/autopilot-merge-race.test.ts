// The autopilot's merge state when the request merges while Skein is still turning the service's auto-merge on:
// the PR service stops polling a merged request, so the merged update that came meanwhile must not be lost.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AutopilotService } from '../src/main/core/autopilot/autopilot-service'
import { AutopilotStore } from '../src/main/core/autopilot/autopilot-store'
import type { MergeWhenGreen } from '../src/main/core/autopilot/merge-when-green'
import { GitRunner } from '../src/main/core/git/git-runner'
import { memoryLogger } from '../src/main/core/logger'
import { NotificationBus } from '../src/main/core/notification-bus'
import type { CiStatus } from '../src/shared/ci'
import type { Thread } from '../src/shared/models'
import type { PrStatus } from '../src/shared/pr'
import { ok } from '../src/shared/result'
import { cleanupTemp, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(() => cleanupTemp())

const SHA = 'b'.repeat(40)
const thread = { id: 't1', title: 'Fix', mode: 'worktree', branch: 'skein/fix', status: 'idle' } as Thread
const green: CiStatus = {
  threadId: 't1',
  overall: 'passed',
  provider: 'github',
  commit: SHA,
  checks: [
    {
      id: 'gh-run:1',
      name: 'test',
      provider: 'github',
      state: 'passed',
      startedAt: 1,
      completedAt: 2,
      durationMs: 1,
      url: null,
      hasLog: false
    }
  ],
  problem: null,
  rateLimitedUntil: null,
  updatedAt: 1
}
const pr = (state: PrStatus['state'], autoMerge: PrStatus['autoMerge']): PrStatus => ({
  threadId: 't1',
  provider: 'github',
  number: 7,
  url: 'https://github.com/acme/shop/pull/7',
  title: 'Fix',
  state,
  base: 'main',
  head: 'skein/fix',
  headSha: SHA,
  mergeability: 'blocked',
  mergeabilityDetail: null,
  review: { decision: 'review-required', approvedBy: [], changesRequestedBy: [], requested: [] },
  labels: [],
  checks: null,
  autoMerge,
  problem: null,
  rateLimitedUntil: null,
  updatedAt: Date.now()
})

async function service(merge: MergeWhenGreen, bus: NotificationBus) {
  const store = await AutopilotStore.open(join(tempDir('skein-autopilot-'), 'autopilot.json'), memoryLogger())
  return new AutopilotService({
    bus,
    store,
    logger: memoryLogger(),
    git: new GitRunner(),
    thread: (id) => (id === thread.id ? thread : undefined),
    ci: { status: () => green, failureMessage: async () => ok(''), pushed: async () => {} },
    deliver: async () => {
      throw new Error('no attempt runs in these tests: CI is green')
    },
    merge
  })
}

describe('auto-merge that completes while it is being turned on', () => {
  it('reads merged when GitHub merged the request before Skein recorded auto-merge as on', async () => {
    const bus = new NotificationBus()
    // GitHub merges at once (its requirements were met a moment later), and the PR service says so, before the answer comes back.
    const merge: MergeWhenGreen = {
      async enable() {
        bus.publish('pr/updated', { threadId: 't1', status: pr('merged', null) })
        return ok({ state: 'scheduled', message: 'Auto-merge on: GitHub merges pull request #7 when its requirements are met.' })
      }
    }
    const s = await service(merge, bus)
    must(await s.configure('t1', { enabled: true, autoMerge: true }))
    await eventually(() => must(s.get('t1')).merge?.state === 'merged', 'the merge to read merged')
    expect(must(s.get('t1')).merge).toMatchObject({
      sha: SHA,
      state: 'merged',
      message: expect.stringContaining("GitHub's auto-merge merged")
    })
    await s.close()
  })

  it('stays scheduled when the request announced meanwhile is still open with auto-merge on', async () => {
    const bus = new NotificationBus()
    const merge: MergeWhenGreen = {
      async enable() {
        bus.publish('pr/updated', { threadId: 't1', status: pr('open', { method: 'squash', enabledBy: 'octocat' }) })
        return ok({ state: 'scheduled', message: 'Auto-merge on.' })
      }
    }
    const s = await service(merge, bus)
    must(await s.configure('t1', { enabled: true, autoMerge: true }))
    await eventually(() => must(s.get('t1')).merge?.state === 'scheduled', 'auto-merge to be recorded as on')
    // Later the request merges: the update moves it on.
    bus.publish('pr/updated', { threadId: 't1', status: pr('merged', null) })
    expect(must(s.get('t1')).merge?.state).toBe('merged')
    await s.close()
  })
})
