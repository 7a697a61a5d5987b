import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanupTemp, tempDir } from './helpers/fixtures'
import { writeLargeClaudeSession, writeLargeCodexRollout, type LargeSession } from './helpers/session-fixtures'

afterAll(cleanupTemp)

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SIZE = 64 * 1024 * 1024
// The child's heap is capped well below the file size: a reader that held the file as one
// string could not even allocate it, and one that held a Buffer shows in arrayBuffers.
const HEAP_CAP_MB = 32

// Runs in a child node with the heap cap; samples memory while the import streams.
const CHILD = `
const [modulePath, exportName, file] = process.argv.slice(1)
const mod = await import(modulePath)
const importer = (mod.default ?? mod)[exportName]
const mem = () => process.memoryUsage()
const before = mem()
let heapPeak = before.heapUsed
let buffersPeak = before.arrayBuffers
const sample = () => {
  const m = mem()
  heapPeak = Math.max(heapPeak, m.heapUsed)
  buffersPeak = Math.max(buffersPeak, m.arrayBuffers)
}
const timer = setInterval(sample, 1)
const r = await importer(file, { threadId: 'big', maxToolOutputChars: 2000 })
sample()
clearInterval(timer)
if (!r.ok) throw new Error(r.error.message)
const items = r.value.items
console.log(JSON.stringify({
  users: items.filter((i) => i.kind === 'user').length,
  tools: items.filter((i) => i.kind === 'tool').length,
  capped: items.filter((i) => i.kind === 'tool' && /more characters not imported\\)$/.test(i.tool.output ?? '')).length,
  stats: r.value.stats,
  heapGrowth: heapPeak - before.heapUsed,
  buffersGrowth: buffersPeak - before.arrayBuffers
}))
`

async function importInCappedChild(module: string, exportName: string, file: string) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx', '--input-type=module', '-e', CHILD, join(ROOT, module), exportName, file],
    { cwd: ROOT, timeout: 120_000, maxBuffer: 1024 * 1024 }
  )
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    users: number
    tools: number
    capped: number
    stats: { malformed: number; reasoning: number; skipped: Record<string, number> }
    heapGrowth: number
    buffersGrowth: number
  }
}

function expectStreamed(big: LargeSession, r: Awaited<ReturnType<typeof importInCappedChild>>): void {
  expect(big.bytes).toBeGreaterThan(50 * 1024 * 1024)
  expect(r.users).toBe(big.turns)
  expect(r.tools).toBe(big.turns)
  expect(r.capped).toBe(big.turns)
  expect(r.stats.malformed).toBe(0)
  expect(r.heapGrowth).toBeLessThan(big.bytes / 4)
  expect(r.buffersGrowth).toBeLessThan(big.bytes / 16)
}

describe('importing sessions larger than 50 MB', () => {
  it('streams a Claude Code session in a heap far smaller than the file', async () => {
    const big = writeLargeClaudeSession(join(tempDir(), 'big.jsonl'), SIZE)
    const r = await importInCappedChild('src/main/core/handoff/claude-import.ts', 'importClaudeSession', big.path)
    expectStreamed(big, r)
    expect(r.stats.skipped['sub-agent records']).toBe(big.turns)
    expect(r.stats.reasoning).toBe(big.turns)
  })

  it('streams a Codex rollout in a heap far smaller than the file', async () => {
    const big = writeLargeCodexRollout(join(tempDir(), 'rollout-big.jsonl'), SIZE)
    const r = await importInCappedChild('src/main/core/handoff/codex-import.ts', 'importCodexSession', big.path)
    expectStreamed(big, r)
    expect(r.stats.reasoning).toBe(big.turns)
  })
})
