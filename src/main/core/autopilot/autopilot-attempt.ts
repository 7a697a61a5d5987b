import type { AttemptOutcome, AutopilotAttempt, GiveUpReason } from '../../../shared/autopilot'
import type { CiStatus } from '../../../shared/ci'
import type { DeliveryOutcome, Thread } from '../../../shared/models'
import type { Result } from '../../../shared/result'
import { pushedCommit, worktreeState } from '../ci/ci-git'
import { branchTip } from '../git/branch-tip'
import type { GitRunner } from '../git/git-runner'
import { pushBranch } from '../git/push-branch'
import { agentFinishCheck, costSince, type DeliveryGate } from './agent-finish'
import { attemptMessage, failedChecks, remoteCi } from './attempt-text'
import type { ThreadWaits } from './thread-waits'

/** What the autopilot needs from CI. */
export interface AutopilotCi {
  /** The thread's last known CI status. */
  status(threadId: string): CiStatus
  /** The text "Send failure to agent" sends for a failed check. */
  failureMessage(threadId: string, checkId: string): Promise<Result<string>>
  /** Skein pushed the thread's branch: CI is polled now and soon again. */
  pushed(threadId: string): Promise<void>
}

/** What one attempt reaches. */
export interface AttemptDeps {
  git: GitRunner
  thread: (id: string) => Thread | undefined
  ci: AutopilotCi
  deliver: (thread: Thread, text: string) => Promise<Result<DeliveryOutcome>>
  /** Stops the built-in agent's turn (the budget ran out during it). */
  interrupt?: (threadId: string) => void
  waits: ThreadWaits
  /** The latest error the built-in agent reported in the thread (its item's time and text). */
  lastError: (threadId: string) => { at: number; text: string } | undefined
  agentTimeoutMs: number
  ciTimeoutMs: number
}

/** One attempt to run, and what the run around it knows. */
export interface AttemptPlan {
  threadId: string
  n: number
  max: number
  /** The status whose failed checks are sent. */
  failing: CiStatus
  afterNoChange: boolean
  /** Spent by the earlier attempts of this failure, and the budget. */
  spentBefore: number
  budgetUsd: number
  signal: AbortSignal
  /** Records a change to this attempt. */
  update: (patch: Partial<AutopilotAttempt>) => void
}

/** How an attempt ended for the run: CI's verdict on the fix, no fix, or a reason to give up (null: stopped from outside). */
export type AttemptEnd =
  | { kind: 'passed' | 'failed'; status: CiStatus }
  | { kind: 'no-change' }
  | { kind: 'give-up'; reason: GiveUpReason; message: string }
  | { kind: 'stopped' }

const short = (sha: string) => sha.slice(0, 7)
const minutes = (ms: number) => `${Math.round(ms / 60_000)} minutes`

/** A CLI agent gets the text in its terminal; otherwise the built-in agent does (as AgentDelivery decides). */
const hasCliAgent = (t: Thread) => t.agent !== null && t.agent.activity !== 'exited'

/**
 * Runs one attempt: sends the failure to the agent, waits until the agent has finished (the
 * built-in turn ended, or the CLI went from running to waiting), pushes its new commits (never
 * forced) and waits for CI's verdict on them. Every step is recorded through `plan.update`.
 */
