import { z } from 'zod'
import type { CiCheck } from '../../../shared/ci'
import { durationOf, gitlabState, parseTime, readsBetterThan, worseState } from './check-states'

/** A pipeline as GitLab's pipelines, merge request and bridge APIs describe it (the fields Skein reads). */
export const GitlabPipeline = z.object({
  id: z.number(),
  status: z.string(),
  ref: z.string().nullish(),
  sha: z.string(),
  source: z.string().nullish(),
  web_url: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  started_at: z.string().nullish(),
  finished_at: z.string().nullish()
})
/** A pipeline. */
export type GitlabPipeline = z.infer<typeof GitlabPipeline>

const jobFields = {
  id: z.number(),
  name: z.string(),
  stage: z.string().nullish(),
  status: z.string(),
  allow_failure: z.boolean().nullish(),
  started_at: z.string().nullish(),
  finished_at: z.string().nullish(),
  duration: z.number().nullish(),
  web_url: z.string().nullish()
}

/** A job of a pipeline (`/pipelines/:id/jobs`). */
export const GitlabJob = z.object({ ...jobFields, failure_reason: z.string().nullish() })
/** A job. */
export type GitlabJob = z.infer<typeof GitlabJob>

/** A trigger job (`/pipelines/:id/bridges`), with the downstream pipeline it started, if any yet. */
export const GitlabBridge = z.object({
  ...jobFields,
  downstream_pipeline: z
    .object({ id: z.number(), status: z.string(), sha: z.string().nullish(), ref: z.string().nullish(), web_url: z.string().nullish() })
    .nullish()
})
/** A trigger job. */
export type GitlabBridge = z.infer<typeof GitlabBridge>

/** A merge request as the project's merge request list gives it. */
export const GitlabMergeRequest = z.object({
  iid: z.number(),
  state: z.string(),
  source_branch: z.string(),
  sha: z.string().nullish(),
  web_url: z.string().nullish()
})

/** A single merge request (`/merge_requests/:iid`), with the pipeline GitLab runs for its current head. */
export const GitlabMergeRequestDetail = GitlabMergeRequest.extend({
  head_pipeline: GitlabPipeline.nullish(),
  diff_refs: z.object({ head_sha: z.string().nullish() }).nullish()
})
/** A single merge request. */
export type GitlabMergeRequestDetail = z.infer<typeof GitlabMergeRequestDetail>

const named = (j: { name: string; stage?: string | null }, suffix: string) => `${j.stage ? `${j.stage}: ${j.name}` : j.name}${suffix}`

/** A GitLab job as a CiCheck. A job that started has a trace. `suffix` tells apart the jobs of a second pipeline. */
export function checkFromJob(j: GitlabJob, suffix = ''): CiCheck {
  const mapped = gitlabState(j.status, j.allow_failure ?? false)
  const startedAt = parseTime(j.started_at)
  const completedAt = parseTime(j.finished_at)
  const detail = [mapped.detail, j.failure_reason?.replace(/_/g, ' ')].filter(Boolean).join('; ')
  return {
    id: `gl-job:${j.id}`,
    name: named(j, suffix),
    provider: 'gitlab',
    state: mapped.state,
    startedAt,
    completedAt,
    durationMs: typeof j.duration === 'number' ? Math.round(j.duration * 1000) : durationOf(startedAt, completedAt),
    url: j.web_url ?? null,
    hasLog: startedAt !== null,
    ...(detail ? { detail } : {})
  }
}

/**
 * A trigger job as a CiCheck: the worse of its own status and its downstream pipeline's, since a
 * trigger without `strategy: depend` passes as soon as the downstream pipeline is created.
 */
export function checkFromBridge(b: GitlabBridge, suffix = ''): CiCheck {
  const own = gitlabState(b.status, b.allow_failure ?? false)
  const down = b.downstream_pipeline
  const downstream = down ? gitlabState(down.status, b.allow_failure ?? false) : null
  const mapped = downstream ? worseState(own, downstream) : own
  const startedAt = parseTime(b.started_at)
  const completedAt = parseTime(b.finished_at)
  const detail = [mapped.detail, down ? `downstream pipeline #${down.id} ${down.status.replace(/_/g, ' ')}` : null]
    .filter(Boolean)
    .join('; ')
  return {
    id: `gl-bridge:${b.id}`,
    name: named(b, suffix),
    provider: 'gitlab',
    state: mapped.state,
    startedAt,
    completedAt,
    durationMs: typeof b.duration === 'number' ? Math.round(b.duration * 1000) : durationOf(startedAt, completedAt),
    url: down?.web_url ?? b.web_url ?? null,
    hasLog: false,
    ...(detail ? { detail } : {})
  }
}

/** A pipeline as one CiCheck: for a pipeline without jobs (e.g. a configuration error), or one that reads worse than its jobs. */
export function checkFromPipeline(p: GitlabPipeline, suffix = '', note?: string): CiCheck {
  const mapped = gitlabState(p.status)
  const startedAt = parseTime(p.started_at ?? p.created_at)
  const completedAt = parseTime(p.finished_at)
  const detail = [mapped.detail, note].filter(Boolean).join('; ')
  return {
    id: `gl-pipeline:${p.id}`,
    name: `pipeline${suffix}`,
    provider: 'gitlab',
    state: mapped.state,
    startedAt,
    completedAt,
    durationMs: durationOf(startedAt, completedAt),
    url: p.web_url ?? null,
    hasLog: false,
    ...(detail ? { detail } : {})
  }
}

/** Whether a pipeline's own status reads worse than the checks Skein built from its jobs and trigger jobs. */
export const pipelineReadsWorse = (checks: readonly CiCheck[], p: GitlabPipeline): boolean =>
  readsBetterThan(checks, gitlabState(p.status).state)

/** A pipeline's checks, with the pipeline itself added when its own status reads worse than they do. */
export function withPipelineFloor(checks: CiCheck[], p: GitlabPipeline, suffix = ''): CiCheck[] {
  if (!pipelineReadsWorse(checks, p)) return checks
  const note = checks.length > 0 ? `GitLab reports the pipeline ${p.status.replace(/_/g, ' ')}` : undefined
  return [...checks, checkFromPipeline(p, suffix, note)]
}
