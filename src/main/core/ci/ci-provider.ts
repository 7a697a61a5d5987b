import type { z } from 'zod'
import type { CiCheck, CiProblem, RemoteProviderKind } from '../../../shared/ci'
import { err, ok, type Result } from '../../../shared/result'
import type { HttpFailure, StreamOutcome } from './ci-http'

/** The checks of one pushed commit, as a hosted CI service reports them. */
export interface RemoteChecks {
  commit: string
  checks: CiCheck[]
}

/** A hosted CI service, asked about one repository. Every failure is a CiProblem value. */
export interface CiProvider {
  readonly kind: RemoteProviderKind
  /** The checks of `sha` on `branch`. */
  checks(ref: { sha: string; branch: string }): Promise<Result<RemoteChecks, CiProblem>>
  /** A check's log as a stream of bytes. */
  log(checkId: string): Promise<Result<AsyncIterable<Uint8Array>, CiProblem>>
}

/** The words a provider uses in its problem messages. */
export interface ProblemWords {
  /** "GitHub" or "GitLab". */
  service: string
  /** The API's host, for "cannot reach …". */
  host: string
  /** How to get a token, e.g. "Set GITHUB_TOKEN or run `gh auth login`". */
  tokenHint: string
  /** What a 403 usually means and how to fix it. */
  forbiddenHint: string
}

const fmtTime = (ms: number): string => {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/** The rate-limited problem, with the time requests resume. */
export const rateLimited = (service: string, until: number): CiProblem => ({
  kind: 'rate-limited',
  message: `${service} rate-limited Skein until ${fmtTime(until)}. The checks shown may be out of date; Skein asks again then.`,
  until
})

/** The missing-token problem. */
export const noToken = (w: ProblemWords): CiProblem => ({
  kind: 'no-token',
  message: `Skein has no ${w.service} token to read CI with. ${w.tokenHint}.`
})

/**
 * Turns an HTTP outcome other than success into a problem. 404 and 422 are left to the caller
 * (they mean "no such repository" or "not pushed" depending on the request), except as a fallback.
 */
export function problemFor(o: HttpFailure, w: ProblemWords): CiProblem {
  switch (o.kind) {
    case 'rate-limited':
      return rateLimited(w.service, o.until)
    case 'unreachable':
      return { kind: 'unreachable', message: `Cannot reach ${w.host} (${o.detail}). Check your network connection; Skein will try again.` }
    case 'malformed':
      return {
        kind: 'malformed',
        message: `${w.service} sent an answer Skein cannot read (${o.detail}). Skein will try again; if it persists, check the CI provider URL in the repository's settings.`
      }
    case 'http-error':
      if (o.status === 401)
        return { kind: 'unauthorized', message: `${w.service} rejected the token (401). ${w.tokenHint} with a valid token.` }
      if (o.status === 403) return { kind: 'forbidden', message: `${w.service} refused access (403). ${w.forbiddenHint}` }
      if (o.status === 404)
        return {
          kind: 'repo-not-found',
          message: `${w.service} found no such repository, or the token cannot see it (404). Check the remote URL and the token's access.`
        }
      if (o.status >= 500)
        return { kind: 'unreachable', message: `${w.service} is having trouble (HTTP ${o.status}). Skein will try again.` }
      return {
        kind: 'malformed',
        message: `${w.service} answered HTTP ${o.status}${o.text ? `: ${o.text.slice(0, 200)}` : ''}. Skein will try again.`
      }
  }
}

/** Validates a successful body; a wrong shape is a 'malformed' problem naming the first bad field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string, w: ProblemWords): Result<T, CiProblem> {
  const parsed = schema.safeParse(body)
  if (parsed.success) return ok(parsed.data)
  const issue = parsed.error.issues[0]
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
  return err(problemFor({ kind: 'malformed', detail: `${what}: ${issue?.message ?? 'unexpected shape'}${where}` }, w))
}

/** The `rel="next"` URL of a Link header. */
export function nextLink(link: string | null): string | null {
  if (!link) return null
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim())
    if (m && m[2]!.split(/\s+/).includes('next')) return m[1]!
  }
  return null
}

/** A streamed log, or the problem with fetching it. */
export function logOutcome(o: StreamOutcome, w: ProblemWords, goneMessage: string): Result<AsyncIterable<Uint8Array>, CiProblem> {
  if (o.kind === 'ok') return ok(o.body)
  if (o.kind === 'http-error' && (o.status === 404 || o.status === 410)) return err({ kind: 'repo-not-found', message: goneMessage })
  return err(problemFor(o, w))
}

/** Caches a token source's answer; `forget` after a 401 so a fresh login is picked up. */
export class CachedToken<T = string> {
  private value: Promise<T | null> | null = null
  constructor(private readonly source: () => Promise<T | null>) {}

  /** The token, looked up once. */
  get(): Promise<T | null> {
    this.value ??= this.source().then((t) => {
      if (!t) this.value = null
      return t
    })
    return this.value
  }

  /** Forgets the token so the next call looks again. */
  forget(): void {
    this.value = null
  }
}

/** Shortens a commit for messages. */
export const short = (sha: string): string => sha.slice(0, 7)
