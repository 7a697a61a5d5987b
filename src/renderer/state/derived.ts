import type { Repo, Thread } from '../../shared/models'
import { sortRepos, useRepos } from './repos-store'
import { useThreads, type GroupedThreads } from './threads-store'

/** Remembers the last result of a one-argument function, so many readers share one computation. */
function memoizeLast<A extends object, R>(fn: (a: A) => R): (a: A) => R {
  let lastArg: A | null = null
  let lastResult: R
  return (a) => {
    if (a !== lastArg) {
      lastResult = fn(a)
      lastArg = a
    }
    return lastResult
  }
}

const sortedRepos = memoizeLast(sortRepos)

/** Repositories in sidebar order (shared, recomputed only when the repo map changes). */
export const useSortedRepos = (): Repo[] => sortedRepos(useRepos((s) => s.byId))

/** Threads grouped by repository and split live/archived (kept by the store, updated with each change). */
export const useThreadGroups = (): GroupedThreads => useThreads((s) => s.groups)

/** The same two views read outside React (keyboard shortcuts). */
export function currentSortedRepos(): Repo[] {
  return sortedRepos(useRepos.getState().byId)
}

/** Grouped threads read outside React. */
export function currentThreadGroups(): GroupedThreads {
  return useThreads.getState().groups
}

/** One thread by id, re-rendering only when that thread changes. */
export const useThread = (threadId: string | null): Thread | undefined => useThreads((s) => (threadId ? s.byId[threadId] : undefined))

/** One repository by id. */
export const useRepo = (repoId: string | null | undefined): Repo | undefined => useRepos((s) => (repoId ? s.byId[repoId] : undefined))
