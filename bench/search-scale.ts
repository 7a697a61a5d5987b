// Search at the issue's scale (BENCH_SEARCH_SCALE=1): 100,000 threads whose logs total about 10 GB, most bytes in
// tool outputs (a few huge ones), seeded by writing the logs directly. BENCH_SEARCH_HOME keeps the seeded home and
// its built index between runs (reruns measure queries without seeding or indexing again). BENCH_SEARCH_THREADS and
// BENCH_SEARCH_GB scale it down. Indexing throughput is measured on a sample of threads (BENCH_SEARCH_SAMPLE) in a
// fresh index, against importing a Claude Code session in the same run; the full build is timed once, when it runs.
// BENCH_SEARCH_SEED_ONLY=1 stops after seeding.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { Thread } from '../src/shared/models'
import { memoryLogger } from '../src/main/core/logger'
import { importClaudeSession } from '../src/main/core/handoff/claude-import'
import { SearchIndexer, type SearchIndexerDeps } from '../src/main/core/search/search-indexer'
import { writeLargeClaudeSession } from '../test/helpers/session-fixtures'
import { benchDir, ms, now } from './bench-utils'
import { importThroughCore } from './lib/import-through-core'
import { firstPage, NO_MATCH, SHARED_QUERIES, type BenchQuery } from './lib/search-queries'

const THREADS = Number(process.env.BENCH_SEARCH_THREADS ?? 100_000)
const TARGET_BYTES = Number(process.env.BENCH_SEARCH_GB ?? 10) * 1e9
const SAMPLE = Number(process.env.BENCH_SEARCH_SAMPLE ?? 3000)
const QUERY_RUNS = 20
const DAY = 86_400_000
const EPOCH = Date.UTC(2025, 0, 1)

const WORDS = `the a to of and in is it that for this with on be as we are file test build error function value cache config
  server client request response handler module import export async await promise token session thread worktree branch
  commit merge rebase diff patch review checkout index query schema migration migrate database table column router
  component render state store effect hook props style layout theme socket stream buffer parser lexer compiler bundle
  webpack vite eslint prettier typescript node deno python cargo rust golang docker kubernetes deploy pipeline`.split(/\s+/)

let seed = 7
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
/** Rare words: `r` + base36, a long tail over ~1M distinct words. */
const rare = () => `r${Math.floor(rand() * rand() * 1_000_000).toString(36)}`
const sentence = (n: number) => Array.from({ length: n }, () => (rand() < 0.15 ? rare() : pick(WORDS))).join(' ')

/** Output lines made once and reused (generating 10 GB word by word would take longer than indexing it). */
const LINES = Array.from({ length: 4096 }, (_, i) => `src/${pick(WORDS)}/${pick(WORDS)}.ts:${i % 900}  ${sentence(9)}`)
function output(bytes: number, tag: string): string {
  const out: string[] = [`${tag} begins`]
  let n = 0
  while (n < bytes) {
    const l = LINES[Math.floor(rand() * LINES.length)]!
    out.push(l)
    n += l.length + 1
  }
  out.push(`${tag} ends`)
  return out.join('\n')
}

/** Thread i of a search bench, with what the indexer reads of it: 20 repositories, a tenth archived. */
export function searchThread(id: string, i: number, title: string, at: number): Thread {
  return {
    id,
    repoId: `repo-${i % 20}`,
    title,
    status: i % 10 === 0 ? 'archived' : 'idle',
    agent: null,
    imported: null,
    createdAt: at,
    lastActivityAt: at
  } as unknown as Thread
}

/** Thread i, as the store would hold it: 20 repositories, a tenth archived, a day apart per 100 threads. */
export function scaleThread(i: number): Thread {
  return searchThread(`t${i.toString(36).padStart(5, '0')}`, i, `thread ${i} ${WORDS[i % WORDS.length]}`, EPOCH + Math.floor(i / 100) * DAY)
}

