import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One scripted reply of the OpenAI Responses API: text, function calls, or both. */
export interface ResponsesStep {
  text?: string
  /** Function calls, e.g. { name: 'exec_command', arguments: { cmd: 'ls' } }. */
  calls?: { name: string; arguments: Record<string, unknown>; callId?: string }[]
  usage?: { input_tokens: number; output_tokens: number; cached_tokens?: number }
  /** Pause before each text delta, so the reply streams slowly and the agent stays busy. */
  delayMs?: number
}

/** A local stand-in for the Responses API that Codex talks to (`wire_api = "responses"`). */
export interface ResponsesServer {
  /** Base URL to put in a `[model_providers.*]` entry, e.g. http://127.0.0.1:PORT/v1. */
  url: string
  /** Every request body received, in order. */
  requests: any[]
  close(): Promise<void>
}

let callSeq = 0

/**
 * Starts the server. `respond` picks each reply from the request (Codex sends the whole
 * conversation every time); replies stream as the documented SSE events: response.created,
 * response.output_item.added / .done, response.output_text.delta and response.completed.
 */
export async function startResponsesServer(respond: (body: any, index: number) => ResponsesStep): Promise<ResponsesServer> {
  const requests: any[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      let body: any = null
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null')
      } catch {
        body = null
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/responses') || !body) {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { message: `not found: ${req.method} ${req.url}`, type: 'invalid_request_error' } }))
        return
      }
      requests.push(body)
      void stream(res, respond(body, requests.length - 1))
    })
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      })
  }
}

async function stream(res: ServerResponse, step: ResponsesStep): Promise<void> {
  const id = `resp_${++callSeq}`
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  let seq = 0
  const send = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`)
  const base = {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    model: 'scripted',
    status: 'in_progress',
    output: [] as unknown[]
  }
  send('response.created', { response: base })
  const output: unknown[] = []
  let index = 0
  if (step.text) {
    const item = { id: `msg_${callSeq}`, type: 'message', role: 'assistant', status: 'in_progress', content: [] as unknown[] }
    send('response.output_item.added', { output_index: index, item })
    send('response.content_part.added', {
      output_index: index,
      item_id: item.id,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] }
    })
    for (let i = 0; i < step.text.length; i += 16) {
      if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs))
      if (res.destroyed) return
      send('response.output_text.delta', { output_index: index, item_id: item.id, content_index: 0, delta: step.text.slice(i, i + 16) })
    }
    send('response.output_text.done', { output_index: index, item_id: item.id, content_index: 0, text: step.text })
    const done = { ...item, status: 'completed', content: [{ type: 'output_text', text: step.text, annotations: [] }] }
    send('response.output_item.done', { output_index: index, item: done })
    output.push(done)
    index++
  }
  for (const call of step.calls ?? []) {
    const item = {
      id: `fc_${++callSeq}`,
      type: 'function_call',
      status: 'completed',
      name: call.name,
      call_id: call.callId ?? `call_${callSeq}`,
      arguments: JSON.stringify(call.arguments)
    }
    send('response.output_item.added', { output_index: index, item: { ...item, arguments: '' } })
    send('response.function_call_arguments.done', { output_index: index, item_id: item.id, arguments: item.arguments })
    send('response.output_item.done', { output_index: index, item })
    output.push(item)
    index++
  }
  const u = step.usage ?? { input_tokens: 100, output_tokens: 20, cached_tokens: 0 }
  send('response.completed', {
    response: {
      ...base,
      status: 'completed',
      output,
      usage: {
        input_tokens: u.input_tokens,
        input_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
        output_tokens: u.output_tokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: u.input_tokens + u.output_tokens
      }
    }
  })
  res.end()
}
