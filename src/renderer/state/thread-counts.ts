import type { ResultOf } from '../../shared/methods'
import type { Thread } from '../../shared/models'
import { emptyCounts, stateOfThread, type ThreadState } from '../../shared/thread-state'
import { isArchived } from './thread-groups'

/** One repository's (or every repository's) thread counts: live, archived, and live per state (CI included). */
export interface Tally {
  live: number
  archived: number
  states: Record<ThreadState, number>
}

/** The core's thread counts as the window keeps them: per repository, and all together. */
export interface ThreadTallies {
  repos: ReadonlyMap<string, Tally>
  all: Tally
}

/** No threads anywhere. */
export const noTallies = (): ThreadTallies => ({ repos: new Map(), all: { live: 0, archived: 0, states: emptyCounts() } })

/** The tallies a `thread/counts` answer gives. */
export function talliesFrom(result: ResultOf<'thread/counts'>): ThreadTallies {
  return { repos: new Map(result.repos.map(({ repoId, ...tally }) => [repoId, tally])), all: result.all }
}

/** How many live threads a list of one repository (or all, `null`) in one state (or any, `null`) holds. */
export function tallyOf(tallies: ThreadTallies, repoId: string | null, state: ThreadState | null): number {
  const tally = repoId === null ? tallies.all : tallies.repos.get(repoId)
  if (!tally) return 0
  return state === null ? tally.live : tally.states[state]
}

/** The live per-state counts of one repository (or all). */
export const statesOf = (tallies: ThreadTallies, repoId: string | null): Record<ThreadState, number> =>
  (repoId === null ? tallies.all : tallies.repos.get(repoId))?.states ?? emptyCounts()

/**
 * The tallies after a thread known to the window changed from `previous` to `next` (null: removed). `ciFailed` says
 * whether its latest CI run failed, which a thread's own change does not alter. A change whose earlier version is
 * not known cannot be counted so: the window asks the core again instead.
 */
export function withChange(tallies: ThreadTallies, previous: Thread, next: Thread | null, ciFailed: boolean): ThreadTallies {
  const repos = new Map(tallies.repos)
  const all = copy(tallies.all)
  const add = (t: Thread, by: 1 | -1) => {
    const known = repos.get(t.repoId)
    // A repository the core did not count is one it does not list: its threads are not counted either.
    if (!known) return
    const tally = copy(known)
    for (const target of [tally, all]) {
      if (isArchived(t)) {
        target.archived += by
        target.states.archived += by
      } else {
        target.live += by
        target.states[stateOfThread(t, ciFailed)] += by
      }
    }
    repos.set(t.repoId, tally)
  }
  add(previous, -1)
  if (next) add(next, 1)
  return { repos, all }
}

const copy = (t: Tally): Tally => ({ live: t.live, archived: t.archived, states: { ...t.states } })
