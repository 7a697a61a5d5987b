import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CiStatus } from '../src/shared/ci'
import { ciTone, ciTooltip, formatDuration, problemTitle } from '../src/renderer/features/ci/ci-format'
import { useCi } from '../src/renderer/features/ci/ci-store'
import { putStatus } from '../src/renderer/features/ci/ci-sync'

const status = (threadId: string, overall: CiStatus['overall'], extra: Partial<CiStatus> = {}): CiStatus => ({
  threadId,
  overall,
  provider: 'github',
  commit: 'c0ffee1234567',
  checks: [],
  problem: null,
  rateLimitedUntil: null,
  updatedAt: 1,
  ...extra
})

afterEach(() => {
  vi.useRealTimers()
  useCi.setState({ byThread: {}, news: {} })
})

describe('the renderer CI store (sidebar dots for 10,000 threads)', () => {
  it('changes only the updated thread: every other row keeps the same status object and does not re-render', () => {
    useCi.getState().replaceAll(Array.from({ length: 10_000 }, (_, i) => status(`t${i}`, 'passed')))
    const before = useCi.getState().byThread
    const calls: string[] = []
    // A row's selector, as CiDot uses it: one key each.
    const rows = Array.from({ length: 50 }, (_, i) => `t${i}`)
    const last = new Map(rows.map((id) => [id, before[id]]))
    const unsubscribe = useCi.subscribe((s) => {
      for (const id of rows) {
        if (s.byThread[id] !== last.get(id)) {
          calls.push(id)
          last.set(id, s.byThread[id])
        }
      }
    })
    useCi.getState().putMany([status('t7', 'failed')])
    unsubscribe()
    expect(calls).toEqual(['t7'])
    expect(useCi.getState().byThread.t8).toBe(before.t8)
    expect(Object.keys(useCi.getState().byThread)).toHaveLength(10_000)
  })

  it('lands a burst of ci/updated as one store update', () => {
    vi.useFakeTimers()
    let updates = 0
    const unsubscribe = useCi.subscribe(() => void updates++)
    for (let i = 0; i < 2000; i++) putStatus(status(`t${i}`, i % 2 ? 'failed' : 'running'))
    putStatus(status('t0', 'passed'))
    expect(updates).toBe(0)
    vi.advanceTimersByTime(20)
    unsubscribe()
    expect(updates).toBe(1)
    expect(useCi.getState().byThread.t0.overall).toBe('passed')
    expect(useCi.getState().byThread.t1999.overall).toBe('failed')
  })

  it('keeps the failure news per thread until cleared, and forgets removed threads', () => {
    useCi.getState().replaceAll([status('a', 'failed')])
    useCi.getState().markNews('a')
    const once = useCi.getState()
    useCi.getState().markNews('a')
    expect(useCi.getState()).toBe(once) // no change, no re-render
    useCi.getState().forgetThread('a')
    expect(useCi.getState().byThread.a).toBeUndefined()
    expect(useCi.getState().news.a).toBeUndefined()
  })
})

describe('CI words', () => {
  it('says what a dot means', () => {
    const failing = status('x', 'failed', {
      checks: [
        {
          id: '1',
          name: 'test',
          provider: 'github',
          state: 'failed',
          startedAt: null,
          completedAt: null,
          durationMs: null,
          url: null,
          hasLog: true
        },
        {
          id: '2',
          name: 'lint',
          provider: 'github',
          state: 'passed',
          startedAt: null,
          completedAt: null,
          durationMs: null,
          url: null,
          hasLog: true
        }
      ]
    })
    expect(ciTooltip(failing)).toBe('CI failed: test on c0ffee1')
    expect(ciTone(status('x', 'none', { problem: { kind: 'no-token', message: 'm' } }))).toBe('problem')
    expect(ciTone(status('x', 'none', { problem: { kind: 'not-pushed', message: 'm' } }))).toBe('none')
    expect(ciTooltip(status('x', 'none', { problem: { kind: 'forbidden', message: 'm' } }))).toBe('CI: Access refused')
  })

  it('formats durations and rate limits', () => {
    expect(formatDuration(4_200)).toBe('4s')
    expect(formatDuration(95_000)).toBe('1m 35s')
    expect(formatDuration(2 * 3600_000 + 3 * 60_000)).toBe('2h 03m')
    const until = new Date(2025, 0, 1, 14, 5).getTime()
    expect(problemTitle({ kind: 'rate-limited', message: '', until })).toBe('Rate-limited until 14:05')
  })
})
