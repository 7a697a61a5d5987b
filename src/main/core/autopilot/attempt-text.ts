import type { CiCheck, CiStatus } from '../../../shared/ci'
import type { Result } from '../../../shared/result'
import { overallState } from '../ci/check-states'

/** How many failed checks one attempt sends in full; the rest are named. */
const SENT_IN_FULL = 3

/** The remote checks of a status (local runs belong to the worktree, not to the pushed commit) and their overall state. */
export function remoteCi(status: CiStatus): { commit: string | null; checks: CiCheck[]; overall: CiStatus['overall'] } {
  const checks = status.checks.filter((c) => c.provider !== 'local')
  return { commit: status.commit, checks, overall: overallState(checks) }
}

/** The remote checks that failed or were cancelled. */
export const failedChecks = (status: CiStatus): CiCheck[] =>
  remoteCi(status).checks.filter((c) => c.state === 'failed' || c.state === 'cancelled')

/** What the message says around the failures. */
export interface AttemptContext {
  n: number
  max: number
  commit: string
  /** The previous attempt ended without a commit. */
  afterNoChange: boolean
}

/**
 * The message an attempt sends the agent: a line saying it comes from the autopilot, then the
 * failure of each failed check exactly as "Send failure to agent" words it (up to three in full),
 * then how Skein takes the fix (a commit, which it pushes).
 */
export async function attemptMessage(
  failed: readonly CiCheck[],
  ctx: AttemptContext,
  failureText: (checkId: string) => Promise<Result<string>>
): Promise<string> {
  let head = `Skein's CI autopilot, attempt ${ctx.n} of ${ctx.max}: CI failed on commit ${ctx.commit.slice(0, 7)}.`
  if (ctx.afterNoChange) head += ' The last attempt ended without a new commit.'
  const parts: string[] = []
  for (const check of failed.slice(0, SENT_IN_FULL)) {
    const text = await failureText(check.id)
    parts.push(
      text.ok
        ? text.value
        : `The CI check "${check.name}" failed on commit ${ctx.commit.slice(0, 7)}. Skein could not fetch its log: ${text.error.message}`
    )
  }
  const rest = failed.slice(SENT_IN_FULL)
  if (rest.length) parts.push(`Also failed: ${rest.map((c) => `"${c.name}"`).join(', ')}.`)
  const tail = 'Commit the fix when it is done: Skein pushes new commits and waits for CI.'
  return [head, parts.join('\n\n---\n\n'), tail].join('\n\n')
}
