/**
 * A scripted stand-in for the Anthropic Messages API on 127.0.0.1.
 *
 * It answers POST /v1/messages the way the real API does — JSON for `stream: false`, and for
 * `stream: true` the SSE protocol: `message_start`, `ping`, then per content block
 * `content_block_start` / `content_block_delta` (`text_delta` or `input_json_delta`) /
 * `content_block_stop`, then `message_delta` (stop_reason, usage) and `message_stop`; each framed
 * as `event: <type>\ndata: <json>\n\n`. Errors are `{ type: 'error', error: { type, message },
 * request_id }` with the HTTP status. The real `@anthropic-ai/sdk` works against it unchanged:
 * `new Anthropic({ apiKey, baseURL: server.url })`.
 *
 * Responses come from a queue of steps (`push`), then from `respond`, then a default short 'ok'.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { randomBytes } from 'node:crypto'

export interface ScriptedToolUse {
  id?: string
  name: string
  input: Record<string, unknown>
}
export interface ScriptedStep {
  status?: number // non-200: send a JSON error body of the matching type instead of a stream
  headers?: Record<string, string> // e.g. { 'retry-after': '1' }
  text?: string // assistant text, streamed as text_delta chunks
  chunkSize?: number // characters per text_delta (default 8)
  delayMs?: number // pause between SSE events (default 2)
  toolUses?: ScriptedToolUse[] // tool_use blocks after the text, input streamed as input_json_delta pieces
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' // default: 'tool_use' when toolUses given, else 'end_turn'
  usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number }
  dropAfterEvents?: number // destroy the socket after this many SSE events (a dropped stream)
  slow?: boolean // stream the text very slowly (one chunk per 200 ms) — for interrupt tests; stop when the client disconnects
}
export interface RecordedRequest {
  headers: Record<string, string | string[] | undefined>
  body: any
}
export interface ModelServer {
  url: string // e.g. http://127.0.0.1:PORT (no trailing slash) — pass as the SDK's baseURL / ANTHROPIC_BASE_URL
  requests: RecordedRequest[] // every request received, in order
  push(...steps: ScriptedStep[]): void // queue responses, used in order
  close(): Promise<void>
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error'
}

const ERROR_MESSAGES: Record<string, string> = {
  invalid_request_error: 'Invalid request.',
  authentication_error: 'invalid x-api-key',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'Not found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  api_error: 'Internal server error.',
  overloaded_error: 'Overloaded'
}

/** The API's error type for an HTTP status (unknown 5xx → api_error, other 4xx → invalid_request_error). */
export function errorTypeForStatus(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error')
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
function makeId(prefix: string): string {
  const bytes = randomBytes(24)
  let s = prefix + '01'
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length]
  return s
}

function chunks(s: string, size: number): string[] {
  const out: string[] = []
  const n = Math.max(1, Math.floor(size))
  // Split on code points so a surrogate pair never straddles two deltas.
  const cps = Array.from(s)
  for (let i = 0; i < cps.length; i += n) out.push(cps.slice(i, i + n).join(''))
  return out
}

/**
 * The key a request carries: `x-api-key`, or else `Authorization: Bearer <key>` — @anthropic-ai/sdk 1.x
 * sends its `apiKey` option as a bearer token, not as x-api-key.
 */
function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers['x-api-key']
  if (typeof header === 'string') return header
  const auth = req.headers.authorization
  const m = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth) : null
  return m?.[1]
}

function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4))
}

