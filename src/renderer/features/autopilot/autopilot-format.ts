import type { AutopilotAttempt, AutopilotState } from '../../../shared/autopilot'

/** A step of an attempt as shown: done, under way, failed, or not reached. */
export interface ShownStep {
  label: string
  state: 'done' | 'active' | 'failed'
}

const short = (sha: string) => sha.slice(0, 7)

/** US dollars with cents. */
export const money = (usd: number): string => (usd > 0 && usd < 0.01 ? 'under $0.01' : `$${usd.toFixed(2)}`)

/** What an attempt cost, or that its agent reports none. */
export const attemptCost = (a: AutopilotAttempt): string => (a.costUsd === null ? 'cost not reported' : money(a.costUsd))

/** An attempt's steps so far: failure sent → the agent's fix → the push → the checks. */
export function attemptSteps(a: AutopilotAttempt): ShownStep[] {
  const order = ['sending', 'agent', 'pushing', 'checks'] as const
  const reached = a.step === 'done' ? order.length : order.indexOf(a.step)
  const past = (i: number) => i < reached
  const failedAt =
    a.outcome === 'agent-error' || a.outcome === 'no-change' || a.outcome === 'over-budget' || (a.outcome === 'timed-out' && !a.headAfter)
      ? 1
      : a.outcome === 'push-failed'
        ? 2
        : a.outcome === 'failed' || a.outcome === 'timed-out'
          ? 3
          : a.outcome === 'stopped'
            ? -1
            : null
  const steps: ShownStep[] = []
  steps.push({ label: past(0) ? 'Failure sent' : 'Sending the failure', state: past(0) ? 'done' : 'active' })
  if (reached < 1) return steps
  if (failedAt === 1) {
    const why = { 'no-change': 'Agent made no change', 'over-budget': 'Agent went over budget', 'timed-out': 'Agent took too long' }
    return [...steps, { label: why[a.outcome as keyof typeof why] ?? 'Agent stopped on an error', state: 'failed' }]
  }
  const fixed = a.headAfter ? `Agent committed ${short(a.headAfter)}` : 'Agent committed a fix'
  steps.push({ label: past(1) || a.headAfter ? fixed : 'Agent is fixing it', state: past(1) ? 'done' : 'active' })
  if (reached < 2) return stopped(steps, a)
  if (failedAt === 2) return [...steps, { label: 'Push refused', state: 'failed' }]
  steps.push({ label: past(2) ? 'Pushed' : 'Pushing', state: past(2) ? 'done' : 'active' })
  if (reached < 3) return stopped(steps, a)
  if (a.outcome === 'passed') return [...steps, { label: 'Checks passed', state: 'done' }]
  if (failedAt === 3) return [...steps, { label: a.outcome === 'failed' ? 'Checks failed again' : 'Checks took too long', state: 'failed' }]
  return stopped([...steps, { label: 'Checks running', state: 'active' }], a)
}

// An attempt stopped from outside ends on the step it was at, marked as not finished.
function stopped(steps: ShownStep[], a: AutopilotAttempt): ShownStep[] {
  if (a.outcome !== 'stopped') return steps
  const last = steps.at(-1)
  return last?.state === 'active' ? [...steps.slice(0, -1), { ...last, label: `${last.label} (stopped)`, state: 'failed' }] : steps
}

/** One sentence on what the autopilot is doing. */
export function autopilotStatus(s: AutopilotState): string {
  const { maxAttempts } = s.settings
  const current = s.attempts.at(-1)
  switch (s.phase) {
    case 'off':
      return 'Off. When on, a failed check goes to the agent, its fix is pushed, and CI is watched again.'
    case 'watching':
      return 'On: watching CI. A failed check goes to the agent on its own.'
    case 'fixing': {
      if (!current || current.outcome !== null) return `Fixing: attempt ${s.attempts.length + 1} of ${maxAttempts} is starting.`
      const doing = {
        sending: 'sending the failure to the agent',
        agent: 'the agent is working on the failure',
        pushing: 'pushing the fix',
        checks: 'waiting for CI on the fix',
        done: 'finishing'
      }[current.step]
      return `Attempt ${current.n} of ${maxAttempts}: ${doing}.`
    }
    case 'passed':
      return s.attempts.length ? 'Fixed: checks passed on the pushed fix.' : 'Checks passed.'
    case 'gave-up':
      return 'It tries again on the next failed commit, or when switched off and on.'
  }
}

/** What has been spent, against the budget. */
export function autopilotSpend(s: AutopilotState): string | null {
  if (s.attempts.length === 0) return null
  if (s.spentUsd === null) return 'This agent reports no cost, so only attempts are counted.'
  return `Spent ${money(s.spentUsd)} of ${money(s.settings.budgetUsd)}.`
}
