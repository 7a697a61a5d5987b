/** What one GET came to. Every outcome is a value; nothing throws. */
export type HttpOutcome =
  | { kind: 'ok'; status: number; body: unknown; headers: Headers; notModified: boolean }
  | { kind: 'http-error'; status: number; headers: Headers; text: string }
  | { kind: 'rate-limited'; until: number }
  | { kind: 'unreachable'; detail: string }
  | { kind: 'malformed'; detail: string }

/** Any outcome but success. */
export type HttpFailure = Exclude<HttpOutcome, { kind: 'ok' }>

/** A streamed response body (a log), or why there is none. */
export type StreamOutcome = { kind: 'ok'; body: AsyncIterable<Uint8Array> } | HttpFailure

/** Options for a CI HTTP client. */
export interface CiHttpOptions {
  /** Per-request timeout. */
  timeoutMs?: number
  /** Timeout for a whole streamed download (a log can be large). */
  streamTimeoutMs?: number
  /** How many URLs' ETags and bodies to remember. */
  cacheSize?: number
  now?: () => number
}

interface Cached {
  etag: string
  body: unknown
  headers: Headers
}

const num = (v: string | null): number | null => (v === null || v.trim() === '' || Number.isNaN(Number(v)) ? null : Number(v))

// GitHub's secondary rate limits answer 403 (or 429) with requests left in the primary budget and
// say so only in the body; older servers call it "abuse detection".
const SECONDARY_LIMIT = /secondary rate limit|abuse detection/i

/**
 * When the server says requests may be made again, if this response is a rate limit: 429, or 403
 * with no requests left, a Retry-After, or a body naming a secondary rate limit. Handles GitHub's
 * `x-ratelimit-*` and GitLab's `RateLimit-*` headers (reset in epoch seconds). As GitHub asks: wait
 * for Retry-After, else for the reset when no requests are left, else at least a minute.
 */
