// Full-text search at scale: BENCH_SEARCH_THREADS threads (default 2000) × BENCH_SEARCH_ITEMS items (default 50) of
// realistic text (prompts, replies, commands with outputs of a few KB), written as the threads' events.jsonl.
// Measures building the index from the logs (items/s, MB/s of log) against raw baselines from the same run
// (appending the same JSON lines to the logs; importing a Claude Code session), the live path (news batched),
// reopening the index (catch-up with nothing new), and the first page's latency for a few queries.
// BENCH_SEARCH_SCALE=1 runs the scale instead: see bench/search-scale.ts.
import { appendFileSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Item, Thread } from '../src/shared/models'
import { memoryLogger } from '../src/main/core/logger'
import { importClaudeSession } from '../src/main/core/handoff/claude-import'
import { SearchIndexer } from '../src/main/core/search/search-indexer'
import { writeLargeClaudeSession } from '../test/helpers/session-fixtures'
import { benchDir, ms, now, runBench } from './bench-utils'
import { firstPage, NO_MATCH, SHARED_QUERIES, type BenchQuery } from './lib/search-queries'
import { scaleMain, searchThread, statSize } from './search-scale'

const THREADS = Number(process.env.BENCH_SEARCH_THREADS ?? 2000)
const ITEMS = Number(process.env.BENCH_SEARCH_ITEMS ?? 50)
const QUERY_RUNS = 20

// A vocabulary with a long tail: common words are very common, most words rare (as in real transcripts).
const COMMON = 'the a to of and in is it that for this with on be as we are file test build error function value'.split(' ')
const TECH = `cache config server client request response handler module import export async await promise token session
  thread worktree branch commit merge rebase diff patch review checkout index query schema migration database table column
  router component render state store effect hook props style layout theme socket stream buffer parser lexer compiler
  bundle webpack vite eslint prettier typescript node deno python cargo rust golang docker kubernetes deploy pipeline`.split(/\s+/)
let seed = 42
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
const rareWord = () => `w${Math.floor(rand() * rand() * 200_000).toString(36)}`
function sentence(words: number): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) {
    const r = rand()
    out.push(r < 0.45 ? pick(COMMON) : r < 0.85 ? pick(TECH) : rareWord())
  }
  return `${out.join(' ')}.`
}
function output(lines: number): string {
  const out: string[] = []
  for (let i = 0; i < lines; i++) out.push(`src/${pick(TECH)}/${pick(TECH)}.ts:${Math.floor(rand() * 900)}  ${sentence(8)}`)
  return out.join('\n')
}

function makeItem(threadId: string, turn: number, n: number, at: number): Item {
  const base = { id: `i${threadId}-${n}`, threadId, turnId: `u${turn}`, status: 'completed' as const, createdAt: at }
  const r = n === 0 ? 0 : rand()
  if (r < 0.15) return { ...base, kind: 'user', text: sentence(12 + Math.floor(rand() * 30)) }
  if (r < 0.5) return { ...base, kind: 'assistant', text: Array.from({ length: 2 + Math.floor(rand() * 4) }, () => sentence(20)).join(' ') }
  const command = `${pick(['npm run', 'git', 'rg', 'npx vitest run', 'cargo'])} ${pick(TECH)} ${rareWord()}`
  return {
    ...base,
    kind: 'tool',
    tool: { useId: `t${n}`, name: 'bash', input: { command }, output: output(5 + Math.floor(rand() * 60)), exitCode: 0 }
  }
}

