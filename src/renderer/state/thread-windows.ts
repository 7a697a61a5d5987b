import { create } from 'zustand'
import type { Thread } from '../../shared/models'
import { byRecentActivity, firstAfter, threadCursor, type ThreadPosition } from '../../shared/thread-order'
import type { ThreadState } from '../../shared/thread-state'
import { ErrorCode } from '../../shared/errors'
import { errorCode, request } from './rpc'
import { noTallies, talliesFrom, tallyOf, withChange, type ThreadTallies } from './thread-counts'
import { useThreads } from './threads-store'

/** A list of live threads the window shows: one repository's or every repository's, in one state or any. */
export interface ThreadFilter {
  repoId: string | null
  state: ThreadState | null
}

/**
 * How far a list is loaded from its top: every thread of it up to `edge` (a position in the order) is in the
 * store, or every thread of it when `complete`.
 */
export interface LoadedEdge {
  edge: ThreadPosition | null
  complete: boolean
}

interface WindowsState {
  /** Per list (see keyOf), how far its pages have come. */
  edges: Readonly<Record<string, LoadedEdge>>
  /** The core's counts, kept up to date with the changes the window can count itself. */
  tallies: ThreadTallies
  /** False until the first counts of a connection arrive. */
  counted: boolean
}

/** How much further than asked a page reaches, so a little scrolling does not wait again. */
export const PAGE_MARGIN = 100
/** The largest page (the core's maximum). */
export const MAX_PAGE = 5000

const NOTHING: LoadedEdge = { edge: null, complete: false }
const ALL: ThreadFilter = { repoId: null, state: null }

/** The loaded edges and counts of the window's thread lists (the threads themselves are in useThreads). */
export const useThreadWindows = create<WindowsState>()(() => ({ edges: {}, tallies: noTallies(), counted: false }))

const keyOf = (f: ThreadFilter): string => `${f.repoId ?? '*'}|${f.state ?? '*'}`

/**
 * How far the list `f` is loaded: the furthest of its own pages and those of every list that holds it (every
 * thread, the repository's, the state's), since each of those loaded all of its threads up to its edge.
 */
export function coverOf(edges: Readonly<Record<string, LoadedEdge>>, f: ThreadFilter): LoadedEdge {
  let best = NOTHING
  for (const repoId of new Set([f.repoId, null])) {
    for (const state of new Set([f.state, null])) {
      const e = edges[keyOf({ repoId, state })]
      if (!e) continue
      if (e.complete) return e
      if (e.edge && (!best.edge || byRecentActivity(e.edge, best.edge) > 0)) best = e
    }
  }
  return best
}

/** How many of `sorted` (the loaded threads of a list, in order) the list shows: those up to its loaded edge. */
export function shownCount(sorted: readonly Thread[], cover: LoadedEdge): number {
  if (cover.complete) return sorted.length
  return cover.edge ? firstAfter(sorted, cover.edge) : 0
}

/** The rows a list still waits for: how many the core counts beyond those shown (none once it is all loaded). */
export function pendingCount(tallies: ThreadTallies, f: ThreadFilter, shown: number, cover: LoadedEdge): number {
  return cover.complete ? 0 : Math.max(0, tallyOf(tallies, f.repoId, f.state) - shown)
}

// Each connection gets a new generation: answers to an older one are dropped rather than applied.
let generation = 0
const inFlight = new Map<string, Promise<boolean>>()
let countTimer: ReturnType<typeof setTimeout> | null = null

/**
 * Starts the window over for a new connection from its first page of every live thread, then asks for the counts
 * (after the page, so the first rows never wait for them).
 */
export function resetWindows(first: { threads: Thread[]; next: string | null }): void {
  generation++
  inFlight.clear()
  const last = first.threads[first.threads.length - 1] ?? null
  useThreadWindows.setState({
    edges: { [keyOf(ALL)]: { edge: last, complete: first.next === null } },
    tallies: noTallies(),
    counted: false
  })
  askCounts()
}

/**
 * How much of the list `f` the window shows, given its loaded threads in order: `shown` rows, then `pending`
 * placeholders. `exact` says whether the two make up the whole list (the counts came, or it is all loaded): a
 * moment after connecting they do not yet, and no count should be shown as if they did.
 */
export function windowOfList(
  w: Pick<WindowsState, 'edges' | 'tallies' | 'counted'>,
  f: ThreadFilter,
  loaded: readonly Thread[]
): { shown: number; pending: number; exact: boolean } {
  const cover = coverOf(w.edges, f)
  const shown = shownCount(loaded, cover)
  return { shown, pending: w.counted ? pendingCount(w.tallies, f, shown, cover) : 0, exact: w.counted || cover.complete }
}

