import type { Checkpoint } from '../../../shared/checkpoints'
import { errorMessage, request } from '../../state/rpc'
import { useCheckpoints } from './checkpoints-store'

type Pending = { kind: 'created'; checkpoint: Checkpoint } | { kind: 'removed'; ns: number[] }

/** Threads whose `checkpoint/list` is in flight: notifications for them wait here and are replayed after. */
const loading = new Map<string, Pending[]>()

const tracked = (threadId: string): boolean => !!useCheckpoints.getState().byThread[threadId]

/** Fetches a thread's checkpoints and keeps them live from then on. */
export async function loadCheckpoints(threadId: string): Promise<void> {
  if (loading.has(threadId)) return
  useCheckpoints.getState().track(threadId)
  loading.set(threadId, [])
  try {
    const { checkpoints } = await request('checkpoint/list', { threadId })
    const queued = loading.get(threadId) ?? []
    loading.delete(threadId)
    useCheckpoints.getState().setList(threadId, checkpoints)
    for (const p of queued) {
      if (p.kind === 'created') routeCheckpointCreated(p.checkpoint)
      else routeCheckpointRemoved(threadId, p.ns)
    }
  } catch (e) {
    loading.delete(threadId)
    useCheckpoints.getState().setError(threadId, `Could not load the checkpoints: ${errorMessage(e)}`)
  }
}

/** Loads a thread's checkpoints unless they are already known or on their way. */
export function ensureCheckpoints(threadId: string): void {
  const known = useCheckpoints.getState().byThread[threadId]
  if (!known || known.error) void loadCheckpoints(threadId)
}

/** Applies `checkpoint/created` (ignored for threads not looked at here). */
export function routeCheckpointCreated(checkpoint: Checkpoint): void {
  const queue = loading.get(checkpoint.threadId)
  if (queue) queue.push({ kind: 'created', checkpoint })
  else if (tracked(checkpoint.threadId)) useCheckpoints.getState().add(checkpoint)
}

/** Applies `checkpoint/removed`: pruned checkpoints leave the timeline. */
export function routeCheckpointRemoved(threadId: string, ns: number[]): void {
  const queue = loading.get(threadId)
  if (queue) queue.push({ kind: 'removed', ns })
  else useCheckpoints.getState().remove(threadId, ns)
}

/** After a reconnect: every thread's checkpoints known here are fetched again (what was taken meanwhile was missed). */
export function reloadCheckpoints(): void {
  for (const threadId of Object.keys(useCheckpoints.getState().byThread)) {
    loading.delete(threadId)
    void loadCheckpoints(threadId)
  }
}

/** Stops tracking a thread that is gone. */
export function forgetCheckpoints(threadId: string): void {
  loading.delete(threadId)
  useCheckpoints.getState().forgetThread(threadId)
}
