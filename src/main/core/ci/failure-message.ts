import { renderLogSegments, type CiCheck, type LocalRun } from '../../../shared/ci'
import { stripAnsi, type LogExcerpt } from './log-excerpt'

/** The most a failure message may hold, whatever the excerpt budgets say. */
export const MAX_FAILURE_MESSAGE = 24 * 1024

const PROVIDER_NAME = { github: 'GitHub', gitlab: 'GitLab', local: 'local' } as const

/** A local run as a check in the thread's CI status. */
export function checkFromLocalRun(run: LocalRun): CiCheck {
  const on = run.commit ? `on ${run.commit.slice(0, 7)}${run.dirty ? ' with uncommitted changes' : ''}` : null
  const detail = [run.detail, on].filter(Boolean).join(' · ')
  return {
    id: `local:${run.id}`,
    name: run.command,
    provider: 'local',
    state: run.state,
    startedAt: run.startedAt,
    completedAt: run.endedAt,
    durationMs: run.durationMs,
    url: null,
    hasLog: true,
    ...(detail ? { detail } : {})
  }
}

/** A fence longer than any run of backticks in `text`, so the log cannot close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  return '`'.repeat(longest + 1)
}

/** What the message says about where the check ran. */
export interface FailureContext {
  check: CiCheck
  /** The pushed commit (remote checks) or the commit the local run started on. */
  commit: string | null
  branch: string | null
  /** A local run's record, for its exit code and dirty state. */
  run?: LocalRun
}

/**
 * The message sent to a thread's agent about a failed check: which job, on which commit, and the
 * log excerpt (the first error's context and the tail) without ANSI colours, size-capped.
 */
export function formatFailureMessage(ctx: FailureContext, excerpt: LogExcerpt | null): string {
  const { check, run } = ctx
  const commit = ctx.commit ? ` on commit ${ctx.commit.slice(0, 7)}` : ''
  const branch = ctx.branch ? ` (branch ${ctx.branch})` : ''
  const how = check.state === 'cancelled' ? 'was cancelled' : 'failed'
  const head = run
    ? `The local check \`${run.command}\` ${how}${run.exitCode !== null && run.exitCode !== 0 ? ` with exit code ${run.exitCode}` : ''}${commit}${run.dirty ? ' with uncommitted changes' : ''}.`
    : `The ${PROVIDER_NAME[check.provider]} CI check "${check.name}" ${how}${commit}${branch}.`
  const lines = [head]
  if (check.detail && !run) lines.push(`Reason: ${check.detail}.`)
  if (run?.detail && !/^exit code/.test(run.detail)) lines.push(`Reason: ${run.detail}.`)
  if (check.url) lines.push(`Details: ${check.url}`)
  if (!excerpt) {
    lines.push('', 'Its log is not available to Skein.')
  } else if (excerpt.totalLines === 0) {
    lines.push('', 'Its log is empty.')
  } else {
    const text = stripAnsi(renderLogSegments(excerpt.segments, excerpt.totalLines))
    const where =
      excerpt.firstErrorLine !== null
        ? `The first error is at line ${excerpt.firstErrorLine} of ${excerpt.totalLines}.`
        : `No line looks like an error; here ${excerpt.truncated ? 'is the end' : 'is all'} of the log (${excerpt.totalLines} lines).`
    const fence = fenceFor(text)
    lines.push('', where, fence, text, fence)
  }
  lines.push('', 'Find the cause and fix it.')
  const message = lines.join('\n')
  return message.length <= MAX_FAILURE_MESSAGE
    ? message
    : `${message.slice(0, MAX_FAILURE_MESSAGE)}\n… (cut to ${MAX_FAILURE_MESSAGE / 1024} KB)`
}