async function main(): Promise<void> {
  const dir = benchDir('search')
  const home = join(dir, 'home')
  const logFile = (id: string) => join(home, 'threads', id, 'events.jsonl')
  console.log(`Search: ${THREADS} threads × ${ITEMS} items`)

  // Raw baseline: appending the same JSON lines to each thread's log (what saving the items costs at least).
  const threads: Thread[] = []
  let bytes = 0
  let t = now()
  const start = Date.now() - THREADS * ITEMS * 1000
  for (let i = 0; i < THREADS; i++) {
    const id = `t${i.toString(36).padStart(6, '0')}`
    const at = start + i * ITEMS * 1000
    threads.push(searchThread(id, i, sentence(5), at))
    mkdirSync(join(home, 'threads', id), { recursive: true })
    const lines: string[] = []
    for (let n = 0; n < ITEMS; n++)
      lines.push(JSON.stringify({ type: 'item.completed', at: at + n * 1000, item: makeItem(id, n >> 3, n, at + n * 1000) }))
    const text = `${lines.join('\n')}\n`
    bytes += Buffer.byteLength(text)
    appendFileSync(logFile(id), text)
  }
  const rawMs = now() - t
  const items = THREADS * ITEMS
  const mb = bytes / 1e6
  const rate = (ms: number) => `${(items / (ms / 1000)).toFixed(0).padStart(8)} items/s ${(mb / (ms / 1000)).toFixed(1).padStart(7)} MB/s`
  console.log(`  logs: ${mb.toFixed(0)} MB (generating and appending the JSON lines: ${ms(rawMs)}, ${rate(rawMs)})`)

  // Import baseline from the same run: a Claude Code session of similar size per item, parsed into items.
  const session = writeLargeClaudeSession(join(dir, 'claude.jsonl'), Math.min(64, Math.max(8, mb / 4)) * 1024 * 1024, 4000)
  t = now()
  const imported = await importClaudeSession(session.path, { threadId: 'bench' })
  const importMs = now() - t
  if (!imported.ok) throw new Error(imported.error.message)
  const importItems = imported.value.items.length
  const importRate = importItems / (importMs / 1000)
  console.log(
    `  import baseline: Claude Code session ${(session.bytes / 1e6).toFixed(0)} MB → ${importItems} items in ${ms(importMs)}: ${importRate.toFixed(0)} items/s, ${(session.bytes / 1e6 / (importMs / 1000)).toFixed(1)} MB/s`
  )

  const deps = {
    dir: join(home, 'search'),
    logFile,
    threads: () => threads,
    thread: (id: string) => threads.find((x) => x.id === id),
    logger: memoryLogger(),
    notify: () => undefined,
    batchMs: 0
  }
  // Building from the logs (what a first start, or a lost index, costs).
  t = now()
  let indexer = new SearchIndexer(deps)
  await indexer.start()
  await indexer.flush()
  const buildMs = now() - t
  const dbBytes = statSync(join(home, 'search', 'index.db')).size + statSize(join(home, 'search', 'index.db-wal'))
  console.log(`  build from logs:  ${ms(buildMs).padStart(12)}  ${rate(buildMs)}  index ${(dbBytes / 1e6).toFixed(0)} MB`)
  console.log(`    indexing vs import: ${(items / (buildMs / 1000) / importRate).toFixed(2)}x the import's items/s`)
  console.log(`    indexing vs appending the lines: ${(buildMs / rawMs).toFixed(2)}x the time`)
  console.log(`    state: ${JSON.stringify(indexer.status())}`)

  // Queries, first page (30 results with snippets), median and p95 of QUERY_RUNS.
  const queries: BenchQuery[] = [
    ['rare word', { query: await rareWordPresent(indexer) }],
    ['common word', { query: 'the' }],
    ...SHARED_QUERIES,
    ['common word, archived, last 20%', { query: 'build', status: 'archived', since: start + THREADS * ITEMS * 800 }],
    NO_MATCH
  ]
  for (const [name, q] of queries) {
    const { p50, p95, count } = await firstPage(indexer, q, QUERY_RUNS)
    console.log(`  query ${name.padEnd(34)} p50 ${ms(p50).padStart(10)}  p95 ${ms(p95).padStart(10)}  (${count} results)`)
  }

  // The live path: news for 200 threads with one new item each, written as one batch.
  const live = threads.slice(0, 200)
  for (const th of live)
    appendFileSync(
      logFile(th.id),
      `${JSON.stringify({ type: 'item.completed', at: Date.now(), item: makeItem(th.id, 99, ITEMS + 1, Date.now()) })}\n`
    )
  t = now()
  for (const th of live) indexer.noteLog(th.id)
  await indexer.flush()
  console.log(`  live batch: 200 new items in 200 threads: ${ms(now() - t)}`)
  await indexer.close()

  // Reopening: nothing new in the logs, every thread's high-water mark checked.
  t = now()
  indexer = new SearchIndexer(deps)
  await indexer.start()
  const openMs = now() - t
  await indexer.flush()
  console.log(`  reopen: ${ms(openMs)} until searchable, catch-up with nothing new ${ms(now() - t)}`)
  await indexer.close()
  rmSync(dir, { recursive: true, force: true })
}

/** A rare word that is in the index (found by a search for it, so the figure is for a real hit). */
async function rareWordPresent(indexer: SearchIndexer): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const w = rareWord()
    const r = await indexer.query({ query: w, limit: 1 })
    if (r.ok && r.value.results.length > 0) return w
  }
  return 'w1'
}

// BENCH_SEARCH_SCALE=1: 100k threads and 10 GB of logs (bench/search-scale.ts).
runBench(process.env.BENCH_SEARCH_SCALE ? scaleMain : main)