export function startModelServer(
  options: {
    steps?: ScriptedStep[]
    /** Used when the queue is empty: decide from the request (e.g. the last user message). Default: a short 'ok' text. */
    respond?: (body: any, index: number) => ScriptedStep
    /**
     * If set, requests whose x-api-key header differs get a 401 authentication_error. A request without
     * x-api-key is judged by `Authorization: Bearer <key>`, which is how @anthropic-ai/sdk 1.x sends `apiKey`.
     */
    apiKey?: string
  } = {}
): Promise<ModelServer> {
  const queue: ScriptedStep[] = [...(options.steps ?? [])]
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  let closed: Promise<void> | undefined

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      // A bug in a scripted `respond` or a write to a gone socket: answer 500 if still possible.
      if (!res.headersSent && !res.destroyed) sendError(res, 500, { message: String(err?.message ?? err) })
      else res.destroy()
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function readBody(req: IncomingMessage): Promise<string> {
    const parts: Buffer[] = []
    for await (const part of req) parts.push(part as Buffer)
    return Buffer.concat(parts).toString('utf8')
  }

  function baseHeaders(extra?: Record<string, string>): Record<string, string> {
    return { 'request-id': makeId('req_'), ...(extra ?? {}) }
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
    const data = JSON.stringify(body)
    res.writeHead(status, {
      ...baseHeaders(headers),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(data)
    })
    res.end(data)
  }

  function sendError(res: ServerResponse, status: number, step: { headers?: Record<string, string>; message?: string }): void {
    const type = errorTypeForStatus(status)
    const headers = baseHeaders(step.headers)
    sendJson(
      res,
      status,
      {
        type: 'error',
        error: { type, message: step.message ?? ERROR_MESSAGES[type] ?? 'Error' },
        request_id: headers['request-id']
      },
      headers
    )
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    let body: any = undefined
    let parseError = false
    if (raw) {
      try {
        body = JSON.parse(raw)
      } catch {
        parseError = true
        body = raw
      }
    }
    const index = requests.length
    requests.push({ headers: { ...req.headers }, body })

    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'POST' || path !== '/v1/messages') {
      return sendError(res, 404, { message: `${req.method} ${path} is not served by the scripted model server` })
    }
    if (options.apiKey !== undefined && presentedKey(req) !== options.apiKey) {
      return sendError(res, 401, { message: 'invalid x-api-key' })
    }
    if (parseError || typeof body !== 'object' || body === null) {
      return sendError(res, 400, { message: 'The request body is not valid JSON.' })
    }

    const step: ScriptedStep = queue.shift() ?? options.respond?.(body, index) ?? { text: 'ok' }

    if (step.status !== undefined && step.status !== 200) {
      return sendError(res, step.status, { headers: step.headers, message: step.text })
    }

    const model = typeof body.model === 'string' ? body.model : 'claude-scripted'
    const text = step.text ?? ''
    const toolUses = (step.toolUses ?? []).map((t) => ({ id: t.id ?? makeId('toolu_'), name: t.name, input: t.input }))
    const stopReason = step.stopReason ?? (toolUses.length ? 'tool_use' : 'end_turn')
    const toolJson = toolUses.map((t) => JSON.stringify(t.input))
    const usage = {
      input_tokens: step.usage?.input_tokens ?? estimateTokens(raw.length),
      cache_creation_input_tokens: step.usage?.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: step.usage?.cache_read_input_tokens ?? 0,
      output_tokens: step.usage?.output_tokens ?? estimateTokens(text.length + toolJson.join('').length)
    }
    const messageId = makeId('msg_')

    if (body.stream !== true) {
      if (step.dropAfterEvents !== undefined) {
        req.socket.destroy()
        return
      }
      const content: unknown[] = []
      if (text) content.push({ type: 'text', text })
      for (const t of toolUses) content.push({ type: 'tool_use', id: t.id, name: t.name, input: t.input })
      return sendJson(
        res,
        200,
        {
          id: messageId,
          type: 'message',
          role: 'assistant',
          model,
          content,
          stop_reason: stopReason,
          stop_sequence: null,
          usage
        },
        step.headers
      )
    }

    // ---- streaming ----
    const gone = new AbortController()
    res.on('close', () => gone.abort())
    res.writeHead(200, {
      ...baseHeaders(step.headers),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive'
    })
    res.flushHeaders()

    const delayMs = step.delayMs ?? 2
    const chunkSize = step.chunkSize ?? 8
    let sent = 0

    const wait = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        if (gone.signal.aborted || ms <= 0) return resolve()
        const t = setTimeout(done, ms)
        function done(): void {
          clearTimeout(t)
          gone.signal.removeEventListener('abort', done)
          resolve()
        }
        gone.signal.addEventListener('abort', done)
      })

    /** Writes one SSE event; false once the stream is over (client gone or deliberately dropped). */
    const emit = async (type: string, data: Record<string, unknown>, pause = delayMs): Promise<boolean> => {
      if (gone.signal.aborted) return false
      if (step.dropAfterEvents !== undefined && sent >= step.dropAfterEvents) {
        req.socket.destroy()
        return false
      }
      if (sent > 0) await wait(pause)
      if (gone.signal.aborted) return false
      const frame = `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
      // Wait for the frame to reach the socket (so a drop right after really follows it), or the client to go.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          gone.signal.removeEventListener('abort', done)
          resolve()
        }
        gone.signal.addEventListener('abort', done)
        res.write(frame, done)
      })
      sent++
      return true
    }
    const drop = async (): Promise<boolean> => {
      // The last scripted event is out: a drop "after N events" where N is the whole stream still drops.
      if (step.dropAfterEvents !== undefined && sent >= step.dropAfterEvents && !gone.signal.aborted) {
        req.socket.destroy()
        return true
      }
      return gone.signal.aborted
    }

    const run = async (): Promise<void> => {
      if (
        !(await emit('message_start', {
          message: {
            id: messageId,
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) }
          }
        }))
      )
        return
      if (!(await emit('ping', {}))) return

      let index = 0
      if (text) {
        if (!(await emit('content_block_start', { index, content_block: { type: 'text', text: '' } }))) return
        const pause = step.slow ? 200 : delayMs
        for (const piece of chunks(text, chunkSize)) {
          if (!(await emit('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }, pause))) return
        }
        if (!(await emit('content_block_stop', { index }))) return
        index++
      }
      for (let i = 0; i < toolUses.length; i++) {
        const t = toolUses[i]
        if (!(await emit('content_block_start', { index, content_block: { type: 'tool_use', id: t.id, name: t.name, input: {} } }))) return
        // Like the real API: an empty first piece, then the JSON text in pieces.
        for (const piece of ['', ...chunks(toolJson[i], Math.max(chunkSize, 8))]) {
          if (!(await emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }))) return
        }
        if (!(await emit('content_block_stop', { index }))) return
        index++
      }
      if (
        !(await emit('message_delta', {
          delta: { stop_reason: stopReason, stop_sequence: null },
          usage: {
            input_tokens: usage.input_tokens,
            cache_creation_input_tokens: usage.cache_creation_input_tokens,
            cache_read_input_tokens: usage.cache_read_input_tokens,
            output_tokens: usage.output_tokens
          }
        }))
      )
        return
      if (!(await emit('message_stop', {}))) return
      if (await drop()) return
      res.end()
    }
    await run()
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        push: (...steps) => {
          queue.push(...steps)
        },
        close: () => {
          closed ??= new Promise<void>((done) => {
            server.close(() => done())
            // Open streams (slow ones included) end now; their loops see the close and stop.
            for (const s of sockets) s.destroy()
            server.closeAllConnections()
          })
          return closed
        }
      })
    })
  })
}

/**
 * Points this test process at a fresh scripted model server (ANTHROPIC_BASE_URL, a test key) with
 * bash as the shell and an empty HOME; resolves with the server. Call from beforeAll.
 */
export async function useScriptedModel(): Promise<ModelServer> {
  const { mkdtempSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  process.env.SHELL = '/bin/bash'
  process.env.HOME = mkdtempSync(join(tmpdir(), 'skein-model-home-'))
  const server = await startModelServer()
  process.env.ANTHROPIC_BASE_URL = server.url
  process.env.ANTHROPIC_API_KEY = 'test-key'
  return server
}
