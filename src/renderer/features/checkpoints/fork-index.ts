import { useEffect } from 'react'
import { create } from 'zustand'
import { useShallow } from 'zustand/react/shallow'
import type { Thread } from '../../../shared/models'
import { request } from '../../state/rpc'
import { ensureThread } from '../../state/thread-loader'
import { useThreads } from '../../state/threads-store'

const NONE: Thread[] = []

/** One thread's forks as the core listed them; `fresh` until the thread's fork count is seen to move. */
interface ForkList {
  forks: Thread[]
  fresh: boolean
}

interface ForkLinksState {
  /** Forks by the thread they came from, fetched when something shows them (`thread/list {forkedFrom}`). */
  lists: Record<string, ForkList>
  /** Titles of forks' parents that were not loaded, fetched once (`thread/get`); null: the core said it is gone. */
  parents: Record<string, string | null>
}

/**
 * The fork links the window has asked the core for. The window holds only some threads, so a parent's forks
 * (or a fork's parent) may not be loaded: counts come with each thread (`forkCount`), lists and titles from here.
 */
const useForkLinks = create<ForkLinksState>()(() => ({ lists: {}, parents: {} }))

/**
 * Each listed thread's fork count as last seen, and how often it moved: a list asked for before a move is stale,
 * even when the count moves back (a fork made, another deleted) or moves while the list is on its way.
 */
const counts = new Map<string, { count: number; moves: number }>()
const asking = new Map<string, Promise<Thread[]>>()
const askingParents = new Set<string>()
/** Parents whose `thread/get` failed (no connection): asked again on the next connection. */
const unansweredParents = new Set<string>()
/** Parents fetched here that were loaded since: dropping out of the window then (deleted) makes them asked again. */
const parentsSeenLoaded = new Set<string>()
let knownById: Record<string, Thread> | null = null

useThreads.subscribe((s) => {
  for (const [id, seen] of counts) {
    const parent = s.byId[id]
    if (parent && forkCountOf(parent) !== seen.count) {
      seen.count = forkCountOf(parent)
      moved(id)
    }
  }
  if (s.byId !== knownById) {
    // A new connection's threads: what was fetched on the old one may have changed meanwhile, so it is asked again.
    if (knownById) refreshAll()
    knownById = s.byId
  }
  let gone: string[] | null = null
  for (const [id, title] of Object.entries(useForkLinks.getState().parents)) {
    if (title === null) continue
    if (s.byId[id]) parentsSeenLoaded.add(id)
    else if (parentsSeenLoaded.delete(id)) (gone ??= []).push(id)
  }
  if (gone) {
    const parents = { ...useForkLinks.getState().parents }
    for (const id of gone) delete parents[id]
    useForkLinks.setState({ parents })
  }
})

/** Marks a thread's list stale (still shown until it is fetched again). */
function moved(id: string): void {
  counts.get(id)!.moves++
  const list = useForkLinks.getState().lists[id]
  if (list?.fresh) useForkLinks.setState((s) => ({ lists: { ...s.lists, [id]: { ...list, fresh: false } } }))
}

/** Asks again for every list and parent title fetched before (a reconnect); each stays shown until its answer. */
function refreshAll(): void {
  parentsSeenLoaded.clear()
  for (const [id, seen] of counts) {
    moved(id)
    // Every thread with forks asked for before, including one whose first answer never came.
    if (seen.count > 0) fetchForks(id).catch(() => undefined)
  }
  for (const [id, title] of Object.entries(useForkLinks.getState().parents)) if (title !== null) askParent(id, true)
  for (const id of unansweredParents) askParent(id, true)
}

/** How many forks a thread has, as the core counted them (live and archived). */
export const forkCountOf = (thread: Thread): number => thread.forkCount ?? 0

/** The latest loaded version of each fork (renames and archiving reach the window as changes of the fork). */
const latest = (forks: Thread[], byId: Record<string, Thread>): Thread[] => forks.map((f) => byId[f.id] ?? f)

/**
 * The threads forked from `parent`, oldest first: the ones fetched before while its count has not moved, else
 * fetched again (one request per thread at a time). Rejects when the core cannot be asked.
 */
