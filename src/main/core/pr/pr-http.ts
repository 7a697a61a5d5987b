import { rateLimitUntil } from '../ci/ci-http'

/** What one request came to, before any client library reads it. */
export interface RawResponse {
  status: number
  headers: Headers
  text: string
  /** The server answered 304 and the remembered body was handed back. */
  notModified: boolean
}

/** A request that never got an HTTP answer. */
export interface Unreachable {
  unreachable: string
}

/** How the transport behaves; tests shorten the waits. */
export interface PrHttpOptions {
  timeoutMs?: number
  /** How many URLs' ETags and bodies to remember. */
  cacheSize?: number
  /** Retries of an idempotent request after a 5xx or a dropped connection. */
  retries?: number
  /** The first wait before a retry; the n-th retry waits n² times this. */
  retryBaseMs?: number
  now?: () => number
}

/** A header the transport adds to an answer it made itself because the host's limit is spent: no request went out. */
export const HELD_HEADER = 'x-skein-held'
/** A header the transport adds to a remembered body handed back after a 304. */
export const NOT_MODIFIED_HEADER = 'x-skein-not-modified'

interface Cached {
  etag: string
  text: string
  headers: [string, string][]
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE'])

function detail(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'the request timed out'
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e)
}

/** GitHub's secondary limits may come as a 403 with requests left and no Retry-After: its docs say wait a minute. */
function secondaryLimit(status: number, text: string, now: number): number | null {
  return status === 403 && /secondary rate limit|abuse detection/i.test(text) ? now + 60_000 : null
}

/**
 * The HTTP layer under the GitHub and GitLab clients of pull and merge requests: GETs are conditional
 * (the ETag of every URL is remembered and a 304 hands back the remembered body, which GitHub does
 * not count against its limit), and once a host says its limit is spent or asks to slow down, no
 * request goes to it before the time it named. Counts what it sent, for benches.
 */
export class PrHttp {
  private readonly cache = new Map<string, Cached>()
  private readonly blocked = new Map<string, number>()
  private readonly timeoutMs: number
  private readonly cacheSize: number
  readonly retries: number
  readonly retryBaseMs: number
  private readonly now: () => number
  /** Requests that went out, and how many of them the server answered 304. */
  readonly sent = { requests: 0, notModified: 0 }

  constructor(options: PrHttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000
    this.cacheSize = options.cacheSize ?? 500
    this.retries = options.retries ?? 3
    this.retryBaseMs = options.retryBaseMs ?? 1000
    this.now = options.now ?? Date.now
  }

  /** When requests to `url`'s host may resume (ms since epoch), or null when they may go now. */
  heldUntil(url: string): number | null {
    const host = new URL(url).host
    const until = this.blocked.get(host)
    if (until === undefined) return null
    if (until > this.now()) return until
    this.blocked.delete(host)
    return null
  }

  /** Holds every request to `url`'s host until `until` (a limit learned elsewhere, e.g. by CI polling). */
  holdUntil(url: string, until: number): void {
    const host = new URL(url).host
    if (until > this.now() && until > (this.blocked.get(host) ?? 0)) this.blocked.set(host, until)
  }

  /** One request, conditional when it is a GET; a host whose limit is spent answers a made-up 429 with no request sent. */
  async send(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string | null }
  ): Promise<RawResponse | Unreachable> {
    const method = (init.method ?? 'GET').toUpperCase()
    const held = this.heldUntil(url)
    if (held !== null) return this.heldAnswer(held)
    const headers: Record<string, string> = { ...init.headers }
    const key = `${url}\n${headers.authorization ?? headers.Authorization ?? headers['private-token'] ?? ''}`
    const cached = method === 'GET' ? this.cache.get(key) : undefined
    if (cached) headers['if-none-match'] = cached.etag
    let res: Response
    try {
      this.sent.requests++
      res = await fetch(url, { method, headers, body: init.body ?? undefined, signal: AbortSignal.timeout(this.timeoutMs) })
    } catch (e) {
      return { unreachable: detail(e) }
    }
    if (res.status === 304 && cached) {
      this.sent.notModified++
      this.cache.delete(key)
      this.cache.set(key, cached)
      const replay = new Headers(cached.headers)
      replay.set(NOT_MODIFIED_HEADER, '1')
      return { status: 200, headers: replay, text: cached.text, notModified: true }
    }
    let text: string
    try {
      text = await res.text()
    } catch (e) {
      return { unreachable: detail(e) }
    }
    this.learnLimit(url, res.status, res.headers, text)
    const etag = res.headers.get('etag')
    if (method === 'GET' && res.ok && etag) this.remember(key, { etag, text, headers: [...res.headers.entries()] })
    return { status: res.status, headers: res.headers, text, notModified: false }
  }

  /**
   * `send`, retried after a 5xx or a dropped connection when the method is idempotent (a POST is
   * never sent twice here: it might have been carried out), waiting 1, 4, 9… times the base.
   */
  async sendWithRetries(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string | null }
  ): Promise<RawResponse | Unreachable> {
    const method = (init.method ?? 'GET').toUpperCase()
    for (let attempt = 0; ; attempt++) {
      const r = await this.send(url, init)
      const failed = 'unreachable' in r || r.status >= 500
      if (!failed || !IDEMPOTENT.has(method) || attempt >= this.retries) return r
      await new Promise((resolve) => setTimeout(resolve, (attempt + 1) ** 2 * this.retryBaseMs))
    }
  }

  /** A `fetch` for client libraries (Octokit): the same conditional requests and holds, as a standard Response. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const headers: Record<string, string> = {}
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v))
    const body = typeof init?.body === 'string' ? init.body : init?.body == null ? null : String(init.body)
    const r = await this.send(url, { method: init?.method ?? 'GET', headers, body })
    // Octokit turns a thrown fetch error into its own RequestError with status 500, which its retry plugin retries.
    if ('unreachable' in r) throw Object.assign(new Error(r.unreachable), { name: 'FetchError' })
    const out = new Headers(r.headers)
    out.delete('content-encoding')
    out.delete('content-length')
    return new Response(r.status === 204 || r.status === 304 ? null : r.text, { status: r.status, headers: out })
  }

  private heldAnswer(until: number): RawResponse {
    const headers = new Headers({
      'content-type': 'application/json',
      'retry-after': String(Math.max(1, Math.ceil((until - this.now()) / 1000))),
      [HELD_HEADER]: '1'
    })
    return { status: 429, headers, text: JSON.stringify({ message: 'Skein is waiting for the rate limit to reset.' }), notModified: false }
  }

  private learnLimit(url: string, status: number, headers: Headers, text: string): void {
    const now = this.now()
    const until = rateLimitUntil(status, headers, now) ?? secondaryLimit(status, text, now)
    if (until !== null) return this.holdUntil(url, until)
    // A success that spent the last request still carries good data; only the next ones wait.
    const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining')
    const reset = Number(headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset'))
    if (status < 400 && remaining !== null && Number(remaining) === 0 && reset > 0) this.holdUntil(url, reset * 1000)
  }

  private remember(key: string, entry: Cached): void {
    this.cache.delete(key)
    this.cache.set(key, entry)
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!)
  }
}

/** When a failed answer says requests may resume: rate limits (429, a spent 403, a secondary limit) and answers held back. */
export function limitedUntil(status: number, headers: Headers, text: string, now: number): number | null {
  return rateLimitUntil(status, headers, now) ?? secondaryLimit(status, text, now)
}
