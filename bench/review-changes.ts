// The Changes tab at the core: listing 1,000 changed files, loading a 20,000-line file diff, and
// what a burst of 100 agent writes costs while a client watches (debounce runs and CPU time).
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCore } from '../src/main/core/core'
import { memoryLogger } from '../src/main/core/logger'
import type { Connection } from '../src/main/core/rpc/rpc-server'
import { benchDir, git, makeBenchRepo, ms, now, percentile, runBench } from './bench-utils'

const RUNS = 15
const TICK_MS = 10 // /proc clock ticks are 1/100 s on Linux

/** CPU time of this process and of its reaped children (the git processes), in ms. */
function cpu(): { self: number; children: number } {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
  // After "pid (comm) ": utime is field 14 overall, i.e. index 11 here; cutime/cstime follow stime.
  return { self: (Number(fields[11]) + Number(fields[12])) * TICK_MS, children: (Number(fields[13]) + Number(fields[14])) * TICK_MS }
}

async function sample(f: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = now()
    await f()
    out.push(now() - t)
  }
  return out
}

const line = (label: string, s: number[], base?: number[]) =>
  `${label.padEnd(44)} p50 ${ms(percentile(s, 50)).padStart(11)}  p95 ${ms(percentile(s, 95)).padStart(11)}${base ? `  (${(percentile(s, 50) / percentile(base, 50)).toFixed(2)}x raw)` : ''}`

async function main(): Promise<void> {
  const home = benchDir('review')
  const repoPath = makeBenchRepo(home, 'repo', 1200)
  const bigText = Array.from({ length: 20_000 }, (_, i) => `export const line${i} = ${i}`).join('\n')
  writeFileSync(join(repoPath, 'big.ts'), bigText)
  git(repoPath, 'add', 'big.ts')
  git(repoPath, 'commit', '-qm', 'big file')
  const core = await createCore({ home, logger: memoryLogger(), listenSocket: false })
  const repo = await core.repos.add(repoPath)
  if (!repo.ok) throw new Error(repo.error.message)
  const t = await core.threads.create({ repoId: repo.value.id, title: 'review bench', mode: 'worktree' })
  if (!t.ok) throw new Error(t.error.message)
  const wt = t.value.worktreePath
  const files = execFileSync('git', ['ls-files'], { cwd: wt, encoding: 'utf8' }).trim().split('\n').slice(0, 1000)
  for (const f of files) writeFileSync(join(wt, f), readFileSync(join(wt, f), 'utf8').replace('= ', '= 1 + '))
  writeFileSync(join(wt, 'big.ts'), bigText.replace(/= (\d*0)$/gm, '= $1 * 2'))

  const rawStatus = await sample(() => execFileSync('git', ['status', '--porcelain'], { cwd: wt }))
  const rawNumstat = await sample(() => execFileSync('git', ['diff', '--numstat', 'main'], { cwd: wt }))
  let count = 0
  // The first call after a start has nothing cached: every untracked file hashed, every file's counts taken.
  const coldStart = now()
  const coldList = await core.review.changes(t.value.id, 'base')
  const cold = now() - coldStart
  if (!coldList.ok) throw new Error(coldList.error.message)
  const list = await sample(async () => {
    const r = await core.review.changes(t.value.id, 'base')
    if (!r.ok) throw new Error(r.error.message)
    count = r.value.files.length
  })
  console.log(`Changed files listed: ${count} in a repository of ${1200 + 3} files`)
  console.log(line('raw git status --porcelain', rawStatus))
  console.log(line('raw git diff --numstat main (tracked only)', rawNumstat))
  console.log(
    `${'review/changes, first call (nothing cached)'.padEnd(44)} ${ms(cold).padStart(15)}  (${(cold / percentile(rawNumstat, 50)).toFixed(2)}x raw)`
  )
  console.log(line(`review/changes (${count} files, vs merge-base)`, list, rawNumstat))

  const rawOpen = await sample(() => [execFileSync('git', ['show', 'main:big.ts'], { cwd: wt }), readFileSync(join(wt, 'big.ts'))])
  const open = await sample(async () => {
    const r = await core.review.file(t.value.id, { path: 'big.ts', oldPath: null, scope: 'base', force: false })
    if (!r.ok || r.value.kind !== 'text') throw new Error('expected a text diff')
  })
  console.log(line('raw git show + read of the 20,000-line file', rawOpen))
  console.log(line('review/file, 20,000 lines, 2,000 changed', open, rawOpen))

  // The burst: a watching client, then 100 files written as fast as an agent could.
  const received: number[] = []
  let last = 0
  const client: Connection = {
    id: 'bench',
    notify: (name, params) => {
      if (name !== 'review/changed') return
      received.push(now())
      last = (params as { changes: { files: unknown[] } }).changes.files.length
    },
    onClose: () => ({ dispose: () => undefined })
  }
  const watch = await core.reviewWatch.watch(t.value.id, 'base', client)
  if (!watch.ok) throw new Error(watch.error.message)
  await core.reviewWatch.whenReady(t.value.id)
  // The start-up recomputation is not part of the burst.
  await new Promise((res) => setTimeout(res, 2000))
  received.length = 0
  const baseRuns = core.reviewWatch.stats(t.value.id)!.runs
  const one = await sample(() => core.review.changes(t.value.id, 'base'))
  const before = cpu()
  const start = now()
  for (let i = 0; i < 100; i++) writeFileSync(join(wt, 'src', `burst${i}.ts`), `export const burst${i} = ${i}\n`)
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline && last < count + 100) await new Promise((res) => setTimeout(res, 20))
  const settled = now()
  // Let any trailing debounce window run before reading the counters.
  await new Promise((res) => setTimeout(res, 2000))
  const stats = core.reviewWatch.stats(t.value.id)!
  const after = cpu()
  console.log(
    `Burst of 100 writes: ${stats.events} file events → ${stats.runs - baseRuns} recomputations → ${stats.notifications} review/changed (${last} files); first notification ${ms((received[0] ?? start) - start)}, all 100 seen ${ms(settled - start)} after the first write`
  )
  console.log(
    `  one change-set computation p50 ${ms(percentile(one, 50))}; watcher work ≈ ${ms((stats.runs - baseRuns) * percentile(one, 50))} wall for the burst`
  )
  console.log(
    `  CPU for the burst (writes + watcher + recomputation): core ${after.self - before.self} ms, git children ${after.children - before.children} ms (tick 10 ms)`
  )
  console.log(
    `  without debounce it would be ${stats.events} recomputations (${(stats.events / Math.max(1, stats.runs - baseRuns)).toFixed(0)}x more)`
  )
  await core.close()
}

runBench(main)
