// Listing importable sessions: BENCH_SESSIONS (default 1,000) session files, half Claude Code in
// 40 project folders and half Codex rollouts across two months of day folders, 20-400 KB each, against a raw
// readdir + stat of the same files (what any listing has to do at least).
import { readdir, stat } from 'node:fs/promises'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { listSessions, sessionFiles, sessionsInDirectory } from '../src/main/core/handoff/session-discovery'
import { ClaudeSession, CodexRollout, text, toolUse, writeClaudeSession, writeCodexRollout } from '../test/helpers/session-fixtures'
import { benchDir, ms, now, percentile, runBench } from './bench-utils'

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1000)
const RUNS = 10

const uuid = (i: number) => `${(0x10000000 + i).toString(16)}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`

function seed(home: string): number {
  let bytes = 0
  const output = 'export const value = compute(42);\n'.repeat(120)
  for (let i = 0; i < SESSIONS; i++) {
    const turns = 5 + ((i * 37) % 100)
    const cwd = `/home/dev/src/project-${i % 40}${i % 3 === 0 ? '/packages/web' : ''}`
    let content: string
    if (i % 2 === 0) {
      const s = new ClaudeSession(uuid(i), cwd)
      s.raw({ type: 'file-history-snapshot', messageId: 'm', snapshot: {}, isSnapshotUpdate: false })
      for (let t = 0; t < turns; t++) {
        s.user(`Session ${i}, turn ${t}: refactor the payment module and keep the tests green`)
        s.assistant(`msg_${i}_${t}`, [text('Reading the module.'), toolUse(`toolu_${i}_${t}`, 'Read', { file_path: `${cwd}/src/pay.ts` })])
        s.toolResult(`toolu_${i}_${t}`, output)
      }
      content = s.text()
      writeClaudeSession(join(home, '.claude'), `-home-dev-src-project-${i % 40}`, `${uuid(i)}.jsonl`, content)
    } else {
      const r = new CodexRollout(uuid(i), cwd)
        .meta({ instructions: 'Follow AGENTS.md. '.repeat(200) })
        .turnContext('gpt-5-codex')
        .injected()
      for (let t = 0; t < turns; t++)
        r.user(`Session ${i}, turn ${t}: run the suite`)
          .call(`call_${i}_${t}`, 'shell', { command: ['npm', 'test'] }, output)
          .assistant('Green.')
      content = r.text()
      const day = `2025-${String(1 + ((i >> 1) % 2) * 5).padStart(2, '0')}-${String(1 + ((i >> 1) % 28)).padStart(2, '0')}`
      writeCodexRollout(join(home, '.codex'), day, uuid(i), content)
    }
    bytes += Buffer.byteLength(content)
  }
  return bytes
}

async function rawListing(home: string): Promise<number> {
  // The same folders, walked and stat'ed, with no file opened.
  const files = await sessionFiles({ home })
  const dirs = new Set(files.map((f) => join(f.path, '..')))
  await Promise.all([...dirs].map((d) => readdir(d)))
  const stats = await Promise.all(files.map((f) => stat(f.path)))
  return stats.length
}

async function main(): Promise<void> {
  const home = benchDir('listing')
  const bytes = seed(home)
  const raw: number[] = []
  const list: number[] = []
  const repo: number[] = []
  let count = 0
  for (let i = 0; i < RUNS; i++) {
    let t = now()
    await rawListing(home)
    raw.push(now() - t)
    t = now()
    const sessions = await listSessions({ home, env: {} })
    list.push(now() - t)
    count = sessions.length
    t = now()
    await sessionsInDirectory(sessions, '/home/dev/src/project-7')
    repo.push(now() - t)
  }
  console.log(`Listing importable sessions: ${count} sessions (${(bytes / 1e6).toFixed(0)} MB on disk), ${RUNS} runs`)
  console.log(`  raw readdir + stat                 p50 ${ms(percentile(raw, 50))}  p95 ${ms(percentile(raw, 95))}`)
  console.log(
    `  listSessions (head of each file)   p50 ${ms(percentile(list, 50))}  p95 ${ms(percentile(list, 95))}   ${(percentile(list, 50) / percentile(raw, 50)).toFixed(2)}x raw`
  )
  console.log(`  filter by repository (realpath)    p50 ${ms(percentile(repo, 50))}`)
  rmSync(home, { recursive: true, force: true })
}

runBench(main)
