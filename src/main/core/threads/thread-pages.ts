import { appError, ErrorCode } from '../../../shared/errors'
import type { Repo, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { parseThreadCursor, threadCursor, type ThreadPosition } from '../../../shared/thread-order'
import { emptyCounts, stateOfThread as stateOf, type ThreadState } from '../../../shared/thread-state'
import { ActivityOrder } from '../store/activity-order'
import { baseStateOf } from '../store/state-tally'
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

/** The threads whose latest CI run failed (the CI service knows; pages only ask): each by id, and all of them. */
export interface CiFailed {
  has(threadId: string): boolean
  readonly ids: Iterable<string>
}

/** No thread's CI failed. */
export const noCiFailed: CiFailed = { has: () => false, ids: [] }

/** The failed set `read` gives, read at most once and only when asked (a request that needs no state never reads it). */
export function lazyCiFailed(read: () => Iterable<string>): CiFailed {
  let failed: Set<string> | null = null
  const set = () => (failed ??= new Set(read()))
  return {
    has: (id) => set().has(id),
    get ids() {
      return set()
    }
  }
}

/** The repositories a page may list (an unknown one's threads are never listed). */
type Repos = { get(id: string): Result<Repo> }

/** A thread's derived state, as the window shows it. */
export const stateOfThread = (t: Thread, ciFailed: CiFailed): ThreadState => stateOf(t, ciFailed.has(t.id))

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
 * before `before`, or around `anchor`. A page walks the store's activity order from its cursor, so its cost follows
 * the page (and, with `states`, how far the walk goes to fill it), not the number of threads; the total comes from
 * the store's kept counts. With `forkedFrom` it walks only that thread's forks (from the store's fork links), so it
 * costs what the forks do.
 */
export function threadPage(store: ThreadStore, repos: Repos, p: ThreadPageQuery, ciFailed: CiFailed = noCiFailed): Result<ThreadPage> {
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
  const total = walk !== store ? countMatches(walk, matches) : countOf(store, p, archived, repoOk, ciFailed)
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

/** A list's total from the store's kept counts (per state when `states` are asked): never a walk over the threads. */
function countOf(store: ThreadStore, p: ThreadPageQuery, archived: string, repoOk: (id: string) => boolean, ciFailed: CiFailed): number {
  const repoIds = [...store.countsByRepo().keys()].filter((id) => (p.repoId ? id === p.repoId : repoOk(id)))
  if (!p.states) {
    let total = 0
    for (const id of repoIds) {
      const c = store.countsByRepo().get(id)!
      total += archived === 'include' ? c.live + c.archived : archived === 'only' ? c.archived : c.live
    }
    return total
  }
  // Live threads are never in the `archived` state and archived ones in no other, so the archive filter picks states.
  const states = new Set(p.states.filter((s) => archived === 'include' || (s === 'archived') === (archived === 'only')))
  let total = 0
  for (const counts of stateCounts(store, repoIds, ciFailed).values()) for (const s of states) total += counts[s]
  return total
}

/**
 * Each of `repoIds`' threads per derived state: its live threads' kept base counts, with each live thread whose CI
 * failed moved to the state that failure gives it, and its archived count. Costs the repositories and the failures.
 */
function stateCounts(store: ThreadStore, repoIds: Iterable<string>, ciFailed: CiFailed): Map<string, Record<ThreadState, number>> {
  const counts = new Map<string, Record<ThreadState, number>>()
  for (const id of repoIds) counts.set(id, { ...store.baseStateCounts(id), archived: store.countsByRepo().get(id)?.archived ?? 0 })
  for (const id of ciFailed.ids) {
    const t = store.get(id)
    const c = t && t.status !== 'archived' ? counts.get(t.repoId) : undefined
    if (!t || !c) continue
    c[baseStateOf(t)]--
    c[stateOf(t, true)]++
  }
  return counts
}

/** One repository's thread counts (what `thread/counts` answers). */
export interface ThreadCounts {
  repoId: string
  live: number
  archived: number
  states: Record<ThreadState, number>
}

/**
 * `thread/counts`: each of `repos`' live and archived threads, and its threads per derived state (from the store's
 * kept counts, CI failures applied: no pass over the threads); `all` sums every repository.
 */
export function threadCounts(
  store: ThreadStore,
  repos: readonly Repo[],
  ciFailed: CiFailed
): { repos: ThreadCounts[]; all: Omit<ThreadCounts, 'repoId'> } {
  const counts = new Map<string, ThreadCounts>()
  const repoIds = repos.map((r) => r.id)
  for (const [repoId, states] of stateCounts(store, repoIds, ciFailed)) {
    const c = store.countsByRepo().get(repoId) ?? { live: 0, archived: 0 }
    counts.set(repoId, { repoId, live: c.live, archived: c.archived, states })
  }
  const all = { live: 0, archived: 0, states: emptyCounts() }
  for (const c of counts.values()) {
    all.live += c.live
    all.archived += c.archived
    for (const s of Object.keys(c.states) as ThreadState[]) all.states[s] += c.states[s]
  }
  return { repos: [...counts.values()], all }
}
