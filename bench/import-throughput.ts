// Import throughput: a Claude Code session and a Codex rollout of BENCH_IMPORT_MB (default 50) MB,
// imported into transcript items, against the raw rate of reading the same file line by line
// (node:readline over a read stream, nothing parsed). Also the heap the import keeps.
import { createReadStream, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { importClaudeSession } from '../src/main/core/handoff/claude-import'
import { importCodexSession } from '../src/main/core/handoff/codex-import'
import { forEachLine } from '../src/main/core/handoff/jsonl-reader'
import { writeLargeClaudeSession, writeLargeCodexRollout } from '../test/helpers/session-fixtures'
import { benchDir, ms, now, percentile, runBench } from './bench-utils'

const MB = Number(process.env.BENCH_IMPORT_MB ?? 50)
const RUNS = 5

async function readlineBaseline(path: string): Promise<void> {
  let n = 0
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity })
  for await (const line of rl) if (line) n++
  if (n === 0) throw new Error('no lines')
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = now()
    await fn()
    samples.push(now() - t)
  }
  return percentile(samples, 50)
}

async function main(): Promise<void> {
  const dir = benchDir('import')
  const rate = (bytes: number, t: number) => `${(bytes / 1e6 / (t / 1000)).toFixed(0).padStart(5)} MB/s`
  console.log(`Session import throughput, ${MB} MB files, median of ${RUNS} runs`)
  for (const [name, big, run] of [
    ['Claude Code', writeLargeClaudeSession(join(dir, 'claude.jsonl'), MB * 1024 * 1024), importClaudeSession] as const,
    ['Codex', writeLargeCodexRollout(join(dir, 'rollout-codex.jsonl'), MB * 1024 * 1024), importCodexSession] as const
  ]) {
    const raw = await timed(() => readlineBaseline(big.path))
    const reader = await timed(() => forEachLine(big.path, () => {}))
    const heapBefore = process.memoryUsage().heapUsed
    let items = 0
    const imported = await timed(async () => {
      const r = await run(big.path, { threadId: 'bench' })
      if (!r.ok) throw new Error(r.error.message)
      items = r.value.items.length
    })
    console.log(`  ${name} (${(big.bytes / 1e6).toFixed(1)} MB, ${big.turns} turns → ${items} items)`)
    console.log(`    raw readline, lines only       ${ms(raw).padStart(11)}  ${rate(big.bytes, raw)}`)
    console.log(`    handoff line reader            ${ms(reader).padStart(11)}  ${rate(big.bytes, reader)}`)
    console.log(
      `    import (parse, chain, items)   ${ms(imported).padStart(11)}  ${rate(big.bytes, imported)}   ${(imported / raw).toFixed(2)}x the raw read time`
    )
    console.log(
      `    heap after the runs: +${((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(1)} MB (the last result is still referenced until the next import)`
    )
  }
  rmSync(dir, { recursive: true, force: true })
}

runBench(main)
