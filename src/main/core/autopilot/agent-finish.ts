import type { Thread } from '../../../shared/models'

/** What the agent's work on an attempt came to: finished, stopped for spending past the budget, or an error. */
export type AgentFinish = 'done' | 'over-budget' | { error: string }

/** Whether the text has reached the agent yet, and whether it waited in the delivery queue first. */
export interface DeliveryGate {
  delivered: boolean
  queued: boolean
}

/** What the check compares against: the thread as the attempt began. */
export interface FinishBaseline {
  cli: boolean
  /** The CLI agent's activity when the attempt began. */
  activity: string | null
  turnsBefore: number
  costBefore: number | null
  startedAt: number
  spentBefore: number
  budgetUsd: number
}

/** What the check reads and may do. */
export interface FinishDeps {
  thread: () => Thread | undefined
  lastError: () => { at: number; text: string } | undefined
  /** Stops the built-in turn that spent past the budget. */
  interrupt: () => void
}

/** What the agent has spent since `before` (null when it reports no cost). */
export function costSince(t: Thread | undefined, before: number | null): number | null {
  const now = t?.conversation.usage.costUsd ?? null
  return before === null || now === null ? null : Math.max(0, now - before)
}

/**
 * A check, run on every change to the thread, that says when the agent has finished with the
 * failure. The built-in agent: its turn ended (a turn more, not busy), or it reported an error, or
 * its spending passed the budget (the turn is stopped). A CLI agent: it worked (running) after the
 * text was typed and then went back to waiting; a session that was still busy when the attempt began
 * must first go quiet, since its text waited in the queue until then.
 */
export function agentFinishCheck(base: FinishBaseline, gate: DeliveryGate, d: FinishDeps): () => AgentFinish | undefined {
  let phase: 'busy' | 'ready' | 'working' = base.activity === 'running' ? 'busy' : 'ready'
  let interrupted = false
  return () => {
    const t = d.thread()
    if (!t) return undefined
    if (base.cli) {
      const activity = t.agent?.activity
      if (!activity || activity === 'exited') return { error: 'The agent exited.' }
      // Typed at once (not queued): what it does from now on is its answer.
      if (phase === 'busy' && gate.delivered && !gate.queued) phase = 'working'
      if (phase === 'busy' && activity !== 'running') phase = 'ready'
      else if (phase === 'ready' && activity === 'running') phase = 'working'
      return phase === 'working' && activity !== 'running' && gate.delivered ? 'done' : undefined
    }
    const error = d.lastError()
    if (error && error.at >= base.startedAt) return { error: error.text }
    // A turn that ended past the budget still gets its fix pushed: the money is spent, the push is free.
    if (gate.delivered && !t.conversation.busy && t.conversation.turns > base.turnsBefore) return 'done'
    const spent = costSince(t, base.costBefore)
    if (spent === null || base.spentBefore + spent <= base.budgetUsd) return undefined
    if (!interrupted && t.conversation.busy) d.interrupt()
    interrupted = true
    return 'over-budget'
  }
}
