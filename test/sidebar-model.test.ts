import { describe, expect, it } from 'vitest'
import type { Repo, Thread } from '../src/shared/models'
import { buildSidebarModel, liveThreadOrder, type RepoWindow, type SidebarRow } from '../src/renderer/features/sidebar/sidebar-rows'
import { groupThreads, isArchived } from '../src/renderer/state/thread-groups'

const repo = (i: number): Repo => ({ id: `r${i}`, name: `repo-${i}`, path: `/src/repo-${i}`, addedAt: i }) as Repo

function thread(i: number, repoId: string, archived: boolean): Thread {
  return {
    id: `t${String(i).padStart(4, '0')}`,
    repoId,
    title: `Thread ${i}`,
    status: archived ? 'archived' : 'idle',
    archivedAt: archived ? 5 : null,
    createdAt: 1000 + i,
    lastActivityAt: 10_000 + ((i * 7919) % 300)
  } as Thread
}

type WindowOf = (repoId: string, loaded: readonly Thread[]) => RepoWindow
/** Every loaded thread shows, and no more are counted. */
const whole: WindowOf = (_, loaded) => ({ shown: loaded.length, pending: 0, exact: true })

/**
 * The rows spelled out one by one, as the sidebar listed them before it had a model, with each repository's first
 * `shown` threads and then `pending` placeholders: the reference.
 */
function flatRows(
  repos: Repo[],
  threads: Thread[],
  collapsed: Set<string>,
  showArchived: boolean,
  archivedCount: number,
  windowOf: WindowOf = whole
): SidebarRow[] {
  const order = (a: Thread, b: Thread) => b.lastActivityAt - a.lastActivityAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1)
  const of = (repoId: string, archived: boolean) => threads.filter((t) => t.repoId === repoId && isArchived(t) === archived).sort(order)
  const rows: SidebarRow[] = []
  const known = new Set(repos.map((r) => r.id))
  for (const r of repos) {
    const live = of(r.id, false)
    const { shown, pending, exact } = windowOf(r.id, live)
    rows.push({ kind: 'repo', key: `r:${r.id}`, repo: r, liveCount: exact ? shown + pending : null, collapsed: collapsed.has(r.id) })
    if (collapsed.has(r.id)) continue
    if (shown + pending === 0) rows.push({ kind: 'empty', key: `e:${r.id}`, repo: r })
    for (const t of live.slice(0, shown)) rows.push({ kind: 'thread', key: `t:${t.id}`, thread: t, archived: false })
    for (let i = shown; i < shown + pending; i++) rows.push({ kind: 'placeholder', key: `p:${r.id}:${i}`, repoId: r.id, index: i })
  }
  for (const repoId of [...new Set(threads.filter((t) => !isArchived(t) && !known.has(t.repoId)).map((t) => t.repoId))]) {
    rows.push({ kind: 'archived-repo', key: `o:${repoId}`, name: 'Unknown repository' })
    for (const t of of(repoId, false)) rows.push({ kind: 'thread', key: `t:${t.id}`, thread: t, archived: false })
  }
  if (archivedCount === 0) return rows
  rows.push({ kind: 'archived-header', key: 'archived', count: archivedCount, open: showArchived })
  if (!showArchived) return rows
  const names = new Map(repos.map((r) => [r.id, r.name]))
  const repoIds = [...new Set(threads.filter(isArchived).map((t) => t.repoId))].sort((a, b) =>
    (names.get(a) ?? '\uffff').localeCompare(names.get(b) ?? '\uffff', undefined, { sensitivity: 'base', numeric: true })
  )
  for (const repoId of repoIds) {
    rows.push({ kind: 'archived-repo', key: `a:${repoId}`, name: names.get(repoId) ?? 'Unknown repository' })
    for (const t of of(repoId, true)) rows.push({ kind: 'thread', key: `t:${t.id}`, thread: t, archived: true })
  }
  return rows
}

