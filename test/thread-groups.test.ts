import { describe, expect, it } from 'vitest'
import type { Thread } from '../src/shared/models'
import {
  groupThreads,
  isArchived,
  liveInState,
  liveStateCounts,
  withThreads,
  withoutThreads,
  type GroupedThreads
} from '../src/renderer/state/thread-groups'
import { countByState, liveStates, threadStateOf } from '../src/shared/thread-state'

function thread(i: number, o: Partial<Thread> = {}): Thread {
  return {
    id: `t${i.toString(36).padStart(5, '0')}`,
    repoId: `r${i % 3}`,
    title: `Thread ${i}`,
    status: 'idle',
    archivedAt: null,
    createdAt: 1000 + i,
    lastActivityAt: 10_000 + ((i * 7919) % 500), // ties on purpose: the order falls back to createdAt, then id
    ...o
  } as Thread
}

const ids = (g: GroupedThreads) => ({
  live: [...g.live.entries()].map(([r, ts]) => [r, ts.map((t) => t.id)]).sort(),
  archived: [...g.archived.entries()].map(([r, ts]) => [r, ts.map((t) => t.id)]).sort(),
  liveOrder: g.liveOrder.map((t) => t.id),
  liveCount: g.liveCount,
  archivedCount: g.archivedCount
})

/** The live threads in the dashboard's order, sorted here from scratch. */
const liveSorted = (byId: Record<string, Thread>) =>
  Object.values(byId)
    .filter((t) => t.status !== 'archived' && t.archivedAt === null)
    .sort((a, b) => b.lastActivityAt - a.lastActivityAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
    .map((t) => t.id)

/** The per-state counts the groups keep, and those corrected for failed CI, against counting every live thread here. */
function expectStateCounts(groups: GroupedThreads, byId: Record<string, Thread>): void {
  const live = Object.values(byId).filter((t) => !isArchived(t))
  const ciFailed = new Set(live.filter((_, i) => i % 5 === 0).map((t) => t.id))
  for (const repoId of [null, 'r0', 'r1', 'r9']) {
    const mine = live.filter((t) => repoId === null || t.repoId === repoId)
    const plain = countByState(mine.map((t) => ({ status: t.status })))
    const withCi = countByState(mine.map((t) => ({ status: t.status, ciFailed: ciFailed.has(t.id) })))
    expect(liveStateCounts(groups.stateCounts.get(repoId ?? ''), new Set(), (id) => byId[id], repoId)).toEqual(plain)
    expect(liveStateCounts(groups.stateCounts.get(repoId ?? ''), ciFailed, (id) => byId[id], repoId)).toEqual(withCi)
    // The dashboard's list for each state: as a filter over every live thread in order would give it.
    for (const state of liveStates) {
      const expected = liveSorted(byId).filter((id) => {
        const t = byId[id]!
        return (repoId === null || t.repoId === repoId) && threadStateOf({ status: t.status, ciFailed: ciFailed.has(id) }).state === state
      })
      expect(liveInState(groups, state, ciFailed, (id) => byId[id], repoId).map((t) => t.id)).toEqual(expected)
    }
  }
  expect(withCiSomewhere(live, ciFailed)).toBe(true)
}

/** The check above means something only if some failed CI changes a state. */
const withCiSomewhere = (live: Thread[], ciFailed: Set<string>) => live.some((t) => ciFailed.has(t.id) && t.status === 'idle')

describe('thread groups kept incrementally', () => {
  it('match grouping from scratch after pages, updates that move threads, archiving and removals', () => {
    let seed = 7
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n)
    const byId: Record<string, Thread> = {}
    let groups = groupThreads({})
    const all = Array.from({ length: 600 }, (_, i) => thread(i, i % 10 === 9 ? { status: 'archived', archivedAt: 5 } : {}))
    // Pages arrive most recent first, as thread/list sends them.
    const sorted = [...all].sort((a, b) => b.lastActivityAt - a.lastActivityAt || b.createdAt - a.createdAt)
    for (let p = 0; p < sorted.length; p += 150) {
      const page = sorted.slice(p, p + 150)
      groups = withThreads(groups, byId, page)
      for (const t of page) byId[t.id] = t
    }
    expect(ids(groups)).toEqual(ids(groupThreads(byId)))
    for (let step = 0; step < 400; step++) {
      const t = all[random(all.length)]!
      const current = byId[t.id]
      if (random(10) === 0 && current) {
        groups = withoutThreads(groups, [current])
        delete byId[t.id]
      } else {
        const changed = {
          ...t,
          lastActivityAt: 10_000 + random(1000),
          repoId: random(20) === 0 ? 'r9' : t.repoId,
          status: random(4) === 0 ? ('archived' as const) : (['idle', 'running', 'error'] as const)[random(3)]!
        }
        groups = withThreads(groups, byId, [changed])
        byId[t.id] = changed
      }
      expect(ids(groups)).toEqual(ids(groupThreads(byId)))
      expect(ids(groups).liveOrder).toEqual(liveSorted(byId))
      if (step % 20 === 0) expectStateCounts(groups, byId)
    }
    expectStateCounts(groups, byId)
  })

  it('leaves the groups it was given untouched (the store hands out new ones)', () => {
    const a = thread(1)
    const before = groupThreads({ [a.id]: a })
    const list = before.live.get(a.repoId)!
    const after = withThreads(before, { [a.id]: a }, [{ ...a, lastActivityAt: 99_999 }, thread(4)])
    expect(before.live.get(a.repoId)).toBe(list)
    expect(list.map((t) => t.lastActivityAt)).toEqual([a.lastActivityAt])
    expect(after.live.get(a.repoId)!.map((t) => t.id)).toEqual([a.id, thread(4).id])
  })
})
