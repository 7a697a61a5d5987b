import type { Repo, Thread } from '../../../shared/models'
import { firstAtOrAfter } from '../../../shared/thread-order'
import type { GroupedThreads } from '../../state/threads-store'

/** One line of the virtualized sidebar: everything reads as a single list. */
export type SidebarRow =
  /** `liveCount` is null while it is not known yet (a moment after connecting). */
  | { kind: 'repo'; key: string; repo: Repo; liveCount: number | null; collapsed: boolean }
  | { kind: 'thread'; key: string; thread: Thread; archived: boolean }
  /** A live thread the core counts whose row is not loaded yet: `index` is its place in its repository's list. */
  | { kind: 'placeholder'; key: string; repoId: string; index: number }
  | { kind: 'empty'; key: string; repo: Repo }
  | { kind: 'archived-header'; key: string; count: number; open: boolean }
  | { kind: 'archived-repo'; key: string; name: string }

/** Pixel height of each kind of row (fixed, so the virtualizer never has to measure). */
export const rowHeight: Record<SidebarRow['kind'], number> = {
  repo: 30,
  thread: 30,
  placeholder: 30,
  empty: 30,
  'archived-header': 40,
  'archived-repo': 26
}

/**
 * A run of rows: one row of its own, or a repository's threads (a list the groups keep sorted): the first `shown`
 * of them, then `pending` placeholders for the threads not loaded yet.
 */
type Segment =
  | { start: number; row: SidebarRow }
  | { start: number; threads: Thread[]; shown: number; pending: number; archived: boolean; repoId: string }

/**
 * How much of a repository's live list the sidebar shows: its first `shown` loaded threads, then `pending`
 * placeholders; `exact` when the two make up its whole list.
 */
export interface RepoWindow {
  shown: number
  pending: number
  exact: boolean
}

/**
 * The sidebar's rows without building them: each repository, its live threads, then the Archived section grouped
 * by repository, as a few segments over the sorted lists the groups keep. A row is made when it is asked for, so a
 * change costs the number of repositories, not the number of threads (every row at 100,000 threads took ~30 ms).
 */
export interface SidebarModel {
  /** How many rows there are. */
  count: number
  /** The row at `index` (0 ≤ index < count). */
  rowAt(index: number): SidebarRow
  /** Where the row with `key` is, if it is shown. */
  indexOf(key: string): number | undefined
  /** aria-posinset / aria-setsize: top-level rows among themselves, threads within their group; [0, 0] for the rest. */
  placement(index: number): [number, number]
  /** Changes exactly when a row's kind at some index may have changed (what the virtualizer's sizes depend on). */
  shape: string
}

/**
 * The model of each repo and its live threads, then the Archived section grouped by repo. `windowOf` says how
 * much of a repository's live list is loaded (the rest are placeholders until their pages come); the Archived
 * header shows `archivedCount` (the core's count: its rows load only once the section is open). `threadOf` finds a
 * loaded thread by id.
 */
