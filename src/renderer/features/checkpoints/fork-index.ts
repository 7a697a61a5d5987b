import type { Thread } from '../../../shared/models'
import { useThreads } from '../../state/threads-store'

const NONE: Thread[] = []

/** Forks by the thread they were forked from, oldest first. */
function indexForks(byId: Record<string, Thread>): Map<string, Thread[]> {
  const index = new Map<string, Thread[]>()
  for (const t of Object.values(byId)) {
    const parent = t.forkedFrom?.threadId
    if (!parent) continue
    const list = index.get(parent)
    if (list) list.push(t)
    else index.set(parent, [t])
  }
  for (const list of index.values()) list.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
  return index
}

let lastVersion = -1
let lastIndex = new Map<string, Thread[]>()

type ForkSource = { byId: Record<string, Thread>; forkVersion: number }

/** The fork index of the current threads, rebuilt only when a change touched a fork, and shared by every reader. */
function forkIndex(s: ForkSource): Map<string, Thread[]> {
  if (s.forkVersion !== lastVersion) {
    lastIndex = indexForks(s.byId)
    lastVersion = s.forkVersion
  }
  return lastIndex
}

/** The threads forked from this one (a link both ways: each fork's `forkedFrom` names it), read outside React. */
export const forksOf = (threadId: string): Thread[] => forkIndex(useThreads.getState()).get(threadId) ?? NONE

/** The threads forked from this one, re-rendering when the thread map changes (one-off views: Overview, Timeline). */
export const useForks = (threadId: string): Thread[] => useThreads((s) => forkIndex(s).get(threadId) ?? NONE)

/** How many forks a thread has (a row re-renders only when the number changes). */
export const useForkCount = (threadId: string): number => useThreads((s) => forkIndex(s).get(threadId)?.length ?? 0)

/** The forks' titles, quoted and joined, for a tooltip. */
export const useForkTitles = (threadId: string): string =>
  useThreads((s) => (forkIndex(s).get(threadId) ?? NONE).map((t) => `“${t.title}”`).join(', '))

/** The title of the thread this one was forked from; null when it is gone, undefined when not a fork. */
export const useForkParentTitle = (thread: Thread): string | null | undefined =>
  useThreads((s) => (thread.forkedFrom ? (s.byId[thread.forkedFrom.threadId]?.title ?? null) : undefined))