export async function loadForks(parent: Thread): Promise<Thread[]> {
  if (!counts.has(parent.id)) counts.set(parent.id, { count: forkCountOf(parent), moves: 0 })
  if (forkCountOf(parent) === 0) return NONE
  const known = useForkLinks.getState().lists[parent.id]
  const forks = known?.fresh ? known.forks : await fetchForks(parent.id)
  return latest(forks, useThreads.getState().byId)
}

function fetchForks(parentId: string): Promise<Thread[]> {
  const inFlight = asking.get(parentId)
  if (inFlight) return inFlight
  const movesAtAsk = counts.get(parentId)?.moves ?? 0
  const fetched = request('thread/list', { forkedFrom: parentId }).then(
    ({ threads }) => {
      asking.delete(parentId)
      // The count moved while the list was on its way: it may miss the newest fork (or hold a deleted one).
      const fresh = (counts.get(parentId)?.moves ?? 0) === movesAtAsk
      useForkLinks.setState((s) => ({ lists: { ...s.lists, [parentId]: { forks: threads, fresh } } }))
      return fresh ? threads : fetchForks(parentId)
    },
    (e: unknown) => {
      asking.delete(parentId)
      throw e
    }
  )
  asking.set(parentId, fetched)
  return fetched
}

/** The threads forked from this one, oldest first: fetched when shown and again when its fork count moves. */
export function useForks(thread: Thread): Thread[] {
  const count = forkCountOf(thread)
  const list = useForkLinks((s) => (count ? s.lists[thread.id]?.forks : undefined) ?? NONE)
  const fresh = useForkLinks((s) => s.lists[thread.id]?.fresh === true)
  // Keyed by the count and freshness, not the thread: any other change of the thread leaves its list as it was.
  useEffect(() => {
    if (count > 0 && !fresh) loadForks(thread).catch(() => undefined) // disconnected: the next connection asks again
  }, [thread.id, count, fresh])
  return useThreads(useShallow((s) => latest(list, s.byId)))
}

/** The forks' titles, quoted and joined, for a tooltip: '' until the forks were fetched (see `prefetchForks`). */
export function useForkTitles(thread: Thread): string {
  const list = useForkLinks((s) => (forkCountOf(thread) ? s.lists[thread.id]?.forks : undefined) ?? NONE)
  return useThreads((s) =>
    latest(list, s.byId)
      .map((t) => `“${t.title}”`)
      .join(', ')
  )
}

/** Fetches a thread's forks ahead of a tooltip or menu (a pointer over its fork count). */
export function prefetchForks(thread: Thread): void {
  loadForks(thread).catch(() => undefined) // the menu asks again, and says so when it fails
}

/** What a fork knows of the thread it came from: its title, `gone` once the core said so, or `asking`. */
export type ForkParent = { title: string } | 'gone' | 'asking'

/** The thread this one was forked from: loaded, else fetched once with `thread/get`; null when it is not a fork. */
export function useForkParent(thread: Thread): ForkParent | null {
  const parentId = thread.forkedFrom?.threadId
  const loaded = useThreads((s) => (parentId ? s.byId[parentId]?.title : undefined))
  const fetched = useForkLinks((s) => (parentId ? s.parents[parentId] : undefined))
  useEffect(() => {
    if (parentId && loaded === undefined) askParent(parentId)
  }, [parentId, loaded])
  if (!parentId) return null
  if (loaded !== undefined) return { title: loaded }
  if (fetched === null) return 'gone'
  return fetched === undefined ? 'asking' : { title: fetched }
}

function askParent(id: string, again = false): void {
  if ((!again && id in useForkLinks.getState().parents) || askingParents.has(id)) return
  askingParents.add(id)
  unansweredParents.delete(id)
  ensureThread(id)
    .then((t) => useForkLinks.setState((s) => ({ parents: { ...s.parents, [id]: t ? t.title : null } })))
    .catch(() => void unansweredParents.add(id))
    .finally(() => askingParents.delete(id))
}
