/** Prices in US dollars per million tokens, kept in one place. */
export interface ModelPrice {
  input: number
  output: number
  cacheWrite: number
  cacheRead: number
}

/** The models Skein's built-in agent offers, newest first; the first is the default. */
export const MODELS: { id: string; label: string; price: ModelPrice }[] = [
  { id: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5', price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } },
  { id: 'claude-opus-4-5', label: 'Claude Opus 4.5', price: { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 } },
  { id: 'claude-haiku-4-5', label: 'Claude Haiku 4.5', price: { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 } }
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
  const price = MODELS.find((m) => m.id === model || model.startsWith(`${m.id}-`))?.price
  if (!price) return null
  return (u.input * price.input + u.output * price.output + u.cacheWrite * price.cacheWrite + u.cacheRead * price.cacheRead) / 1_000_000
}