/** One thread's log: prompts, replies, ~12 commands with outputs of 0.5-4 KB, and now and then a huge output. */
function threadLog(i: number, hugeBytes: number): string {
  const t = scaleThread(i)
  const lines: string[] = []
  const item = (n: number, body: Record<string, unknown>) => {
    const at = t.createdAt + n * 1000
    const it = { id: `i${i}-${n}`, threadId: t.id, turnId: `u${n >> 2}`, status: 'completed', createdAt: at, ...body }
    lines.push(JSON.stringify({ type: 'item.completed', at, item: it }))
  }
  let n = 0
  item(n++, { kind: 'user', text: `thread${i} ${sentence(25)}` })
  for (let k = 0; k < 6; k++) {
    item(n++, { kind: 'assistant', text: sentence(40) })
    for (let c = 0; c < 2; c++) {
      const command = `${pick(['npm run', 'git', 'rg', 'npx vitest run', 'cargo'])} ${pick(WORDS)} ${rare()}`
      item(n++, {
        kind: 'tool',
        tool: { useId: `t${n}`, name: 'bash', input: { command }, output: output(500 + rand() * 3500, 'out'), exitCode: 0 }
      })
    }
  }
  if (hugeBytes > 0) {
    // The needle words sit at the very start and the very end of a huge output: the indexed head and tail.
    const body = `headneedle${i} ${output(hugeBytes, 'huge')} tailneedle${i} middle-is-not-indexed`
    item(n++, { kind: 'tool', tool: { useId: `t${n}`, name: 'bash', input: { command: 'cat build.log' }, output: body, exitCode: 1 } })
  }
  item(n++, { kind: 'assistant', text: `Done with thread ${i}. ${sentence(20)}` })
  return `${lines.join('\n')}\n`
}

/** Writes the logs (skipped when BENCH_SEARCH_HOME already holds them); returns their total bytes. */
function seed10G(home: string): { bytes: number; ms: number; seeded: boolean } {
  const done = join(home, 'seeded.json')
  if (existsSync(done)) return { bytes: (JSON.parse(readFileSync(done, 'utf8')) as { bytes: number }).bytes, ms: 0, seeded: false }
  const t = now()
  // Every 4th thread carries a huge output sized so that the whole reaches TARGET_BYTES.
  const small = threadLog(1, 0).length
  const huge = Math.max(0, (TARGET_BYTES / THREADS - small) * 4)
  let bytes = 0
  for (let i = 0; i < THREADS; i++) {
    const dir = join(home, 'threads', scaleThread(i).id)
    mkdirSync(dir, { recursive: true })
    const fd = openSync(join(dir, 'events.jsonl'), 'w')
    const text = threadLog(i, i % 4 === 1 ? huge * (0.5 + rand()) : 0)
    bytes += writeSync(fd, text)
    closeSync(fd)
    if (i % 10_000 === 9_999) console.log(`    seeded ${i + 1} threads, ${(bytes / 1e9).toFixed(2)} GB, ${ms(now() - t)}`)
  }
  writeFileSync(done, JSON.stringify({ bytes }))
  return { bytes, ms: now() - t, seeded: true }
}

/** The logs' sizes, as the thread store knows them after its start (it checks every log then). */
const sizes = new Map<string, number>()

function deps(home: string, threads: Thread[], dir = join(home, 'search')): SearchIndexerDeps {
  const byId = new Map(threads.map((t) => [t.id, t]))
  const logFile = (id: string) => join(home, 'threads', id, 'events.jsonl')
  for (const t of threads) if (!sizes.has(t.id)) sizes.set(t.id, statSize(logFile(t.id)))
  return {
    dir,
    logFile,
    threads: () => threads,
    thread: (id) => byId.get(id),
    logSize: (id) => sizes.get(id),
    logger: memoryLogger(),
    notify: () => undefined,
    batchMs: 0
  }
}

