import { describe, expect, it } from 'vitest'
import { PollSchedule, shouldPoll, type PollObservation } from '../src/main/core/ci/backoff'
import { ManualClock } from '../src/main/core/ci/clock'
import type { CiCheckState } from '../src/shared/ci'

const obs = (states: CiCheckState[], changed: boolean, extra: Partial<PollObservation> = {}): PollObservation => ({
  checks: states.map((state) => ({ state })),
  changed,
  rateLimitedUntil: null,
  visible: true,
  ...extra
})

describe('poll schedule', () => {
  it('starts at 10 s while checks run, doubles while nothing changes, caps at 5 min', () => {
    const s = new PollSchedule()
    const delays = [obs(['running'], true), ...Array.from({ length: 7 }, () => obs(['running'], false))].map((o) => s.next(o, 0))
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000])
  })

  it('starts over on a change', () => {
    const s = new PollSchedule()
    s.next(obs(['queued'], false), 0)
    s.next(obs(['queued'], false), 0)
    expect(s.interval).toBe(40_000)
    expect(s.next(obs(['running'], true), 0)).toBe(10_000)
    expect(s.next(obs(['running'], false), 0)).toBe(20_000)
  })

  it('waits the cap once every check has finished, and refreshNow starts over', () => {
    const s = new PollSchedule()
    expect(s.next(obs(['passed', 'failed'], true), 0)).toBe(300_000)
    expect(s.next(obs(['passed', 'failed'], false), 0)).toBe(300_000)
    s.refreshNow()
    expect(s.interval).toBe(10_000)
    // Right after a push the new checks have not appeared yet: back off from the short interval.
    expect(s.next(obs([], true), 0)).toBe(10_000)
    expect(s.next(obs([], false), 0)).toBe(20_000)
    expect(s.next(obs(['queued'], true), 0)).toBe(10_000)
  })

  it('polls a hidden thread no more often than once a minute', () => {
    const s = new PollSchedule()
    expect(s.next(obs(['running'], true, { visible: false }), 0)).toBe(60_000)
    expect(s.next(obs(['running'], false, { visible: false }), 0)).toBe(60_000)
    expect(s.next(obs(['running'], false, { visible: false }), 0)).toBe(60_000)
    expect(s.next(obs(['running'], false, { visible: false }), 0)).toBe(80_000)
  })

  it('waits past a rate limit reset, with a margin, and ignores one already over', () => {
    const s = new PollSchedule()
    const now = 1_000_000
    expect(s.next(obs(['running'], true, { rateLimitedUntil: now + 120_000 }), now)).toBe(121_000)
    expect(s.next(obs(['running'], false, { rateLimitedUntil: now - 5 }), now)).toBe(20_000)
    expect(s.next(obs(['running'], false, { rateLimitedUntil: now + 1000 }), now)).toBe(40_000)
  })

  it('takes custom intervals', () => {
    const s = new PollSchedule({ minMs: 1000, maxMs: 5000, factor: 3, hiddenMinMs: 0 })
    expect([true, false, false, false].map((c) => s.next(obs(['running'], c), 0))).toEqual([1000, 3000, 5000, 5000])
  })

  it('never polls archived threads, threads without a pushed branch, or without a provider', () => {
    expect(shouldPoll({ archived: false, pushed: true, hasProvider: true })).toBe(true)
    expect(shouldPoll({ archived: true, pushed: true, hasProvider: true })).toBe(false)
    expect(shouldPoll({ archived: false, pushed: false, hasProvider: true })).toBe(false)
    expect(shouldPoll({ archived: false, pushed: true, hasProvider: false })).toBe(false)
  })
})

describe('manual clock', () => {
  it('fires timers in time order as it advances, and not cleared ones', () => {
    const c = new ManualClock(100)
    const fired: string[] = []
    c.setTimeout(() => fired.push(`b@${c.now()}`), 50)
    const a = c.setTimeout(() => fired.push('cleared'), 10)
    c.setTimeout(() => {
      fired.push(`a@${c.now()}`)
      c.setTimeout(() => fired.push(`nested@${c.now()}`), 5)
    }, 20)
    c.clearTimeout(a)
    c.advance(30)
    expect(fired).toEqual(['a@120', 'nested@125'])
    expect(c.now()).toBe(130)
    expect(c.fireNext()).toBe(true)
    expect(fired.at(-1)).toBe('b@150')
    expect(c.fireNext()).toBe(false)
  })
})
