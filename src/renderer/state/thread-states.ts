import type { Thread } from '../../shared/models'
import { stateOfThread as stateOf, type ThreadState } from '../../shared/thread-state'

/** Each thread version's state, with whether its CI had failed when it was worked out (thread objects are replaced on change). */
const states = new WeakMap<Thread, { ciFailed: boolean; state: ThreadState }>()

/** A thread's state as the dashboard shows it, given which threads' CI failed. */
export function stateOfThread(t: Thread, ciFailed: ReadonlySet<string>): ThreadState {
  return stateWith(t, ciFailed.has(t.id))
}

/** A thread's state as if its CI had not failed: what the groups count (CI failures are few, and change apart). */
export const baseStateOf = (t: Thread): ThreadState => stateWith(t, false)

function stateWith(t: Thread, ciFailed: boolean): ThreadState {
  const known = states.get(t)
  if (known && known.ciFailed === ciFailed) return known.state
  const state = stateOf(t, ciFailed)
  states.set(t, { ciFailed, state })
  return state
}
