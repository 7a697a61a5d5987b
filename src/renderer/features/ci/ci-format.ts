import type {
  CiCheck,
  CiCheckState,
  CiOverall,
  CiProblem,
  CiProblemKind,
  CiProviderKind,
  CiStatus,
  LocalRunState
} from '../../../shared/ci'

/** The words for a thread's CI at a glance. */
export const overallLabels: Record<CiOverall, string> = {
  pending: 'Pending',
  running: 'Running',
  passed: 'Passed',
  failed: 'Failed',
  unknown: 'Unknown',
  none: 'No checks'
}

/** The words for one check's state. */
export const checkStateLabels: Record<CiCheckState, string> = {
  queued: 'Queued',
  running: 'Running',
  passed: 'Passed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  neutral: 'Neutral',
  unknown: 'Unknown'
}

/** The name of each CI service, as a person writes it. */
export const providerNames: Record<CiProviderKind, string> = { github: 'GitHub', gitlab: 'GitLab', local: 'Local' }

/** A commit as shown: its first 7 characters. */
export const shortSha = (sha: string): string => sha.slice(0, 7)

/** "4s", "1m 05s", "2h 03m". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`
}

/** How long a check took, or has taken so far while it runs; null when unknown. */
export function checkDuration(check: Pick<CiCheck, 'state' | 'startedAt' | 'durationMs'>, now: number): number | null {
  if (check.durationMs !== null) return check.durationMs
  if ((check.state === 'running' || check.state === 'queued') && check.startedAt !== null) return Math.max(0, now - check.startedAt)
  return null
}

const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
const clockTimeSeconds = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })

/** "14:05" (24-hour, as the core's own messages say it). */
export const formatClock = (timestamp: number): string => clockTime.format(timestamp)

/** "14:05:09" (24-hour). */
export const formatClockSeconds = (timestamp: number): string => clockTimeSeconds.format(timestamp)

/** A short heading for each problem; the core's message says the rest. */
export function problemTitle(problem: CiProblem): string {
  const titles: Record<CiProblemKind, string> = {
    'no-token': 'No token',
    unauthorized: 'Token rejected',
    forbidden: 'Access refused',
    'repo-not-found': 'Repository not found',
    'not-pushed': 'Branch not pushed',
    unreachable: 'CI service unreachable',
    malformed: 'Unreadable answer',
    'rate-limited': problem.until ? `Rate-limited until ${formatClock(problem.until)}` : 'Rate-limited',
    'no-provider': 'No CI provider'
  }
  return titles[problem.kind]
}

/** Problems that stop CI from working until the person acts (shown as errors, not notes). */
export const isBlockingProblem = (kind: CiProblemKind): boolean =>
  kind === 'no-token' || kind === 'unauthorized' || kind === 'forbidden' || kind === 'repo-not-found'

/** The colour family of a thread's CI dot: its overall state, or "problem" when CI cannot be read at all. */
export type CiTone = CiOverall | 'problem'

/** The dot's colour family for a status. */
export function ciTone(status: CiStatus): CiTone {
  if (status.overall === 'none' && status.problem && status.problem.kind !== 'not-pushed') return 'problem'
  return status.overall
}

/** The tooltip of a thread's CI dot: state, failing checks, commit, or the problem. */
export function ciTooltip(status: CiStatus): string {
  if (status.overall === 'none') return status.problem ? `CI: ${problemTitle(status.problem)}` : 'CI: no checks yet'
  const failing = status.checks.filter((c) => c.state === 'failed' || c.state === 'cancelled').map((c) => c.name)
  const on = status.commit ? ` on ${shortSha(status.commit)}` : ''
  const which = failing.length ? `: ${failing.slice(0, 3).join(', ')}${failing.length > 3 ? ` and ${failing.length - 3} more` : ''}` : ''
  const problem = status.problem ? ` (${problemTitle(status.problem)})` : ''
  return `CI ${overallLabels[status.overall].toLowerCase()}${which}${on}${problem}`
}

/** A local run's state in a check's words. */
export const runStateLabel = (state: LocalRunState): string => checkStateLabels[state]