/**
 * Loads the list `f` until it shows at least `wanted` threads (or all it has), a page after its loaded edge at a
 * time; `loaded` gives its loaded threads in order as they are now.
 */
export async function loadUntil(f: ThreadFilter, wanted: number, loaded: () => readonly Thread[]): Promise<void> {
  // A load belongs to its connection: after a reconnect the lists on screen ask again from the new first page.
  const mine = generation
  while (mine === generation) {
    const need = wanted - shownCount(loaded(), coverOf(useThreadWindows.getState().edges, f))
    if (need <= 0 || !(await loadNext(f, Math.min(MAX_PAGE, need + PAGE_MARGIN)))) return
  }
}

/** Loads a thread's repository list until it reaches the thread (so the sidebar can show it). */
export async function loadThrough(thread: Thread): Promise<void> {
  const f: ThreadFilter = { repoId: thread.repoId, state: null }
  const mine = generation
  while (mine === generation) {
    const cover = coverOf(useThreadWindows.getState().edges, f)
    if (cover.complete || (cover.edge && byRecentActivity(thread, cover.edge) <= 0)) return
    if (!(await loadNext(f, MAX_PAGE))) return
  }
}

/**
 * The next page of `f` after its loaded edge; false when nothing more came (the list is loaded, or the request
 * failed). One page per list is asked for at once: a caller asking meanwhile waits for that one instead.
 */
async function loadNext(f: ThreadFilter, limit: number): Promise<boolean> {
  const key = keyOf(f)
  const running = inFlight.get(key)
  if (running) return running
  const cover = coverOf(useThreadWindows.getState().edges, f)
  if (cover.complete) return false
  const page = nextPage(f, cover, limit).then(() => coverOf(useThreadWindows.getState().edges, f) !== cover)
  inFlight.set(key, page)
  try {
    return await page
  } finally {
    if (inFlight.get(key) === page) inFlight.delete(key)
  }
}

async function nextPage(f: ThreadFilter, cover: LoadedEdge, limit: number): Promise<void> {
  const mine = generation
  try {
    const page = await request('thread/list', {
      archived: 'exclude',
      limit,
      ...(f.repoId ? { repoId: f.repoId } : {}),
      ...(f.state ? { states: [f.state] } : {}),
      ...(cover.edge ? { cursor: threadCursor(cover.edge) } : {})
    })
    if (mine !== generation) return
    useThreads.getState().merge(page.threads)
    const last = page.threads[page.threads.length - 1] ?? cover.edge
    const edges = { ...useThreadWindows.getState().edges, [keyOf(f)]: { edge: last, complete: page.next === null } }
    useThreadWindows.setState({ edges })
  } catch (e) {
    // A lost connection starts over with the next one; anything else is a bug worth seeing.
    if (errorCode(e) !== ErrorCode.Disconnected) console.warn('Skein: could not load a page of threads', e)
  }
}

/**
 * Keeps the counts right after a thread changed (`next` null: removed): counted here when its earlier version was
 * loaded, else asked of the core again (once for a burst).
 */
export function countChange(previous: Thread | undefined, next: Thread | null, ciFailed: boolean): void {
  const s = useThreadWindows.getState()
  if (!s.counted) return
  if (previous) useThreadWindows.setState({ tallies: withChange(s.tallies, previous, next, ciFailed) })
  else recount()
}

/**
 * Asks the core for the counts again, once for a burst of changes. An answer counts every change the window heard
 * of before it (notifications and answers share one ordered connection), so it simply replaces what is kept.
 */
export function recount(): void {
  if (countTimer) return
  const mine = generation
  countTimer = setTimeout(() => {
    countTimer = null
    if (mine === generation) askCounts()
  }, 250)
}

function askCounts(): void {
  const mine = generation
  request('thread/counts')
    .then((counts) => {
      if (mine === generation) useThreadWindows.setState({ tallies: talliesFrom(counts), counted: true })
    })
    .catch(() => undefined) // disconnected: the next connection counts again
}

/** The Archived header's count: the core's (archived rows load only once the section opens), until then the loaded rows'. */
export function useArchivedCount(): number {
  const counted = useThreadWindows((s) => (s.counted ? s.tallies.all.archived : null))
  const loaded = useThreads((s) => s.groups.archivedCount)
  return counted ?? loaded
}

/** How many live threads there are: the core's count, or the loaded threads' when they are all; null until one is known. */
export function useLiveCount(): number | null {
  const counted = useThreadWindows((s) => (s.counted ? s.tallies.all.live : null))
  const complete = useThreadWindows((s) => coverOf(s.edges, ALL).complete)
  const loaded = useThreads((s) => s.groups.liveCount)
  return counted ?? (complete ? loaded : null)
}
