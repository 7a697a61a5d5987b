import { z } from 'zod'

/** The fewest and most attempts a person may allow. */
export const AUTOPILOT_ATTEMPTS = { min: 1, max: 10, default: 3 } as const
/** The smallest and largest budget in US dollars, and the default. */
export const AUTOPILOT_BUDGET = { min: 0.01, max: 1000, default: 5 } as const

/** A thread's autopilot switch and limits. */
export const AutopilotSettings = z.object({
  /** Sends failed checks to the agent, pushes its fix and waits for CI on its own. */
  enabled: z.boolean(),
  /** How many fix attempts one failure may take before the autopilot gives up. */
  maxAttempts: z.number().int().min(AUTOPILOT_ATTEMPTS.min).max(AUTOPILOT_ATTEMPTS.max),
  /** What the agent may spend on one failure's attempts (the rise of the thread's cost); CLI agents report no cost. */
  budgetUsd: z.number().min(AUTOPILOT_BUDGET.min).max(AUTOPILOT_BUDGET.max),
  /** Merge the pull or merge request once checks are green and reviews allow it (never forced). */
  autoMerge: z.boolean()
})
/** A thread's autopilot switch and limits. */
export type AutopilotSettings = z.infer<typeof AutopilotSettings>

/** The settings of a thread that never changed them. */
export const DEFAULT_AUTOPILOT: AutopilotSettings = {
  enabled: false,
  maxAttempts: AUTOPILOT_ATTEMPTS.default,
  budgetUsd: AUTOPILOT_BUDGET.default,
  autoMerge: false
}

/** Where an attempt is: the failure going to the agent, the agent at work, the push, CI on the new commit, or over. */
export const AttemptStep = z.enum(['sending', 'agent', 'pushing', 'checks', 'done'])
/** Where an attempt is. */
export type AttemptStep = z.infer<typeof AttemptStep>

/** How an attempt ended. */
export const AttemptOutcome = z.enum([
  /** CI passed on the pushed fix. */
  'passed',
  /** CI failed again on the pushed fix. */
  'failed',
  /** The agent finished without a new commit. */
  'no-change',
  /** The agent stopped on an error, exited, or could not be given the failure. */
  'agent-error',
  /** The agent spent past the budget; its turn was stopped. */
  'over-budget',
  /** The push was refused or failed. */
  'push-failed',
  /** The agent or CI took longer than Skein waits. */
  'timed-out',
  /** The person turned the autopilot off, the thread was archived, or Skein stopped meanwhile. */
  'stopped'
])
/** How an attempt ended. */
export type AttemptOutcome = z.infer<typeof AttemptOutcome>

/** One try at fixing a failure: what was sent, what the agent committed, what CI said and what it cost. */
export const AutopilotAttempt = z.object({
  /** 1 for the first attempt of a failure. */
  n: z.number().int().min(1),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** The pushed commit whose checks failed. */
  headBefore: z.string(),
  /** The fix Skein pushed; null until then (or when there was none). */
  headAfter: z.string().nullable(),
  /** The names of the failed checks sent to the agent. */
  checks: z.array(z.string()),
  step: AttemptStep,
  outcome: AttemptOutcome.nullable(),
  /** What the agent spent on it (USD); null for an agent that reports no cost (CLI agents). */
  costUsd: z.number().nullable(),
  /** A sentence on how it went, e.g. "The agent made no change." */
  detail: z.string().nullable()
})
/** One try at fixing a failure. */
export type AutopilotAttempt = z.infer<typeof AutopilotAttempt>

/** Why the autopilot stopped trying. */
export const GiveUpReason = z.enum([
  'attempts',
  'budget',
  'agent-error',
  'not-delivered',
  'push-rejected',
  'push-failed',
  'timed-out',
  'turned-off',
  'thread-gone'
])
/** Why the autopilot stopped trying. */
export type GiveUpReason = z.infer<typeof GiveUpReason>

/** What became of the auto-merge of a green commit. */
export const AutopilotMerge = z.object({
  sha: z.string(),
  /**
   * merged; scheduled (the service's own auto-merge is on: it merges once its checks pass and reviews allow it, and
   * the state turns merged when the request shows merged); blocked (reviews or mergeability say not yet); failed.
   */
  state: z.enum(['merging', 'merged', 'scheduled', 'blocked', 'failed']),
  message: z.string(),
  at: z.number()
})
/** What became of the auto-merge of a green commit. */
export type AutopilotMerge = z.infer<typeof AutopilotMerge>

/** A thread's autopilot: its settings, what it does now, and the attempts at the latest failure. */
export const AutopilotState = z.object({
  threadId: z.string(),
  settings: AutopilotSettings,
  /** off; watching (on, nothing to fix); fixing (an attempt runs); passed (the last failure was fixed); gave-up. */
  phase: z.enum(['off', 'watching', 'fixing', 'passed', 'gave-up']),
  /** The attempts at the latest failure, oldest first. */
  attempts: z.array(AutopilotAttempt),
  /** Spent on those attempts (USD); null when the agent reports no cost, so only attempts are counted. */
  spentUsd: z.number().nullable(),
  gaveUp: z.object({ reason: GiveUpReason, message: z.string(), at: z.number() }).nullable(),
  merge: AutopilotMerge.nullable(),
  updatedAt: z.number()
})
/** A thread's autopilot. */
export type AutopilotState = z.infer<typeof AutopilotState>

/** The parts of a thread's autopilot settings a request may change. */
export const AutopilotPatch = AutopilotSettings.partial()
/** The parts of a thread's autopilot settings a request may change. */
export type AutopilotPatch = z.infer<typeof AutopilotPatch>
