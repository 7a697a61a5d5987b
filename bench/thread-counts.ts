// thread/counts at scale: a seeded home of 10k, 50k and 100k threads (20 repositories, 10% archived, 2% in error,
// 1% of the live ones with a failed CI run), its store opened as the core opens it. Before: every thread walked and
// its state derived (the old way, kept here as the baseline); after: the store's kept counts per base state with the
// CI failures moved. Both in the same run, p50 and p95 of BENCH_RUNS (default 30), and checked equal.
//   npx tsx bench/thread-counts.ts          SKEIN_BENCH_SIZES=10000 for one size
import { rmSync } from 'node:fs'
import { memoryLogger } from '../src/main/core/logger'
import { DataDir } from '../src/main/core/store/data-dir'
import { ThreadStore } from '../src/main/core/store/thread-store'
import { lazyCiFailed, stateOfThread, threadCounts, type CiFailed } from '../src/main/core/threads/thread-pages'
import type { Repo } from '../src/shared/models'
import { emptyCounts, type ThreadState } from '../src/shared/thread-state'
import { benchDir, ms, now, percentile, runBench } from './bench-utils'
import { seedScaleHome } from './lib/scale-home'

const SIZES = (process.env.SKEIN_BENCH_SIZES ?? '10000,50000,100000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 30)

/** The baseline: thread/counts as it was, one pass over every thread deriving each live one's state. */
function scannedCounts(store: ThreadStore, repos: readonly Repo[], ciFailed: CiFailed): Map<string, Record<ThreadState, number>> {
  const counts = new Map<string, Record<ThreadState, number>>()
  for (const r of repos) counts.set(r.id, { ...emptyCounts(), archived: store.countsByRepo().get(r.id)?.archived ?? 0 })
  for (const t of store.byActivity()) {
    if (t.status === 'archived') continue
    const c = counts.get(t.repoId)
    if (c) c[stateOfThread(t, ciFailed)]++
  }
  return counts
}

/** p50 and p95 of `RUNS` timed calls of each of `fs`, taken in turn (neither on a warmer heap), each call with a fresh failed set (as each request builds one). */
function timed(fs: ((ciFailed: CiFailed) => unknown)[], failed: string[]): { p50: number; p95: number }[] {
  const samples = fs.map((): number[] => [])
  for (let i = 0; i < RUNS; i++)
    fs.forEach((f, k) => {
      const t = now()
      f(lazyCiFailed(() => failed))
      samples[k]!.push(now() - t)
    })
  return samples.map((s) => ({ p50: percentile(s, 50), p95: percentile(s, 95) }))
}

async function main(): Promise<void> {
  console.log(`thread/counts, scan (before) against the kept counts (after), ${RUNS} runs each`)
  for (const size of SIZES) {
    const home = benchDir(`counts-${size}`)
    const seeded = await seedScaleHome(home, { threads: size, repos: 20 })
    const store = await ThreadStore.open(new DataDir(home), memoryLogger())
    const failed = seeded.threads.filter((t, i) => t.status !== 'archived' && i % 100 === 0).map((t) => t.id)
    const kept = threadCounts(
      store,
      seeded.repos,
      lazyCiFailed(() => failed)
    )
    const scanned = scannedCounts(
      store,
      seeded.repos,
      lazyCiFailed(() => failed)
    )
    for (const c of kept.repos)
      if (JSON.stringify(c.states) !== JSON.stringify(scanned.get(c.repoId))) throw new Error(`counts differ for ${c.repoId}`)
    const [before, after] = timed([(ci) => scannedCounts(store, seeded.repos, ci), (ci) => threadCounts(store, seeded.repos, ci)], failed)
    await store.flush()
    rmSync(home, { recursive: true, force: true })
    console.log(
      `  ${size.toLocaleString('en-US')} threads (${failed.length} CI failed): scan p50 ${ms(before.p50)} p95 ${ms(before.p95)}; ` +
        `kept p50 ${ms(after.p50)} p95 ${ms(after.p95)}; kept/scan ${(after.p50 / before.p50).toFixed(4)}x (p50)`
    )
  }
}

runBench(main)
