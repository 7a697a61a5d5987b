import type Anthropic from '@anthropic-ai/sdk'
import { addUsage, NO_USAGE, type TokenUsage } from '../../../shared/pricing'

/** One model response: its text, the tools it asked for, why it stopped and what it cost. */
export interface StepResult {
  text: string
  toolUses: { id: string; name: string; input: Record<string, unknown> }[]
  stopReason: string | null
  usage: TokenUsage
}

/** Why a step failed after any retries. */
export type StepFailure =
  { kind: 'interrupted' } | { kind: 'auth'; message: string } | { kind: 'fatal'; message: string; retryable: boolean }

/** What a step reports while it runs. */
export interface StepCallbacks {
  /** Text as it streams; `attempt` changes when a retry starts over. */
  onText(delta: string, attempt: number): void
  /** A retry is about to happen; `partial` is the text the failed attempt had already streamed. */
  onRetry(notice: string, attempt: number, partial: string): void
}

let sdk: Promise<typeof Anthropic> | null = null

/** The Anthropic SDK, loaded on first use: it is a third of the core's start-up if loaded eagerly. */
export function loadAnthropic(): Promise<typeof Anthropic> {
  sdk ??= import('@anthropic-ai/sdk').then((m) => m.default)
  return sdk
}

/** How many times a step is retried after 429, 5xx, 529 or a dropped connection. */
export const MAX_RETRIES = 4
const RETRYABLE = new Set([408, 409, 429, 500, 502, 503, 504, 529])

/** The delay before retry `attempt` (1-based): exponential with jitter, or what retry-after asks. */
export function retryDelayMs(attempt: number, headers?: Headers | null, random = Math.random): number {
  const ms = Number(headers?.get?.('retry-after-ms'))
  if (Number.isFinite(ms) && ms > 0) return Math.min(ms, 60_000)
  const after = headers?.get?.('retry-after')
  if (after) {
    const secs = Number(after)
    if (Number.isFinite(secs)) return Math.min(Math.max(0, secs) * 1000, 60_000)
    const date = Date.parse(after)
    if (!Number.isNaN(date)) return Math.min(Math.max(0, date - Date.now()), 60_000)
  }
  const base = Math.min(500 * 2 ** (attempt - 1), 8000)
  return Math.round(base * (0.75 + random() * 0.5))
}

const describe = (
  Anthropic: typeof import('@anthropic-ai/sdk').default,
  e: unknown
): { retryable: boolean; label: string; headers: Headers | null } => {
  if (e instanceof Anthropic.APIConnectionError) return { retryable: true, label: 'The connection to the model API dropped', headers: null }
  if (e instanceof Anthropic.APIError && e.status !== undefined) {
    const label =
      e.status === 429 ? 'Rate limited (429)' : e.status === 529 ? 'The API is overloaded (529)' : `The API returned ${e.status}`
    return { retryable: RETRYABLE.has(e.status), label, headers: (e.headers as Headers | undefined) ?? null }
  }
  // A stream that ends mid-message surfaces as a plain error from the SDK's parser.
  const msg = (e as Error)?.message ?? ''
  return {
    retryable: /terminated|socket|ECONNRESET|premature|aborted|network|fetch failed|unexpected end/i.test(msg),
    label: 'The connection to the model API dropped',
    headers: null
  }
}

/** Streams one model response, retrying transient failures visibly; never throws. */
export async function streamStep(
  client: Anthropic,
  request: { model: string; system: string; messages: Anthropic.MessageParam[]; tools: Anthropic.Tool[]; maxTokens: number },
  signal: AbortSignal,
  cb: StepCallbacks,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
): Promise<{ ok: true; value: StepResult } | { ok: false; error: StepFailure }> {
  for (let attempt = 1; ; attempt++) {
    let text = ''
    try {
      const stream = await client.messages.create(
        {
          model: request.model,
          system: request.system,
          messages: request.messages,
          tools: request.tools,
          max_tokens: request.maxTokens,
          stream: true
        },
        { signal }
      )
      const blocks = new Map<number, { type: 'text' | 'tool_use'; id?: string; name?: string; json: string }>()
      let usage: TokenUsage = NO_USAGE
      let stopReason: string | null = null
      for await (const ev of stream) {
        if (ev.type === 'message_start') {
          const u = ev.message.usage
          usage = {
            input: u.input_tokens ?? 0,
            output: u.output_tokens ?? 0,
            cacheRead: u.cache_read_input_tokens ?? 0,
            cacheWrite: u.cache_creation_input_tokens ?? 0
          }
        } else if (ev.type === 'content_block_start') {
          const b = ev.content_block
          if (b.type === 'text') {
            blocks.set(ev.index, { type: 'text', json: '' })
            if (b.text) {
              text += b.text
              cb.onText(b.text, attempt)
            }
          } else if (b.type === 'tool_use') blocks.set(ev.index, { type: 'tool_use', id: b.id, name: b.name, json: '' })
        } else if (ev.type === 'content_block_delta') {
          if (ev.delta.type === 'text_delta') {
            text += ev.delta.text
            cb.onText(ev.delta.text, attempt)
          } else if (ev.delta.type === 'input_json_delta') {
            const b = blocks.get(ev.index)
            if (b) b.json += ev.delta.partial_json
          }
        } else if (ev.type === 'message_delta') {
          stopReason = ev.delta.stop_reason ?? stopReason
          usage = addUsage(usage, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 })
          usage = { ...usage, output: ev.usage.output_tokens ?? usage.output }
        }
      }
      if (stopReason === null) throw new Error('the stream ended before the message was complete (premature end)')
      const toolUses = [...blocks.values()]
        .filter((b) => b.type === 'tool_use')
        .map((b) => ({ id: b.id!, name: b.name!, input: parseInput(b.json) }))
      return { ok: true, value: { text, toolUses, stopReason, usage } }
    } catch (e) {
      const Anthropic = await loadAnthropic()
      if (signal.aborted || e instanceof Anthropic.APIUserAbortError) return { ok: false, error: { kind: 'interrupted' } }
      if (e instanceof Anthropic.AuthenticationError) {
        return {
          ok: false,
          error: { kind: 'auth', message: 'The Anthropic API rejected the API key (401). Check the key in Settings or ANTHROPIC_API_KEY.' }
        }
      }
      const d = describe(Anthropic, e)
      const detail = e instanceof Anthropic.APIError ? (e.message || '').slice(0, 300) : String((e as Error)?.message ?? e)
      if (!d.retryable) return { ok: false, error: { kind: 'fatal', message: `The model request failed: ${detail}`, retryable: false } }
      if (attempt > MAX_RETRIES) {
        return {
          ok: false,
          error: { kind: 'fatal', message: `${d.label}, and ${MAX_RETRIES} retries did not help. ${detail}`, retryable: true }
        }
      }
      const wait = retryDelayMs(attempt, d.headers)
      cb.onRetry(`${d.label}. Retrying in ${(wait / 1000).toFixed(1)} s — attempt ${attempt + 1} of ${MAX_RETRIES + 1}.`, attempt, text)
      await Promise.race([sleep(wait), new Promise((r) => signal.addEventListener('abort', r, { once: true }))])
      if (signal.aborted) return { ok: false, error: { kind: 'interrupted' } }
    }
  }
}

function parseInput(json: string): Record<string, unknown> {
  if (!json.trim()) return {}
  try {
    const v = JSON.parse(json)
    return v && typeof v === 'object' && !Array.isArray(v) ? v : { value: v }
  } catch {
    return { _unparsed: json }
  }
}
