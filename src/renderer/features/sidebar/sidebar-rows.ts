import type { Repo, Thread } from '../../../shared/models'
import type { GroupedThreads } from '../../state/threads-store'

/** One line of the virtualized sidebar: everything is flattened into a single list. */
export type SidebarRow =
  | { kind: 'repo'; key: string; repo: Repo; liveCount: number; collapsed: boolean }
  | { kind: 'thread'; key: string; thread: Thread; archived: boolean }
  | { kind: 'empty'; key: string; repo: Repo }
  | { kind: 'archived-header'; key: string; count: number; open: boolean }
  | { kind: 'archived-repo'; key: string; name: string }

/** Pixel height of each kind of row (fixed, so the virtualizer never has to measure). */
export const rowHeight: Record<SidebarRow['kind'], number> = {
  repo: 30,
  thread: 30,
  empty: 30,
  'archived-header': 40,
  'archived-repo': 26
}

/**
 * Builds the flat row list: each repo, its live threads, then the Archived section grouped by repo. The Archived
 * header shows `archivedCount` (the core's count: its rows load only once the section is open).
 */
export function buildSidebarRows(
  repos: Repo[],
  groups: GroupedThreads,
  collapsed: ReadonlySet<string>,
  showArchived: boolean,
  archivedCount = groups.archivedCount
): SidebarRow[] {
  const rows: SidebarRow[] = []
  const known = new Set(repos.map((r) => r.id))
  for (const repo of repos) {
    const threads = groups.live.get(repo.id) ?? []
    const isCollapsed = collapsed.has(repo.id)
    rows.push({ kind: 'repo', key: `r:${repo.id}`, repo, liveCount: threads.length, collapsed: isCollapsed })
    if (isCollapsed) continue
    if (threads.length === 0) rows.push({ kind: 'empty', key: `e:${repo.id}`, repo })
    for (const thread of threads) rows.push({ kind: 'thread', key: `t:${thread.id}`, thread, archived: false })
  }
  const orphans = [...groups.live.entries()].filter(([repoId]) => !known.has(repoId))
  for (const [repoId, threads] of orphans) {
    rows.push({ kind: 'archived-repo', key: `o:${repoId}`, name: 'Unknown repository' })
    for (const thread of threads) rows.push({ kind: 'thread', key: `t:${thread.id}`, thread, archived: false })
  }
  if (archivedCount === 0) return rows
  rows.push({ kind: 'archived-header', key: 'archived', count: archivedCount, open: showArchived })
  if (!showArchived) return rows
  const names = new Map(repos.map((r) => [r.id, r.name]))
  const archivedGroups = [...groups.archived.entries()].sort(([a], [b]) =>
    (names.get(a) ?? '\uffff').localeCompare(names.get(b) ?? '\uffff', undefined, { sensitivity: 'base', numeric: true })
  )
  for (const [repoId, threads] of archivedGroups) {
    rows.push({ kind: 'archived-repo', key: `a:${repoId}`, name: names.get(repoId) ?? 'Unknown repository' })
    for (const thread of threads) rows.push({ kind: 'thread', key: `t:${thread.id}`, thread, archived: true })
  }
  return rows
}

/** Live threads in sidebar order, including those in collapsed repositories (for Ctrl+Tab). */
export function liveThreadOrder(repos: Repo[], groups: GroupedThreads): Thread[] {
  const order: Thread[] = []
  for (const repo of repos) order.push(...(groups.live.get(repo.id) ?? []))
  return order
}
