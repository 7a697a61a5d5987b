/** What one API request came to: an answer with a status (any), or no answer at all. */
export type ApiAnswer = { kind: 'answer'; status: number; body: unknown; text: string } | { kind: 'unreachable'; detail: string }

/** Sends a JSON request (GET, PUT) and reads the answer; never throws. */
export async function requestJson(
  method: 'GET' | 'PUT',
  url: string,
  headers: Record<string, string>,
  body?: unknown,
  timeoutMs = 20_000
): Promise<ApiAnswer> {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs)
    })
    const text = await res.text()
    let parsed: unknown = null
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      // Not JSON (a proxy's error page): the status and the text still say what happened.
    }
    return { kind: 'answer', status: res.status, body: parsed, text }
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause
    return { kind: 'unreachable', detail: (e as Error).name === 'TimeoutError' ? 'the request timed out' : (cause?.code ?? String(e)) }
  }
}

/** The `message` a GitHub or GitLab error body carries, else the start of its text. */
export function answerMessage(a: { body: unknown; text: string }): string {
  const m = (a.body as { message?: unknown } | null)?.message
  if (typeof m === 'string') return m
  if (Array.isArray(m)) return m.join('; ')
  return a.text.slice(0, 200)
}