export function buildSidebarModel(
  repos: Repo[],
  groups: GroupedThreads,
  collapsed: ReadonlySet<string>,
  showArchived: boolean,
  archivedCount: number,
  threadOf: (id: string) => Thread | undefined,
  windowOf: (repoId: string, loaded: readonly Thread[]) => RepoWindow
): SidebarModel {
  const segments: Segment[] = []
  const topLevel: number[] = []
  const groupOf = new Map<string, number>() // "live:<repo>" / "archived:<repo>" → segment index
  const singles = new Map<string, number>() // row key → index
  let count = 0
  const single = (row: SidebarRow) => {
    if (row.kind === 'repo' || row.kind === 'archived-header') topLevel.push(count)
    singles.set(row.key, count)
    segments.push({ start: count++, row })
  }
  const run = (
    threads: Thread[],
    archived: boolean,
    repoId: string,
    { shown, pending }: RepoWindow = { shown: threads.length, pending: 0, exact: true }
  ) => {
    if (shown + pending === 0) return
    groupOf.set(`${archived ? 'archived' : 'live'}:${repoId}`, segments.length)
    segments.push({ start: count, threads, shown, pending, archived, repoId })
    count += shown + pending
  }
  const known = new Set(repos.map((r) => r.id))
  for (const repo of repos) {
    const threads = groups.live.get(repo.id) ?? []
    const window = windowOf(repo.id, threads)
    const isCollapsed = collapsed.has(repo.id)
    single({
      kind: 'repo',
      key: `r:${repo.id}`,
      repo,
      liveCount: window.exact ? window.shown + window.pending : null,
      collapsed: isCollapsed
    })
    if (isCollapsed) continue
    if (window.shown + window.pending === 0) single({ kind: 'empty', key: `e:${repo.id}`, repo })
    run(threads, false, repo.id, window)
  }
  for (const [repoId, threads] of groups.live) {
    if (known.has(repoId)) continue
    single({ kind: 'archived-repo', key: `o:${repoId}`, name: 'Unknown repository' })
    run(threads, false, repoId)
  }
  if (archivedCount > 0) {
    single({ kind: 'archived-header', key: 'archived', count: archivedCount, open: showArchived })
    if (showArchived) {
      const names = new Map(repos.map((r) => [r.id, r.name]))
      const archivedGroups = [...groups.archived.entries()].sort(([a], [b]) =>
        (names.get(a) ?? '\uffff').localeCompare(names.get(b) ?? '\uffff', undefined, { sensitivity: 'base', numeric: true })
      )
      for (const [repoId, threads] of archivedGroups) {
        single({ kind: 'archived-repo', key: `a:${repoId}`, name: names.get(repoId) ?? 'Unknown repository' })
        run(threads, true, repoId)
      }
    }
  }

  const segmentAt = (index: number): number => {
    let lo = 0
    let hi = segments.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (segments[mid]!.start <= index) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  const rowAt = (index: number): SidebarRow => {
    const s = segments[segmentAt(index)]!
    if ('row' in s) return s.row
    const at = index - s.start
    if (at >= s.shown) return { kind: 'placeholder', key: `p:${s.repoId}:${at}`, repoId: s.repoId, index: at }
    const thread = s.threads[at]!
    return { kind: 'thread', key: `t:${thread.id}`, thread, archived: s.archived }
  }
  const indexOf = (key: string): number | undefined => {
    const at = singles.get(key)
    if (at !== undefined) return at
    if (key.startsWith('p:')) {
      const cut = key.lastIndexOf(':')
      const seg = groupOf.get(`live:${key.slice(2, cut)}`)
      const s = seg === undefined ? undefined : (segments[seg] as Extract<Segment, { threads: Thread[] }>)
      const i = Number(key.slice(cut + 1))
      return s && i >= s.shown && i < s.shown + s.pending ? s.start + i : undefined
    }
    if (!key.startsWith('t:')) return undefined
    const thread = threadOf(key.slice(2))
    if (!thread) return undefined
    for (const archived of [false, true]) {
      const seg = groupOf.get(`${archived ? 'archived' : 'live'}:${thread.repoId}`)
      if (seg === undefined) continue
      const s = segments[seg] as Extract<Segment, { threads: Thread[] }>
      let i = firstAtOrAfter(s.threads, thread)
      if (s.threads[i]?.id !== thread.id) i = s.threads.findIndex((t) => t.id === thread.id)
      if (i >= 0 && i < s.shown) return s.start + i
    }
    return undefined
  }
  const placement = (index: number): [number, number] => {
    const s = segments[segmentAt(index)]!
    if ('threads' in s) return [index - s.start + 1, s.shown + s.pending]
    const top = topLevel.indexOf(index)
    return top < 0 ? [0, 0] : [top + 1, topLevel.length]
  }
  const shape = segments.map((s) => ('row' in s ? s.row.kind : `${s.shown}+${s.pending}`)).join(',')
  return { count, rowAt, indexOf, placement, shape }
}

/**
 * The live threads the sidebar shows, in its order, including those in collapsed repositories (for Ctrl+Tab),
 * each with whether more of its repository's threads follow it unloaded.
 */
export function liveThreadOrder(
  repos: Repo[],
  groups: GroupedThreads,
  windowOf: (repoId: string, loaded: readonly Thread[]) => RepoWindow
): Array<{ thread: Thread; moreAfter: boolean }> {
  const order: Array<{ thread: Thread; moreAfter: boolean }> = []
  for (const repo of repos) {
    const threads = groups.live.get(repo.id) ?? []
    const { shown, pending } = windowOf(repo.id, threads)
    for (let i = 0; i < shown; i++) order.push({ thread: threads[i]!, moreAfter: i === shown - 1 && pending > 0 })
  }
  return order
}
