// The searches the two search benches time (bench/search.ts and bench/search-scale.ts), and how they time one.
import type { SearchIndexer } from '../../src/main/core/search/search-indexer'
import { now, percentile } from '../bench-utils'

/** A named search: what the query gets besides its page size. */
export type BenchQuery = readonly [name: string, params: Record<string, unknown>]

/** The searches both benches run over their common vocabulary and 20 repositories. */
export const SHARED_QUERIES: readonly BenchQuery[] = [
  ['two words', { query: 'cache handler' }],
  ['phrase', { query: '"config server"' }],
  ['prefix migr*', { query: 'migr*' }],
  ['filtered: repo', { query: 'error', repoId: 'repo-3' }]
]

/** A search that finds nothing. */
export const NO_MATCH: BenchQuery = ['no match', { query: 'zzzzqqq' }]

/** The first page's latency (30 results with snippets) over `runs` runs: median, p95, and how many results it held. */
export async function firstPage(
  indexer: SearchIndexer,
  params: BenchQuery[1],
  runs: number
): Promise<{ p50: number; p95: number; count: number }> {
  const samples: number[] = []
  let count = 0
  for (let i = 0; i < runs; i++) {
    const s = now()
    const r = await indexer.query({ limit: 30, ...params } as Parameters<SearchIndexer['query']>[0])
    samples.push(now() - s)
    if (!r.ok) throw new Error(r.error.message)
    count = r.value.results.length
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), count }
}
