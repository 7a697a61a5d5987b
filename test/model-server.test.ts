import { afterEach, describe, expect, it } from 'vitest'
import Anthropic from '@anthropic-ai/sdk'
import { startModelServer, type ModelServer } from './helpers/model-server'

const open: ModelServer[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})

async function start(options?: Parameters<typeof startModelServer>[0]): Promise<{ server: ModelServer; client: Anthropic }> {
  const server = await startModelServer(options)
  open.push(server)
  const client = new Anthropic({ apiKey: options?.apiKey ?? 'test-key', baseURL: server.url, maxRetries: 0 })
  return { server, client }
}

const params = {
  model: 'claude-test-1',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Say hello' }]
}

/** Parses a raw SSE body into [event name, data] pairs, failing on any malformed frame. */
function parseSse(raw: string): { event: string; data: any }[] {
  expect(raw.endsWith('\n\n')).toBe(true)
  return raw
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      const m = /^event: (\w+)\ndata: (.*)$/.exec(frame)
      if (!m) throw new Error(`malformed SSE frame: ${JSON.stringify(frame)}`)
      return { event: m[1], data: JSON.parse(m[2]) }
    })
}

describe('model server with the real @anthropic-ai/sdk', () => {
  it('streams text in deltas and the final message matches', async () => {
    const { server, client } = await start()
    const text = 'Hello from the scripted model, streamed in pieces.'
    server.push({ text, chunkSize: 5 })

    const stream = client.messages.stream(params)
    const deltas: string[] = []
    stream.on('text', (d) => deltas.push(d))
    const msg = await stream.finalMessage()

    expect(deltas.length).toBe(Math.ceil(text.length / 5))
    expect(deltas.join('')).toBe(text)
    expect(msg.id).toMatch(/^msg_\w+$/)
    expect(msg.model).toBe('claude-test-1')
    expect(msg.role).toBe('assistant')
    expect(msg.content).toEqual([{ type: 'text', text }])
    expect(msg.stop_reason).toBe('end_turn')
  })

  it('speaks the documented SSE framing and event order (ping included)', async () => {
    const { server } = await start()
    server.push({ text: 'abcdefghij', chunkSize: 4, toolUses: [{ id: 'toolu_given', name: 'read_file', input: { path: 'x' } }] })
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, stream: true })
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const events = parseSse(await res.text())
    for (const e of events) expect(e.data.type).toBe(e.event)
    const kinds = events.map((e) => (e.event === 'content_block_delta' ? `delta:${e.data.delta.type}` : e.event))
    expect(kinds).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'delta:text_delta',
      'delta:text_delta',
      'delta:text_delta',
      'content_block_stop',
      'content_block_start',
      'delta:input_json_delta',
      'delta:input_json_delta',
      'delta:input_json_delta',
      'content_block_stop',
      'message_delta',
      'message_stop'
    ])
    const start0 = events[0].data.message
    expect(start0).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-test-1', content: [], stop_reason: null })
    expect(Object.keys(start0.usage).sort()).toEqual([
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
      'input_tokens',
      'output_tokens'
    ])
    expect(events[2].data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })
    expect(events[7].data).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_given', name: 'read_file', input: {} }
    })
    expect(events.slice(8, 11).map((e) => e.data.index)).toEqual([1, 1, 1])
    expect(
      events
        .slice(8, 11)
        .map((e) => e.data.delta.partial_json)
        .join('')
    ).toBe('{"path":"x"}')
    expect(events[12].data.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null })
  })

  it('delivers tool_use input parsed, with generated and given ids', async () => {
    const { server, client } = await start()
    const input1 = { path: 'src/main/index.ts', lines: [1, 20], opts: { follow: true, note: 'quote " and \\ slash' } }
    server.push({
      text: 'Let me look.',
      toolUses: [
        { name: 'read_file', input: input1 },
        { id: 'toolu_fixed', name: 'bash', input: { command: 'ls -la' } }
      ],
      chunkSize: 3
    })
    const stream = client.messages.stream({ ...params, tools: [] })
    const jsonPieces: string[] = []
    stream.on('inputJson', (piece) => jsonPieces.push(piece))
    const msg = await stream.finalMessage()

    expect(msg.stop_reason).toBe('tool_use')
    expect(msg.content).toHaveLength(3)
    expect(msg.content[0]).toEqual({ type: 'text', text: 'Let me look.' })
    const [, t1, t2] = msg.content
    expect(t1.type === 'tool_use' && t1.name).toBe('read_file')
    expect(t1.type === 'tool_use' && t1.input).toEqual(input1)
    expect(t1.type === 'tool_use' && t1.id).toMatch(/^toolu_\w+$/)
    expect(t2.type === 'tool_use' && t2.id).toBe('toolu_fixed')
    expect(t2.type === 'tool_use' && t2.input).toEqual({ command: 'ls -la' })
    // The input really was streamed in several partial_json pieces.
    expect(jsonPieces.filter(Boolean).length).toBeGreaterThan(2)
  })

  it('passes usage through, cache fields included (stream and non-stream)', async () => {
    const { server, client } = await start()
    const usage = { input_tokens: 1234, output_tokens: 56, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 }
    server.push({ text: 'counted', usage }, { text: 'counted', usage })

    const streamed = await client.messages.stream(params).finalMessage()
    expect(streamed.usage).toMatchObject(usage)

    const whole = await client.messages.create(params)
    expect(whole.usage).toMatchObject(usage)
    expect(whole.content).toEqual([{ type: 'text', text: 'counted' }])
  })

  it('create({ stream: true }) yields the raw events', async () => {
    const { server, client } = await start()
    server.push({ text: 'raw events', chunkSize: 4, usage: { input_tokens: 9, output_tokens: 3, cache_read_input_tokens: 7 } })
    const stream = await client.messages.create({ ...params, stream: true })
    const types: string[] = []
    let text = ''
    let startUsage: any
    let finalOutput = -1
    for await (const ev of stream) {
      types.push(ev.type)
      if (ev.type === 'message_start') startUsage = ev.message.usage
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text
      if (ev.type === 'message_delta') finalOutput = ev.usage.output_tokens
    }
    expect(text).toBe('raw events')
    // The SDK drops ping events itself.
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop'
    ])
    expect(startUsage).toMatchObject({ input_tokens: 9, cache_read_input_tokens: 7, cache_creation_input_tokens: 0 })
    expect(finalOutput).toBe(3)
  })

  it('non-streaming create returns the whole message, tool_use included', async () => {
    const { server, client } = await start()
    server.push({ toolUses: [{ name: 'grep', input: { pattern: 'x' } }] })
    const msg = await client.messages.create(params)
    expect(msg.id).toMatch(/^msg_/)
    expect(msg.model).toBe('claude-test-1')
    expect(msg.stop_reason).toBe('tool_use')
    expect(msg.content).toEqual([{ type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'grep', input: { pattern: 'x' } }])
  })

  it('429 with retry-after surfaces as RateLimitError with the header visible', async () => {
    const { server, client } = await start()
    server.push({ status: 429, headers: { 'retry-after': '1' } }, { status: 429, headers: { 'retry-after': '3' } })

    const err = await client.messages
      .stream(params)
      .finalMessage()
      .catch((e) => e)
    expect(err).toBeInstanceOf(Anthropic.RateLimitError)
    expect(err.status).toBe(429)
    expect(err.headers.get('retry-after')).toBe('1')
    expect(err.type).toBe('rate_limit_error')
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
    expect(err.requestID).toMatch(/^req_/)

    const err2 = await client.messages.create({ ...params, stream: true }).catch((e) => e)
    expect(err2).toBeInstanceOf(Anthropic.RateLimitError)
    expect(err2.headers.get('retry-after')).toBe('3')
  })

  it('529 is overloaded, 500 an api_error', async () => {
    const { server, client } = await start()
    server.push({ status: 529 }, { status: 500, text: 'boom' })

    const overloaded = await client.messages
      .stream(params)
      .finalMessage()
      .catch((e) => e)
    expect(overloaded).toBeInstanceOf(Anthropic.APIError)
    expect(overloaded.status).toBe(529)
    expect(overloaded.type).toBe('overloaded_error')
    expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError)

    const internal = await client.messages.create(params).catch((e) => e)
    expect(internal).toBeInstanceOf(Anthropic.InternalServerError)
    expect(internal.status).toBe(500)
    expect(internal.type).toBe('api_error')
    expect(internal.apiMessage).toBe('boom')
  })

  it('apiKey: a mismatched key gets AuthenticationError, the right one (Bearer or x-api-key) passes', async () => {
    const { server, client } = await start({ apiKey: 'sk-right' })
    const wrong = new Anthropic({ apiKey: 'sk-wrong', baseURL: server.url, maxRetries: 0 })

    const err = await wrong.messages
      .stream(params)
      .finalMessage()
      .catch((e) => e)
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError)
    expect(err.status).toBe(401)
    expect(err.type).toBe('authentication_error')

    const ok = await client.messages.create(params)
    expect(ok.content).toEqual([{ type: 'text', text: 'ok' }])

    const viaHeader = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-right' },
      body: JSON.stringify(params)
    })
    expect(viaHeader.status).toBe(200)
    const noKey = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: JSON.stringify(params) })
    expect(noKey.status).toBe(401)
    expect(await noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
  })

  it('dropAfterEvents: the stream rejects after some text arrived', async () => {
    const { server, client } = await start()
    const text = 'abcdefghijklmnopqrstuvwxyz'
    // message_start, ping, content_block_start, then 3 deltas of 2 chars — then the socket dies.
    server.push({ text, chunkSize: 2, dropAfterEvents: 6 })
    const stream = client.messages.stream(params)
    let got = ''
    stream.on('text', (d) => {
      got += d
    })
    const err = await stream.finalMessage().then(
      () => null,
      (e) => e
    )
    expect(err).toBeInstanceOf(Anthropic.AnthropicError)
    // Not an APIError: the MessageStream wraps undici's `TypeError: terminated`.
    expect(err).not.toBeInstanceOf(Anthropic.APIError)
    expect(err.message).toBe('terminated')
    expect(got).toBe('abcdef')

    server.push({ text, chunkSize: 2, dropAfterEvents: 6 })
    const raw = await client.messages.create({ ...params, stream: true })
    let rawText = ''
    const rawErr = await (async () => {
      for await (const ev of raw) if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') rawText += ev.delta.text
    })().then(
      () => null,
      (e) => e
    )
    // The raw Stream lets undici's error through unwrapped.
    expect(rawErr).toBeInstanceOf(TypeError)
    expect(rawErr.message).toBe('terminated')
    expect(rawText).toBe('abcdef')
  })

  it('records every request with headers and parsed body', async () => {
    const { server, client } = await start()
    await client.messages.stream({ ...params, system: 'be brief' }).finalMessage()
    await client.messages.create({ ...params, messages: [{ role: 'user', content: 'second' }] })
    expect(server.requests).toHaveLength(2)
    expect(server.requests[0].body).toMatchObject({ model: 'claude-test-1', system: 'be brief', stream: true, messages: params.messages })
    expect(server.requests[1].body.messages).toEqual([{ role: 'user', content: 'second' }])
    expect(server.requests[1].body.stream).toBeUndefined()
    expect(server.requests[0].headers.authorization).toBe('Bearer test-key')
    expect(server.requests[0].headers['anthropic-version']).toBeTypeOf('string')
  })

  it('uses the queue first, then respond(body, index), and echoes the model', async () => {
    const seen: number[] = []
    const { server, client } = await start({
      steps: [{ text: 'from steps' }],
      respond: (body, index) => {
        seen.push(index)
        return { text: `echo: ${body.messages.at(-1).content}` }
      }
    })
    server.push({ text: 'pushed' })
    const texts: string[] = []
    for (const content of ['a', 'b', 'c']) {
      const m = await client.messages.create({ ...params, model: 'claude-other', messages: [{ role: 'user', content }] })
      expect(m.model).toBe('claude-other')
      texts.push(m.content[0].type === 'text' ? m.content[0].text : '')
    }
    expect(texts).toEqual(['from steps', 'pushed', 'echo: c'])
    expect(seen).toEqual([2])
  })

  it('slow streams stop when the client aborts, and close() ends open streams at once', async () => {
    const { server, client } = await start()
    server.push({ text: 'x'.repeat(100), slow: true, chunkSize: 1 }, { text: 'y'.repeat(100), slow: true, chunkSize: 1 })

    const first = client.messages.stream(params)
    let n = 0
    first.on('text', () => {
      if (++n === 1) first.abort()
    })
    const abortErr = await first.finalMessage().catch((e) => e)
    expect(abortErr).toBeInstanceOf(Anthropic.APIUserAbortError)
    expect(n).toBe(1)

    const second = client.messages.stream(params)
    let got = ''
    await new Promise<void>((resolve) =>
      second.on('text', (d) => {
        got += d
        resolve()
      })
    )
    const settled = second.finalMessage().then(
      () => 'resolved',
      (e) => e
    )
    await server.close()
    const result = await settled
    expect(result).toBeInstanceOf(Anthropic.AnthropicError)
    expect(got).toBe('y')
  })
})
