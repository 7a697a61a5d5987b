/** Prices in US dollars per million tokens, kept in one place. */
export interface ModelPrice {
  input: number
  output: number
  cacheWrite: number
  cacheRead: number
}

/**
 * The models Skein's built-in agent offers; the first is the default. Cache writes are the
 * 5-minute rate. Sonnet 5.5's cache read is the rate cut of 2026-10-07; Haiku 5.5 is its
 * prompt ≤ 100k tokens band. Sonnet 4.5 stays for older threads (end of life 2026-11-30).
 */
export const MODELS: { id: string; label: string; price: ModelPrice }[] = [
  { id: 'claude-sonnet-5-5', label: 'Claude Sonnet 5.5', price: { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 } },
  { id: 'claude-opus-5-5', label: 'Claude Opus 5.5', price: { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 } },
  { id: 'claude-haiku-5-5', label: 'Claude Haiku 5.5', price: { input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 } },
  { id: 'claude-opus-4-5', label: 'Claude Opus 4.5', price: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 } },
  { id: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5', price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } }
]

/**
 * Models the built-in agent does not offer but that imported Claude Code sessions name, at Anthropic's
 * list prices (5-minute cache writes): so an imported session's cost is estimated, not left blank.
 */
const OTHER_MODELS: { id: string; price: ModelPrice }[] = [
  { id: 'claude-opus-4-7', price: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 } },
  { id: 'claude-opus-4-6', price: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 } },
  { id: 'claude-sonnet-4-6', price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } },
  { id: 'claude-haiku-4-5', price: { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 } },
  { id: 'claude-opus-4-1', price: { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 } },
  { id: 'claude-opus-4', price: { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 } },
  { id: 'claude-sonnet-4', price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } },
  { id: 'claude-3-7-sonnet', price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } },
  { id: 'claude-3-5-haiku', price: { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 } }
]

/** The model a new thread uses. */
export const DEFAULT_MODEL = MODELS[0]!.id

/** Token counts as the Messages API reports them. */
export interface TokenUsage {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
}

/** An empty usage record. */
export const NO_USAGE: TokenUsage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }

/** Adds two usage records. */
export const addUsage = (a: TokenUsage, b: TokenUsage): TokenUsage => ({
  input: a.input + b.input,
  output: a.output + b.output,
  cacheRead: a.cacheRead + b.cacheRead,
  cacheWrite: a.cacheWrite + b.cacheWrite
})

/** Estimated cost in dollars; null for a model without a known price. */
export function estimateCost(model: string, u: TokenUsage): number | null {
  // Ids carry a date suffix (claude-opus-4-5-20251101); the longest matching id wins (opus-4-1 over opus-4).
  const price = [...MODELS, ...OTHER_MODELS]
    .filter((m) => model === m.id || model.startsWith(`${m.id}-`))
    .sort((a, b) => b.id.length - a.id.length)[0]?.price
  if (!price) return u.input + u.output + u.cacheRead + u.cacheWrite === 0 ? 0 : null
  return (u.input * price.input + u.output * price.output + u.cacheWrite * price.cacheWrite + u.cacheRead * price.cacheRead) / 1_000_000
}
