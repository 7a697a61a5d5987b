import { appError, ErrorCode } from '../../../shared/errors'
import type { Repo, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { parseThreadCursor, threadCursor, type ThreadPosition } from '../../../shared/thread-order'
import { emptyCounts, stateOfThread as stateOf, type ThreadState } from '../../../shared/thread-state'
import { ActivityOrder } from '../store/activity-order'
import type { ThreadStore } from '../store/thread-store'

export { byRecentActivity } from '../../../shared/thread-order'

/** One page of threads, most recently active first. */
export interface ThreadPage {
  threads: Thread[]
  next: string | null
  previous: string | null
  total: number
}

/** What `thread/list` asks for. */
export interface ThreadPageQuery {
  repoId?: string
  includeArchived?: boolean
  archived?: 'exclude' | 'include' | 'only'
  states?: ThreadState[]
  limit?: number
  cursor?: string
  before?: string
  anchor?: { threadId: string }
  /** Only the threads forked from this one (archived ones too unless `archived` says otherwise). */
  forkedFrom?: string
}

/** Which threads a list takes by archive state: `archived`, else `includeArchived`; a list of forks takes both. */
export function archivedFilter(p: Pick<ThreadPageQuery, 'archived' | 'includeArchived' | 'forkedFrom'>): 'exclude' | 'include' | 'only' {
  return p.archived ?? (p.includeArchived || p.forkedFrom !== undefined ? 'include' : 'exclude')
}

/** What a page walks: the store's activity order, or one thread's forks put in that order. */
type Walk = Pick<ThreadStore, 'byActivity'>

/** One thread's forks in activity order (a thread has few: sorted per request). */
function forksWalk(store: ThreadStore, parentId: string): Walk {
  const order = new ActivityOrder()
  order.fill(store.forksOf(parentId))
  return { byActivity: (after = null, backward = false) => (backward ? order.before(after) : order.from(after)) }
}

/** Whether a thread's latest CI run failed (the CI service knows; pages only ask). */
export type CiFailed = (threadId: string) => boolean

/** The repositories a page may list (an unknown one's threads are never listed). */
type Repos = { get(id: string): Result<Repo> }

/** A thread's derived state, as the window shows it. */
export const stateOfThread = (t: Thread, ciFailed: CiFailed): ThreadState => stateOf(t, ciFailed(t.id))

const invalid = (message: string) => err(appError(ErrorCode.InvalidParams, message))

/** The first `n` threads of `from` that `matches`, and whether another one follows. */
function take(from: Iterable<Thread>, matches: (t: Thread) => boolean, n: number): { threads: Thread[]; more: boolean } {
  const threads: Thread[] = []
  for (const t of from) {
    if (!matches(t)) continue
    if (threads.length === n) return { threads, more: true }
    threads.push(t)
  }
  return { threads, more: false }
}

/** Whether any thread of `from` matches (a walk that stops at the first). */
function any(from: Iterable<Thread>, matches: (t: Thread) => boolean): boolean {
  for (const t of from) if (matches(t)) return true
  return false
}

/**
 * `thread/list`: threads of known repositories (or one repository's), filtered by archive state and derived state;
 * every match in creation order without a limit, else one page most recently active first: after `cursor`, just
 * before `before`, or around `anchor`. A page walks the store's activity order from its cursor, so without `states`
 * its cost follows the page, not the number of threads (`states` counts its total by a scan). With `forkedFrom` it
 * walks only that thread's forks (from the store's fork links), so it costs what the forks do.
 */
export function threadPage(store: ThreadStore, repos: Repos, p: ThreadPageQuery, ciFailed: CiFailed = () => false): Result<ThreadPage> {
  const archived = archivedFilter(p)
  const known = new Map<string, boolean>()
  const repoOk = (id: string) => {
    let k = known.get(id)
    if (k === undefined) known.set(id, (k = repos.get(id).ok))
    return k
  }
  const states = p.states ? new Set(p.states) : null
  const matches = (t: Thread) =>
    (p.repoId ? t.repoId === p.repoId : repoOk(t.repoId)) &&
    (p.forkedFrom === undefined || t.forkedFrom?.threadId === p.forkedFrom) &&
    (archived === 'include' || (t.status === 'archived') === (archived === 'only')) &&
    (!states || states.has(stateOfThread(t, ciFailed)))
  if ([p.cursor, p.before, p.anchor].filter((x) => x !== undefined).length > 1)
    return invalid('thread/list takes one of cursor, before and anchor.')
  if (p.limit === undefined) {
    if (p.before !== undefined || p.anchor) return invalid('thread/list needs a limit with before or anchor.')
    const all = (p.forkedFrom !== undefined ? store.forksOf(p.forkedFrom) : store.list()).filter(matches)
    return ok({ threads: all, next: null, previous: null, total: all.length })
  }
  const walk = p.forkedFrom !== undefined ? forksWalk(store, p.forkedFrom) : store
  const page = pageOf(store, walk, p, matches, p.limit)
  if (!page.ok) return page
  const { threads, start, end } = page.value
  // A page's ends are positions: its first and last threads, or the cursor it was asked from when it is empty.
  const first = p.cursor === undefined && p.before === undefined && !p.anchor
  const previous = !first && start && any(walk.byActivity(start, true), matches) ? threadCursor(start) : null
  const next = end && any(walk.byActivity(end), matches) ? threadCursor(end) : null
  const total = states || walk !== store ? countMatches(walk, matches) : countOf(store, p, archived, repoOk)
  return ok({ threads, next, previous, total })
}

/** The threads of a page and the positions it starts and ends at (null: the start or end of the list). */
type PageSpan = { threads: Thread[]; start: ThreadPosition | null; end: ThreadPosition | null }

function pageOf(store: ThreadStore, walk: Walk, p: ThreadPageQuery, matches: (t: Thread) => boolean, limit: number): Result<PageSpan> {
  const span = (threads: Thread[], empty: ThreadPosition | null): PageSpan => ({
    threads,
    start: threads[0] ?? empty,
    end: threads[threads.length - 1] ?? empty
  })
  if (p.anchor) {
    const at = store.get(p.anchor.threadId)
    if (!at) return invalid(`No thread with id ${p.anchor.threadId} to anchor a page at.`)
    if (!matches(at)) return invalid(`The thread ${p.anchor.threadId} is not among the threads this list filters for.`)
    // Up to limit-1 before and limit from the anchor on, then as many before as centring (or a short end) wants.
    const before = take(walk.byActivity(at, true), matches, limit - 1).threads
    const after = take(onwardFrom(walk, at), matches, limit).threads
    const back = Math.min(before.length, Math.max((limit - 1) >> 1, limit - after.length))
    return ok(span([...before.slice(0, back).reverse(), ...after.slice(0, limit - back)], null))
  }
  const from = p.before ?? p.cursor
  const at = from === undefined ? null : parseThreadCursor(from)
  if (from !== undefined && at === null) return invalid(`"${from}" is not a cursor that thread/list gave.`)
  if (p.before !== undefined) return ok(span(take(walk.byActivity(at, true), matches, limit).threads.reverse(), at))
  return ok(span(take(walk.byActivity(at), matches, limit).threads, at))
}

/** The thread `t` and every one after it. */
function* onwardFrom(walk: Walk, t: Thread): Generator<Thread> {
  yield t
  yield* walk.byActivity(t)
}

function countMatches(walk: Walk, matches: (t: Thread) => boolean): number {
  let n = 0
  for (const t of walk.byActivity()) if (matches(t)) n++
  return n
}

function countOf(store: ThreadStore, p: ThreadPageQuery, archived: string, repoOk: (id: string) => boolean): number {
  let total = 0
  for (const [repoId, c] of store.countsByRepo()) {
    if (p.repoId ? repoId !== p.repoId : !repoOk(repoId)) continue
    total += archived === 'include' ? c.live + c.archived : archived === 'only' ? c.archived : c.live
  }
  return total
}

/** One repository's thread counts (what `thread/counts` answers). */
export interface ThreadCounts {
  repoId: string
  live: number
  archived: number
  states: Record<ThreadState, number>
}

/**
 * `thread/counts`: each of `repos`' live and archived threads, and its threads per derived state
 * (live ones by one pass over them, CI included; `archived` from the kept counts); `all` sums every repository.
 */
export function threadCounts(
  store: ThreadStore,
  repos: readonly Repo[],
  ciFailed: CiFailed
): { repos: ThreadCounts[]; all: Omit<ThreadCounts, 'repoId'> } {
  const counts = new Map<string, ThreadCounts>()
  for (const r of repos) {
    const c = store.countsByRepo().get(r.id) ?? { live: 0, archived: 0 }
    const states = emptyCounts()
    states.archived = c.archived
    counts.set(r.id, { repoId: r.id, live: c.live, archived: c.archived, states })
  }
  for (const t of store.byActivity()) {
    if (t.status === 'archived') continue
    const c = counts.get(t.repoId)
    if (c) c.states[stateOfThread(t, ciFailed)]++
  }
  const all = { live: 0, archived: 0, states: emptyCounts() }
  for (const c of counts.values()) {
    all.live += c.live
    all.archived += c.archived
    for (const s of Object.keys(c.states) as ThreadState[]) all.states[s] += c.states[s]
  }
  return { repos: [...counts.values()], all }
}
