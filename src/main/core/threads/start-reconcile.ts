import { dirname } from 'node:path'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Thread } from '../../../shared/models'

/** Threads reconciled at a time: independent, so a start after a crash with hundreds running stays quick. */
const WORKERS = 8
/** Worktree checks between two turns of the event loop, after ready. */
const CHECK_BATCH = 64

/** What ending a previous run's states needs. */
export interface StaleStateDeps {
  /** Whether a thread still has an approval to answer (it stays needing attention). */
  waitingApproval?: (threadId: string) => Promise<boolean>
  /** Records the patch on the thread (under its lock). */
  apply: (threadId: string, patch: Partial<Thread>) => Promise<void>
}

/**
 * At start-up, before serving: ends agent states a quit left behind. One pass over the threads picks the few that
 * need it (a thread idle with its agent exited, the common case, costs a comparison); only those do any I/O.
 */
export async function endStaleStates(threads: readonly Thread[], d: StaleStateDeps): Promise<void> {
  const candidates = threads.filter(
    (t) => t.status === 'running' || t.status === 'needs-attention' || (t.agent !== null && t.agent.activity !== 'exited')
  )
  const reconcile = async (t: Thread) => {
    // Nothing runs right after a start: a session or turn that was running or waiting ended when Skein stopped,
    // except an approval the built-in agent saved, which can still be answered.
    const waiting = t.status === 'needs-attention' && (await d.waitingApproval?.(t.id)) === true
    const stale = t.status === 'running' || (t.status === 'needs-attention' && !waiting)
    const agentLive = t.agent !== null && t.agent.activity !== 'exited'
    if (!stale && !agentLive) return
    await d.apply(t.id, {
      ...(stale ? { status: 'idle' as const } : {}),
      ...(agentLive ? { agent: { ...t.agent!, activity: 'exited' as const, exitCode: null } } : {})
    })
  }
  let next = 0
  const worker = async () => {
    while (next < candidates.length) await reconcile(candidates[next++]!)
  }
  await Promise.all(Array.from({ length: WORKERS }, worker))
}

/** Live worktree threads: their repository folders are watched and each worktree is checked. */
export const hasLiveWorktree = (t: Thread): boolean => t.mode === 'worktree' && t.branch !== null && t.status !== 'archived'

/**
 * After ready: watches the worktree folders of live worktree threads and flags those whose folder vanished while
 * Skein was stopped. Batched, yielding between batches, so requests are served meanwhile.
 */
export async function checkWorktreesAfterStart(
  threads: readonly Thread[],
  d: { watch: (repoDir: string) => void; check: (threadId: string) => Promise<void>; stopped: () => boolean }
): Promise<void> {
  const live = threads.filter(hasLiveWorktree)
  for (const t of live) d.watch(dirname(t.worktreePath))
  for (let start = 0; start < live.length && !d.stopped(); start += CHECK_BATCH) {
    await Promise.all(
      live
        .slice(start, start + CHECK_BATCH)
        .filter((t) => t.status !== 'error')
        .map((t) => d.check(t.id))
    )
    await yieldToLoop()
  }
}