/** posinset / setsize as the tree showed them: top-level rows among themselves, runs of threads among themselves. */
function flatPlacements(rows: SidebarRow[]): [number, number][] {
  const out: [number, number][] = rows.map(() => [0, 0])
  const top = rows.flatMap((r, i) => (r.kind === 'repo' || r.kind === 'archived-header' ? [i] : []))
  top.forEach((i, k) => (out[i] = [k + 1, top.length]))
  let run: number[] = []
  const flush = () => (run.forEach((i, k) => (out[i] = [k + 1, run.length])), (run = []))
  rows.forEach((r, i) => (r.kind === 'thread' || r.kind === 'placeholder' ? run.push(i) : flush()))
  flush()
  return out
}

describe('the sidebar model', () => {
  it('gives every row, index and placement the row-by-row list gave, folded or not, archived open or shut, loaded or not', () => {
    let seed = 11
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n)
    const repos = [repo(3), repo(1), repo(2), repo(4)]
    for (let round = 0; round < 40; round++) {
      // Repo r0 is unknown (its threads show under "Unknown repository"); r4 often has no live thread.
      const threads = Array.from({ length: random(120) }, (_, i) => thread(i, `r${random(5)}`, random(4) === 0))
      const byId = Object.fromEntries(threads.map((t) => [t.id, t]))
      const groups = groupThreads(byId)
      const collapsed = new Set(repos.filter(() => random(3) === 0).map((r) => r.id))
      const showArchived = random(2) === 0
      const archivedCount = groups.archivedCount
      // Half the rounds, each repository shows only a loaded prefix of its threads, with more counted by the core.
      const windows = new Map(repos.map((r) => [r.id, { cut: random(40), more: random(3) === 0 ? 0 : random(60) }]))
      const windowOf: WindowOf =
        round % 2 === 0
          ? whole
          : (repoId, loaded) => ({
              shown: Math.min(loaded.length, windows.get(repoId)!.cut),
              pending: windows.get(repoId)!.more,
              exact: windows.get(repoId)!.cut % 3 > 0
            })
      const model = buildSidebarModel(repos, groups, collapsed, showArchived, archivedCount, (id) => byId[id], windowOf)
      const rows = flatRows(repos, threads, collapsed, showArchived, archivedCount, windowOf)
      const placements = flatPlacements(rows)
      expect(model.count).toBe(rows.length)
      rows.forEach((row, i) => {
        expect(model.rowAt(i)).toEqual(row)
        expect(model.indexOf(row.key)).toBe(i)
        expect(model.placement(i)).toEqual(placements[i])
      })
      // A thread that is not shown (folded away, past its repository's loaded rows, or archived with the section
      // shut) has no index.
      for (const t of threads) if (!rows.some((r) => r.key === `t:${t.id}`)) expect(model.indexOf(`t:${t.id}`)).toBeUndefined()
      // Ctrl+Tab goes through the threads shown in known repositories, folded ones included, and knows where more wait.
      const unfolded = flatRows(repos, threads, new Set(), false, 0, windowOf).filter(
        (r) => r.kind === 'thread' && !r.archived && repos.some((x) => x.id === r.thread.repoId)
      )
      const order = liveThreadOrder(repos, groups, windowOf)
      expect(order.map((o) => o.thread.id)).toEqual(unfolded.map((r) => (r.kind === 'thread' ? r.thread.id : '')))
      const all = flatRows(repos, threads, new Set(), false, 0, windowOf)
      for (const { thread: t, moreAfter } of order) {
        const next = all[all.findIndex((r) => r.key === `t:${t.id}`) + 1]
        expect(moreAfter).toBe(next?.kind === 'placeholder')
      }
    }
  })

  it('keeps its shape while a thread moves within its repository, and changes it when a row is added or a repo folds', () => {
    const repos = [repo(1), repo(2)]
    const threads = Array.from({ length: 30 }, (_, i) => thread(i, `r${1 + (i % 2)}`, false))
    const byId = Object.fromEntries(threads.map((t) => [t.id, t]))
    const shapeOf = (collapsed: string[] = []) =>
      buildSidebarModel(repos, groupThreads(byId), new Set(collapsed), false, 0, (id) => byId[id], whole).shape
    const before = shapeOf()
    byId[threads[7]!.id] = { ...threads[7]!, lastActivityAt: 99_999, title: 'Moved to the top' }
    expect(shapeOf()).toBe(before)
    byId.t9999 = thread(9999, 'r1', false)
    expect(shapeOf()).not.toBe(before)
    expect(shapeOf(['r2'])).not.toBe(shapeOf())
  })
})
