import { z } from 'zod'

/** Where a check comes from: a hosted CI service, or a command Skein ran in the worktree. */
export const CiProviderKind = z.enum(['github', 'gitlab', 'local'])
/** Where a check comes from. */
export type CiProviderKind = z.infer<typeof CiProviderKind>

/** The hosted CI services Skein reads. */
export const RemoteProviderKind = z.enum(['github', 'gitlab'])
/** A hosted CI service. */
export type RemoteProviderKind = z.infer<typeof RemoteProviderKind>

/** A per-repository choice of CI service, for GitHub Enterprise and self-hosted GitLab. */
export const CiProviderOverride = z.object({
  provider: RemoteProviderKind,
  /** GitHub Enterprise: `https://host/api/v3`; self-hosted GitLab: `https://host`. Default: the public service. */
  baseUrl: z.string().url().optional()
})
/** A per-repository choice of CI service. */
export type CiProviderOverride = z.infer<typeof CiProviderOverride>

/** One check's state, the same words for every provider; `unknown` is a state the provider named that Skein does not know. */
export const CiCheckState = z.enum(['queued', 'running', 'passed', 'failed', 'cancelled', 'skipped', 'neutral', 'unknown'])
/** One check's state. */
export type CiCheckState = z.infer<typeof CiCheckState>

/** One check: a GitHub check run or commit status, a GitLab job, or a local run. */
export const CiCheck = z.object({
  /** Unique within a thread's status, e.g. `gh-run:123`, `gh-status:ci/lint`, `gl-job:9`, `local:r1`. */
  id: z.string(),
  name: z.string(),
  provider: CiProviderKind,
  state: CiCheckState,
  startedAt: z.number().nullable(),
  completedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  /** Where to see it on the provider's site; null for local runs. */
  url: z.string().nullable(),
  /** Whether `ci/log` can fetch its output. */
  hasLog: z.boolean(),
  /** A short note: the provider's description, a failure reason, "allowed to fail". */
  detail: z.string().optional()
})
/** One check. */
export type CiCheck = z.infer<typeof CiCheck>

/** The thread's CI at a glance; `unknown` when a check's state is unknown and nothing else is pending or failed. */
export const CiOverall = z.enum(['pending', 'running', 'passed', 'failed', 'unknown', 'none'])
/** The thread's CI at a glance. */
export type CiOverall = z.infer<typeof CiOverall>

/** Why Skein cannot show (fresh) CI for a thread. */
export const CiProblemKind = z.enum([
  'no-token',
  'unauthorized',
  'forbidden',
  'repo-not-found',
  'not-pushed',
  'unreachable',
  'malformed',
  'rate-limited',
  'no-provider'
])
/** Why Skein cannot show (fresh) CI for a thread. */
export type CiProblemKind = z.infer<typeof CiProblemKind>

/** A problem reading CI, with a sentence a person can act on. */
export const CiProblem = z.object({
  kind: CiProblemKind,
  message: z.string(),
  /** For rate limits: when requests may be made again (ms since epoch). */
  until: z.number().optional()
})
/** A problem reading CI. */
export type CiProblem = z.infer<typeof CiProblem>

/** A thread's CI status as every client sees it (the `ci/updated` notification's payload). */
export const CiStatus = z.object({
  threadId: z.string(),
  overall: CiOverall,
  /** The hosted service the repository's remote points at; null when there is none Skein knows. */
  provider: RemoteProviderKind.nullable(),
  /** The pushed commit the remote checks belong to. */
  commit: z.string().nullable(),
  /** Remote checks (kept from the last good answer while a problem lasts), then local runs. */
  checks: z.array(CiCheck),
  problem: CiProblem.nullable(),
  rateLimitedUntil: z.number().nullable(),
  updatedAt: z.number()
})
/** A thread's CI status. */
export type CiStatus = z.infer<typeof CiStatus>

/** A local check run's state. */
export const LocalRunState = z.enum(['running', 'passed', 'failed', 'cancelled'])
/** A local check run's state. */
export type LocalRunState = z.infer<typeof LocalRunState>

/** A check command Skein ran in a thread's worktree. */
export const LocalRun = z.object({
  id: z.string(),
  threadId: z.string(),
  command: z.string(),
  state: LocalRunState,
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  exitCode: z.number().nullable(),
  /** HEAD when the run started; null outside a git checkout. */
  commit: z.string().nullable(),
  /** Whether the worktree had uncommitted changes when the run started. */
  dirty: z.boolean(),
  logPath: z.string(),
  /** Why it failed when the exit code alone does not say, e.g. "command not found: foo". */
  detail: z.string().nullable()
})
/** A local check run. */
export type LocalRun = z.infer<typeof LocalRun>

/** A check command Skein found in a repository and offers to run. */
export const SuggestedCheck = z.object({
  command: z.string(),
  /** Where it was found, e.g. `package.json script "test"`, `Makefile target check`. */
  source: z.string()
})
/** A suggested check command. */
export type SuggestedCheck = z.infer<typeof SuggestedCheck>

/** A run of consecutive log lines; `startLine` is the 1-based line number of the first. */
export const LogSegment = z.object({ startLine: z.number(), lines: z.array(z.string()) })
/** A run of consecutive log lines. */
export type LogSegment = z.infer<typeof LogSegment>

/** A check's log, whole when small, else the first error's context and the tail. */
export const CiLog = z.object({
  checkId: z.string(),
  name: z.string(),
  segments: z.array(LogSegment),
  totalLines: z.number(),
  /** 1-based line of the first line that looks like an error; null when none does. */
  firstErrorLine: z.number().nullable(),
  /** Whether lines were left out. */
  truncated: z.boolean()
})
/** A check's log. */
export type CiLog = z.infer<typeof CiLog>

/** The marker shown where lines were left out of a log. */
export const omittedMarker = (count: number): string => `… ${count} line${count === 1 ? '' : 's'} omitted …`

/** Joins log segments into text, with an omitted-lines marker at every gap. */
export function renderLogSegments(segments: readonly LogSegment[], totalLines: number): string {
  const out: string[] = []
  let next = 1
  for (const s of segments) {
    if (s.startLine > next) out.push(omittedMarker(s.startLine - next))
    out.push(...s.lines)
    next = s.startLine + s.lines.length
  }
  if (totalLines >= next && segments.length > 0) out.push(omittedMarker(totalLines - next + 1))
  return out.join('\n')
}