/** The scale bench. */
export async function scaleMain(): Promise<void> {
  const keep = process.env.BENCH_SEARCH_HOME
  const home = keep ?? join(benchDir('search-scale'), 'home')
  mkdirSync(home, { recursive: true })
  const threads = Array.from({ length: THREADS }, (_, i) => scaleThread(i))
  console.log(`Search at scale: ${THREADS} threads, target ${(TARGET_BYTES / 1e9).toFixed(1)} GB of logs (home ${home})`)
  const seeded = seed10G(home)
  console.log(
    `  logs: ${(seeded.bytes / 1e9).toFixed(2)} GB${seeded.seeded ? ` seeded in ${ms(seeded.ms)}` : ' (kept from an earlier run)'}`
  )
  if (process.env.BENCH_SEARCH_SEED_ONLY) return

  // Import baseline and indexing throughput on a sample, same run.
  const work = benchDir('search-scale-sample')
  const session = writeLargeClaudeSession(join(work, 'claude.jsonl'), 32 * 1024 * 1024, 4000)
  let t = now()
  const imported = await importClaudeSession(session.path, { threadId: 'bench' })
  const importMs = now() - t
  if (!imported.ok) throw new Error(imported.error.message)
  const importRate = imported.value.items.length / (importMs / 1000)
  const importMBs = session.bytes / 1e6 / (importMs / 1000)
  console.log(
    `  import baseline: ${imported.value.items.length} items in ${ms(importMs)}: ${importRate.toFixed(0)} items/s, ${importMBs.toFixed(1)} MB/s`
  )
  const whole = await importThroughCore(session.path, join(work, 'core'))
  console.log(
    `  whole import (handoff/import in a core: parse, then each item logged and flushed): ${whole.items} items in ${ms(whole.ms)}: ` +
      `${(whole.items / (whole.ms / 1000)).toFixed(0)} items/s`
  )
  const sample = threads.slice(0, Math.min(SAMPLE, THREADS))
  const sampleBytes = sample.reduce((n, x) => n + statSize(join(home, 'threads', x.id, 'events.jsonl')), 0)
  t = now()
  const s = new SearchIndexer(deps(home, sample, join(work, 'search')))
  await s.start()
  await s.flush()
  const sampleMs = now() - t
  const sampleItems = s.status().items
  await s.close()
  const sampleRate = sampleItems / (sampleMs / 1000)
  const sampleMBs = sampleBytes / 1e6 / (sampleMs / 1000)
  console.log(
    `  indexing (sample of ${sample.length} threads, ${(sampleBytes / 1e6).toFixed(0)} MB, fresh index): ${sampleItems} items in ${ms(sampleMs)}: ` +
      `${sampleRate.toFixed(0)} items/s, ${sampleMBs.toFixed(1)} MB/s of log`
  )
  console.log(
    `    vs the import's parse alone: ${(sampleRate / importRate).toFixed(2)}x items/s, ${(sampleMBs / importMBs).toFixed(2)}x MB/s; ` +
      `vs the whole import: ${(sampleRate / (whole.items / (whole.ms / 1000))).toFixed(2)}x items/s  (target >= 1.00x)`
  )
  rmSync(work, { recursive: true, force: true })

  // The whole index: built once (kept with BENCH_SEARCH_HOME), then reopened for the queries.
  const all = deps(home, threads)
  t = now()
  let indexer = new SearchIndexer(all)
  await indexer.start()
  const openMs = now() - t
  const wasBuilt = indexer.status().state === 'ready'
  await indexer.flush()
  const catchUpMs = now() - t
  const st = indexer.status()
  if (!wasBuilt) {
    console.log(
      `  full build: ${st.items} items of ${st.threads} threads in ${ms(catchUpMs)}: ${(st.items / (catchUpMs / 1000)).toFixed(0)} items/s, ${(seeded.bytes / 1e6 / (catchUpMs / 1000)).toFixed(1)} MB/s of log`
    )
    await indexer.close()
    t = now()
    indexer = new SearchIndexer(all)
    await indexer.start()
    const reopenMs = now() - t
    await indexer.flush()
    console.log(`  reopen: searchable after ${ms(reopenMs)}, catch-up with nothing new ${ms(now() - t)}`)
  } else console.log(`  reopen (index kept): searchable after ${ms(openMs)}, catch-up with nothing new ${ms(catchUpMs)}`)
  console.log(`  index: ${st.items} items of ${st.threads} threads, ${(dirSize(join(home, 'search')) / 1e9).toFixed(2)} GB on disk`)

  const last = EPOCH + Math.floor(THREADS / 100) * DAY
  const queries: BenchQuery[] = [
    ['word (rare)', { query: `thread${THREADS - 5}` }],
    ['word (common)', { query: 'error' }],
    ...SHARED_QUERIES,
    ['prefix mi*', { query: 'mi*' }],
    ['filtered: status archived', { query: 'build', status: 'archived' }],
    ['filtered: last 30 days', { query: 'build', since: last - 30 * DAY }],
    ['filtered: repo+status+date', { query: 'cache', repoId: 'repo-10', status: 'archived', since: last - 90 * DAY }],
    ['huge output, head', { query: `headneedle${THREADS - 3}` }],
    ['huge output, tail', { query: `tailneedle${THREADS - 3}` }],
    NO_MATCH
  ]
  for (const [name, q] of queries) {
    const { p50, p95, count } = await firstPage(indexer, q, QUERY_RUNS)
    console.log(
      `  first page ${name.padEnd(28)} p50 ${ms(p50).padStart(10)}  p95 ${ms(p95).padStart(10)}  (${count} results)  target <= 200 ms ${p95 <= 200 ? 'ok' : 'MISSED'}`
    )
  }
  console.log(`  RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`)
  await indexer.close()
  if (!keep) rmSync(join(home, '..'), { recursive: true, force: true })
}

/** A file's size, 0 when it is missing. */
export function statSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

function dirSize(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSize(join(dir, f)), 0)
}