export async function runAttempt(d: AttemptDeps, plan: AttemptPlan): Promise<AttemptEnd> {
  const { threadId, signal } = plan
  const thread = d.thread(threadId)
  const head = plan.failing.commit!
  if (!thread || thread.status === 'archived' || !thread.branch)
    return { kind: 'give-up', reason: 'thread-gone', message: 'The thread was archived or has no branch of its own.' }
  const branch = thread.branch
  const cli = hasCliAgent(thread)
  const costBefore = cli ? null : thread.conversation.usage.costUsd
  const turnsBefore = thread.conversation.turns
  const localBefore = await branchTip(d.git, thread.worktreePath, branch)
  const startedAt = Date.now()
  const failed = failedChecks(plan.failing)
  plan.update({
    n: plan.n,
    startedAt,
    endedAt: null,
    headBefore: head,
    headAfter: null,
    checks: failed.map((c) => c.name),
    step: 'sending',
    outcome: null,
    costUsd: costBefore === null ? null : 0,
    detail: null
  })
  const end = (outcome: AttemptOutcome, detail: string, extra: Partial<AutopilotAttempt> = {}) =>
    plan.update({ step: 'done', outcome, detail, endedAt: Date.now(), ...extra })
  const stopped = (): AttemptEnd => {
    if (signal.reason !== 'closing')
      end('stopped', signal.reason === 'turned-off' ? 'The autopilot was turned off.' : 'The thread went away.')
    return { kind: 'stopped' }
  }

  const text = await attemptMessage(failed, { n: plan.n, max: plan.max, commit: head, afterNoChange: plan.afterNoChange }, (id) =>
    d.ci.failureMessage(threadId, id)
  )
  if (signal.aborted) return stopped()
  // Watched from before the text goes out, so a CLI's answer to it is not missed while it is typed.
  const gate: DeliveryGate = { delivered: false, queued: false }
  const check = agentFinishCheck(
    {
      cli,
      activity: thread.agent?.activity ?? null,
      turnsBefore,
      costBefore,
      startedAt,
      spentBefore: plan.spentBefore,
      budgetUsd: plan.budgetUsd
    },
    gate,
    { thread: () => d.thread(threadId), lastError: () => d.lastError(threadId), interrupt: () => d.interrupt?.(threadId) }
  )
  const undelivered = new AbortController()
  const finishing = d.waits.wait(threadId, check, { signal: AbortSignal.any([signal, undelivered.signal]), timeoutMs: d.agentTimeoutMs })
  const sent = await d.deliver(thread, text)
  if (!sent.ok || !sent.value.delivered) {
    undelivered.abort()
    await finishing
    const why = sent.ok ? (sent.value as { message: string }).message : sent.error.message
    end('agent-error', why)
    return {
      kind: 'give-up',
      reason: sent.ok ? 'not-delivered' : 'agent-error',
      message: `The failure could not be given to the agent: ${why}`
    }
  }
  gate.delivered = true
  gate.queued = sent.value.queued
  plan.update({ step: 'agent', detail: cli ? `Sent to ${sent.value.agent}; it reports no cost, so only attempts count.` : null })
  d.waits.poke(threadId)
  const finished = await finishing
  const costUsd = costSince(d.thread(threadId), costBefore)
  plan.update({ costUsd })
  if (finished.kind === 'aborted') return stopped()
  if (finished.kind === 'timeout') {
    end('timed-out', `The agent did not finish within ${minutes(d.agentTimeoutMs)}.`)
    return {
      kind: 'give-up',
      reason: 'timed-out',
      message: `The agent did not finish attempt ${plan.n} within ${minutes(d.agentTimeoutMs)}.`
    }
  }
  if (finished.value === 'over-budget') {
    end('over-budget', 'The agent spent past the budget; its turn was stopped.')
    return {
      kind: 'give-up',
      reason: 'budget',
      message: `The budget of $${plan.budgetUsd.toFixed(2)} ran out during attempt ${plan.n}; the agent's turn was stopped.`
    }
  }
  if (finished.value !== 'done') {
    end('agent-error', finished.value.error)
    return {
      kind: 'give-up',
      reason: 'agent-error',
      message: `The agent stopped on an error in attempt ${plan.n}: ${finished.value.error}`
    }
  }

  const localAfter = await branchTip(d.git, thread.worktreePath, branch)
  if (!localAfter || localAfter === localBefore) {
    const dirty = (await worktreeState(d.git, thread.worktreePath)).dirty
    end('no-change', dirty ? 'The agent changed files but made no commit.' : 'The agent made no change.')
    return { kind: 'no-change' }
  }
  if (signal.aborted) return stopped()
  plan.update({ step: 'pushing', headAfter: localAfter })
  if ((await pushedCommit(d.git, thread.worktreePath, branch)) !== localAfter) {
    const pushed = await pushBranch(d.git, thread.worktreePath, branch).catch((e: Error) => ({
      kind: 'failed' as const,
      detail: e.message
    }))
    if (pushed.kind === 'rejected') {
      end('push-failed', 'The remote has commits this branch does not; it was not overwritten.')
      return {
        kind: 'give-up',
        reason: 'push-rejected',
        message: `The push of ${short(localAfter)} was rejected: the remote has commits this branch does not (Skein never forces a push).`
      }
    }
    if (pushed.kind !== 'pushed') {
      const why = pushed.kind === 'no-remote' ? 'the repository has no remote' : pushed.detail.split('\n')[0]!
      end('push-failed', `The push failed: ${why}.`)
      return { kind: 'give-up', reason: 'push-failed', message: `The push of ${short(localAfter)} failed: ${why}.` }
    }
  }
  plan.update({ step: 'checks' })
  await d.ci.pushed(threadId)
  const verdict = await d.waits.wait(
    threadId,
    () => {
      const status = d.ci.status(threadId)
      const ci = remoteCi(status)
      return ci.commit && ci.commit !== head && (ci.overall === 'passed' || ci.overall === 'failed') ? status : undefined
    },
    { signal, timeoutMs: d.ciTimeoutMs }
  )
  if (verdict.kind === 'aborted') return stopped()
  if (verdict.kind === 'timeout') {
    end('timed-out', `CI did not finish on ${short(localAfter)} within ${minutes(d.ciTimeoutMs)}.`)
    return { kind: 'give-up', reason: 'timed-out', message: `CI did not finish on ${short(localAfter)} within ${minutes(d.ciTimeoutMs)}.` }
  }
  const status = verdict.value
  const commit = status.commit!
  if (remoteCi(status).overall === 'passed') {
    end('passed', `Checks passed on ${short(commit)}.`, { headAfter: commit })
    return { kind: 'passed', status }
  }
  const names = failedChecks(status).map((c) => c.name)
  end('failed', `${names.join(', ')} failed again on ${short(commit)}.`, { headAfter: commit })
  return { kind: 'failed', status }
}
