import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** A fresh random token for one browser-mode session. */
export const newToken = (): string => randomBytes(24).toString('base64url')

const COOKIE = 'skein_token'

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The token a request carries in `?token=` or in the session cookie set after the first visit. */
export function requestToken(req: IncomingMessage): { token: string | null; fromQuery: boolean } {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const q = url.searchParams.get('token')
  if (q) return { token: q, fromQuery: true }
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE}=`))
  return { token: cookie ? decodeURIComponent(cookie.slice(COOKIE.length + 1)) : null, fromQuery: false }
}

/** True when the request carries the right token. */
export function isAuthorized(req: IncomingMessage, expected: string): boolean {
  const { token } = requestToken(req)
  return token !== null && same(token, expected)
}

/** The Set-Cookie header that lets the page load its assets after the first, token-carrying request. */
export const tokenCookie = (token: string): string => `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`

/** Refuses requests whose Host is not the loopback address we bound (DNS-rebinding guard). */
export function isAllowedHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? ''
  return (
    [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host) ||
    (req.socket.localAddress !== '127.0.0.1' && req.socket.localAddress !== '::1')
  )
}

/**
 * The page a request without the right token gets: how to open Skein with a working link.
 * Static text only (no script), so the strict CSP holds and nothing about the core leaks.
 */
export const NO_TOKEN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Skein: open it with its link</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f2f2f2;padding:0 .25rem;border-radius:3px}</style>
</head><body>
<h1>Open Skein with its link</h1>
<p>This page needs the token that comes with Skein's address, and this request did not carry the
right one (the link may be incomplete, or it came from another Skein).</p>
<p>To get a working link:</p>
<ul>
<li>run <code>skein open THREAD</code> (or <code>skein</code> in a repository) in a terminal, and open the link it prints, or</li>
<li>open the full URL that <code>npm run serve</code> (or <code>skein serve</code>) printed when it started: it ends in <code>?token=…</code>.</li>
</ul>
<p>The token is kept in <code>SKEIN_HOME/browser-token</code>, so links stay valid after Skein restarts.</p>
</body></html>
`