export function rateLimitUntil(status: number, headers: Headers, now: number, body = ''): number | null {
  const remaining = num(headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining'))
  const retryAfter = headers.get('retry-after')
  const limited = status === 429 || (status === 403 && (remaining === 0 || retryAfter !== null || SECONDARY_LIMIT.test(body)))
  if (!limited) return null
  if (retryAfter !== null) {
    const secs = num(retryAfter)
    const at = secs !== null ? now + secs * 1000 : Date.parse(retryAfter)
    if (!Number.isNaN(at)) return Math.max(at, now)
  }
  // A reset time is about the primary budget: it says when to retry only once that budget is spent.
  const reset = num(headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset'))
  return reset !== null && remaining !== null && remaining <= 0 ? Math.max(reset * 1000, now) : now + 60_000
}

/** A budget already spent on a successful response: requests may resume at the reset time. */
function exhaustedUntil(headers: Headers): number | null {
  const remaining = num(headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining'))
  const reset = num(headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset'))
  return remaining === 0 && reset !== null ? reset * 1000 : null
}

function networkDetail(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'the request timed out'
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e)
}

/**
 * GET on the global fetch with conditional requests: the ETag of every URL is remembered and sent
 * as If-None-Match, and a 304 hands back the remembered body (GitHub does not count a 304 against
 * the rate limit). Once a host says its limit is spent, no request goes out before the reset.
 */
export class CiHttp {
  private readonly cache = new Map<string, Cached>()
  private readonly blockedUntil = new Map<string, number>()
  private readonly timeoutMs: number
  private readonly streamTimeoutMs: number
  private readonly cacheSize: number
  /** The clock rate limits are measured against (a manual one in tests and benches). */
  readonly now: () => number

  constructor(options: CiHttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000
    this.streamTimeoutMs = options.streamTimeoutMs ?? 300_000
    this.cacheSize = options.cacheSize ?? 500
    this.now = options.now ?? Date.now
  }

  /** GETs JSON. */
  async getJson(url: string, headers: Record<string, string>): Promise<HttpOutcome> {
    const blocked = this.blocked(url)
    if (blocked) return blocked
    const cached = this.cache.get(url)
    const res = await this.send(url, cached ? { ...headers, 'If-None-Match': cached.etag } : headers)
    if (!('status' in res)) return res
    if (res.status === 304 && cached) {
      // Most recently used goes last, so the oldest is evicted first.
      this.cache.delete(url)
      this.cache.set(url, cached)
      return { kind: 'ok', status: 304, body: cached.body, headers: cached.headers, notModified: true }
    }
    const text = await res.text().catch((e: unknown) => ({ error: networkDetail(e) }))
    if (typeof text !== 'string') return { kind: 'unreachable', detail: text.error }
    const limited = this.limited(url, res, text)
    if (limited) return limited
    if (res.status < 200 || res.status >= 300) return { kind: 'http-error', status: res.status, headers: res.headers, text }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return { kind: 'malformed', detail: `${url} did not answer with JSON` }
    }
    const etag = res.headers.get('etag')
    if (etag) this.remember(url, { etag, body, headers: res.headers })
    return { kind: 'ok', status: res.status, body, headers: res.headers, notModified: false }
  }

  /**
   * GETs a body as a stream. A redirect is followed by hand without the credentials, because a log
   * redirect points at a pre-signed storage URL that must not receive the API token.
   */
  async stream(url: string, headers: Record<string, string>): Promise<StreamOutcome> {
    const blocked = this.blocked(url)
    if (blocked) return blocked
    let res = await this.send(url, headers, 'manual', this.streamTimeoutMs)
    for (let hops = 0; 'status' in res && res.status >= 300 && res.status < 400 && hops < 5; hops++) {
      const location = res.headers.get('location')
      await res.body?.cancel().catch(() => undefined)
      if (!location) return { kind: 'malformed', detail: `${url} redirected without a location` }
      res = await this.send(new URL(location, url).toString(), {}, 'manual', this.streamTimeoutMs)
    }
    if (!('status' in res)) return res
    if (res.status < 200 || res.status >= 300) {
      const text = await res.text().catch(() => '')
      return this.limited(url, res, text) ?? { kind: 'http-error', status: res.status, headers: res.headers, text }
    }
    this.limited(url, res)
    if (!res.body) return { kind: 'ok', body: (async function* () {})() }
    return { kind: 'ok', body: res.body as unknown as AsyncIterable<Uint8Array> }
  }

  private async send(
    url: string,
    headers: Record<string, string>,
    redirect: 'follow' | 'manual' | 'error' = 'follow',
    timeoutMs = this.timeoutMs
  ): Promise<Response | { kind: 'unreachable'; detail: string }> {
    try {
      return await fetch(url, { headers, redirect, signal: AbortSignal.timeout(timeoutMs) })
    } catch (e) {
      return { kind: 'unreachable', detail: networkDetail(e) }
    }
  }

  private limited(url: string, res: Response, text = ''): { kind: 'rate-limited'; until: number } | null {
    const now = this.now()
    const host = new URL(url).host
    const until = rateLimitUntil(res.status, res.headers, now, text)
    if (until !== null) {
      if (until > now) this.blockedUntil.set(host, until)
      return { kind: 'rate-limited', until }
    }
    // A 200 that spent the last request still carries good data; only the next ones must wait.
    const spent = res.ok ? exhaustedUntil(res.headers) : null
    if (spent !== null && spent > now) this.blockedUntil.set(host, spent)
    return null
  }

  private blocked(url: string): { kind: 'rate-limited'; until: number } | null {
    const host = new URL(url).host
    const until = this.blockedUntil.get(host)
    if (until === undefined) return null
    if (until > this.now()) return { kind: 'rate-limited', until }
    this.blockedUntil.delete(host)
    return null
  }

  private remember(url: string, entry: Cached): void {
    this.cache.delete(url)
    this.cache.set(url, entry)
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!)
  }
}
