// Thread creation time divided by a raw `git worktree add` on the same repository. Target: at most 1.15.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createCore } from '../src/main/core/core'
import { memoryLogger } from '../src/main/core/logger'
import { benchDir, makeBenchRepo, ms, now, percentile, runBench } from './bench-utils'

const run = promisify(execFile)
const N = Number(process.env.BENCH_CREATES ?? 20)
const FILES = Number(process.env.BENCH_FILES ?? 2000)

async function main(): Promise<void> {
  const dir = benchDir('create')
  const repoPath = makeBenchRepo(dir, 'repo', FILES)
  const core = await createCore({ home: join(dir, 'home'), logger: memoryLogger(), listenSocket: false })
  const repo = await core.repos.add(repoPath)
  if (!repo.ok) throw new Error(repo.error.message)

  const raw: number[] = []
  const skein: number[] = []
  // Interleave so disk cache and machine noise hit both equally.
  for (let i = 0; i < N; i++) {
    let t = now()
    await run('git', ['worktree', 'add', '-q', '-b', `raw/b${i}`, join(dir, 'raw', `b${i}`), 'main'], { cwd: repoPath })
    raw.push(now() - t)
    t = now()
    const made = await core.threads.create({ repoId: repo.value.id, title: `bench ${i}`, mode: 'worktree' })
    skein.push(now() - t)
    if (!made.ok || made.value.status !== 'idle') throw new Error(made.ok ? String(made.value.statusMessage) : made.error.message)
  }
  await core.close()
  const rawP50 = percentile(raw, 50)
  const skeinP50 = percentile(skein, 50)
  console.log(`thread/create vs raw git worktree add (${N} each, repo of ${FILES} files)`)
  console.log(`  raw git worktree add   p50 ${ms(rawP50)}  p95 ${ms(percentile(raw, 95))}`)
  console.log(`  skein thread/create    p50 ${ms(skeinP50)}  p95 ${ms(percentile(skein, 95))}`)
  console.log(`  ratio (p50): ${(skeinP50 / rawP50).toFixed(3)}   target <= 1.15`)
}

runBench(main)
