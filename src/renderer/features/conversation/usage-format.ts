import type { Usage } from '../../../shared/models'

/** A token count people can read at a glance: 950, 12.3k, 1.2M. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n)
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, '')}k`
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`
}

/** An estimated cost in dollars with four decimals ($0.0123); a dash when the model has no known price. */
export const formatCost = (usd: number | null): string => (usd === null ? '—' : `$${usd.toFixed(4)}`)

/** A one-line description of usage, for tooltips and screen readers. */
export function describeUsage(u: Usage): string {
  return `${u.input.toLocaleString()} input, ${u.output.toLocaleString()} output, ${u.cacheRead.toLocaleString()} cache read, ${u.cacheWrite.toLocaleString()} cache write tokens · estimated cost ${formatCost(u.costUsd)}`
}
