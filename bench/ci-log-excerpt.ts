// Log excerpt speed: excerpting a 50 MB CI log (error in the middle) from a file stream, against the
// raw baseline of only reading the same stream. Run: npx tsx bench/ci-log-excerpt.ts
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { AGENT_EXCERPT, excerptLog, excerptLogs } from '../src/main/core/ci/log-excerpt'
import { LOG_VIEW } from '../src/main/core/ci/ci-service'
import { benchDir, ms, now, percentile, runBench } from './bench-utils'

const MB = Number(process.env.BENCH_LOG_MB ?? 50)
const RUNS = 5

async function writeLog(path: string): Promise<number> {
  const out = createWriteStream(path)
  const target = MB * 1024 * 1024
  let written = 0
  let n = 0
  let errorAt = 0
  while (written < target) {
    let chunk = ''
    for (let i = 0; i < 1000; i++) {
      n++
      const ts = `2024-05-01T10:${String(Math.floor(n / 60_000) % 60).padStart(2, '0')}:00.0000000Z`
      // Realistic noise: coloured progress, passing tests mentioning errors, "0 errors" summaries.
      const line =
        errorAt === 0 && written >= target / 2
          ? `${ts} \x1b[31merror TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.\x1b[0m`
          : n % 50 === 0
            ? `${ts}  \x1b[32m✓\x1b[0m handles the error case ${n} (3 ms)`
            : n % 97 === 0
              ? `${ts} Found 0 errors. Watching for file changes.`
              : `${ts} [build] compiling src/modules/module-${n % 400}/index.ts … done in ${n % 90} ms`
      if (errorAt === 0 && line.includes('error TS')) errorAt = n
      chunk += line + '\n'
    }
    written += Buffer.byteLength(chunk)
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((r) => out.end(r))
  return errorAt
}

async function timed(fn: () => Promise<unknown>): Promise<{ times: number[]; peakRssMb: number }> {
  const times: number[] = []
  let peak = 0
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
  for (let i = 0; i < RUNS; i++) {
    const t = now()
    await fn()
    times.push(now() - t)
  }
  clearInterval(sample)
  return { times, peakRssMb: peak / 1024 / 1024 }
}

async function main(): Promise<void> {
  const dir = benchDir('ci-log')
  const path = join(dir, 'job.log')
  const errorAt = await writeLog(path)
  const size = statSync(path).size
  const mb = size / 1024 / 1024
  const stream = () => createReadStream(path, { highWaterMark: 64 * 1024 })

  let check = await excerptLog(stream())
  if (check.firstErrorLine !== errorAt) throw new Error(`first error found at ${check.firstErrorLine}, expected ${errorAt}`)

  const raw = await timed(async () => {
    let bytes = 0
    for await (const c of stream()) bytes += (c as Buffer).length
    return bytes
  })
  const decode = await timed(async () => {
    const d = new TextDecoder()
    let lines = 0
    for await (const c of stream()) {
      const text = d.decode(c as Buffer, { stream: true })
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++
    }
    return lines
  })
  const agent = await timed(async () => (check = await excerptLog(stream(), AGENT_EXCERPT)))
  const both = await timed(() => excerptLogs(stream(), [LOG_VIEW, AGENT_EXCERPT]))

  const row = (name: string, r: { times: number[]; peakRssMb: number }) => {
    const med = percentile(r.times, 50)
    const ratio = med / percentile(raw.times, 50)
    console.log(
      `${name.padEnd(44)} median ${ms(med).padStart(11)}  ${(mb / (med / 1000)).toFixed(0).padStart(5)} MB/s  ×${ratio.toFixed(2)} raw  peak RSS ${r.peakRssMb.toFixed(0)} MB`
    )
  }
  console.log(`log excerpt: ${mb.toFixed(1)} MB, ${check.totalLines} lines, first error at line ${errorAt}; ${RUNS} runs each`)
  row('raw read of the stream (baseline)', raw)
  row('read + decode + count lines', decode)
  row('excerpt for the agent (8 KB + 8 KB)', agent)
  row('excerpt for log view + agent, one pass', both)
  const text = check.segments.reduce((n, s) => n + s.lines.reduce((m, l) => m + Buffer.byteLength(l) + 1, 0), 0)
  console.log(`agent excerpt: ${check.segments.length} segments, ${(text / 1024).toFixed(1)} KB kept of ${mb.toFixed(0)} MB`)
  rmSync(dir, { recursive: true, force: true })
}

runBench(main)
