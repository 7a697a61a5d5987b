// Checkpoints of a thread's worktree: 10,000 files, 100 of them changed (modified, staged, deleted,
// new). A checkpoint should cost at most 3x `git status` (one status scan plus writing the changed
// blobs), and a fork from one (worktree add + materialize) at most 1.3x a raw `git worktree add`.
// Both are measured in the same run, medians of several samples. A rewind is timed for information.
//   npx tsx bench/checkpoint.ts
import { execFileSync } from 'node:child_process'
import { rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkpointRef } from '../src/main/core/checkpoints/checkpoint-refs'
import { restoreCheckpoint } from '../src/main/core/checkpoints/checkpoint-restore'
import { writeCheckpoint } from '../src/main/core/checkpoints/checkpoint-write'
import { materializeCheckpoint } from '../src/main/core/checkpoints/fork-worktree'
import { GitRunner } from '../src/main/core/git/git-runner'
import { benchDir, git, makeBenchRepo, ms, now, percentile, runBench } from './bench-utils'

const FILES = 10_000
const RUNS = 15
const FORK_RUNS = 7

const meta = { trigger: 'manual' as const, label: 'bench', turnId: null, turnIds: [], session: null, createdAt: 0 }

async function sample(runs: number, f: (i: number) => Promise<unknown> | unknown, between?: (i: number) => void): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = now()
    await f(i)
    out.push(now() - t)
    between?.(i)
  }
  return out
}

const line = (label: string, s: number[]) =>
  `${label.padEnd(52)} p50 ${ms(percentile(s, 50)).padStart(11)}  p95 ${ms(percentile(s, 95)).padStart(11)}`

function verdict(label: string, ratio: number, goal: number): string {
  return `${label.padEnd(52)} ${ratio.toFixed(2)}x  (goal ≤ ${goal}x: ${ratio <= goal ? 'met' : 'MISSED'})`
}

async function main(): Promise<void> {
  const home = benchDir('checkpoint')
  const repo = makeBenchRepo(home, 'repo', FILES)
  const wt = join(home, 'thread')
  git(repo, 'worktree', 'add', '-q', '-b', 'thread', wt)
  // 100 changed files: 70 modified (20 of them staged), 10 deleted, 20 new.
  for (let i = 0; i < 70; i++) writeFileSync(join(wt, 'src', `mod${i % 40}`, `file${i}.ts`), `export const changed${i} = ${i}\n`.repeat(25))
  git(wt, 'add', ...Array.from({ length: 20 }, (_, i) => `src/mod${i % 40}/file${i}.ts`))
  for (let i = 70; i < 80; i++) unlinkSync(join(wt, 'src', `mod${i % 40}`, `file${i}.ts`))
  for (let i = 0; i < 20; i++) writeFileSync(join(wt, 'src', `mod${i}`, `new${i}.ts`), `export const fresh${i} = ${i}\n`)
  const runner = new GitRunner()
  const status = () => execFileSync('git', ['status', '--porcelain'], { cwd: wt })
  status()
  const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: wt, encoding: 'utf8' })
    .trim()
    .split('\n').length
  console.log(`Worktree of ${FILES} files, ${changed} changed`)

  let n = 0
  const write = async () => {
    const r = await writeCheckpoint(runner, wt, { ref: checkpointRef('bench', ++n), meta })
    if (!r.ok) throw new Error(r.error)
    return r.value
  }
  const first = await write()
  // Alternated, so both see the same machine load.
  const rawStatus: number[] = []
  const checkpoint: number[] = []
  for (let i = 0; i < RUNS; i++) {
    rawStatus.push(...(await sample(1, status)))
    checkpoint.push(...(await sample(1, write)))
  }
  console.log(line('raw git status --porcelain', rawStatus))
  console.log(line('writeCheckpoint (ref set)', checkpoint))
  const dry = await sample(RUNS, () => writeCheckpoint(runner, wt, { ref: null, meta }))
  console.log(line('writeCheckpoint dry (current state only)', dry))

  // A rewind of the 100 files after more changes, for information.
  const rewind = await sample(
    5,
    async () => {
      const r = await restoreCheckpoint(runner, wt, first.commit!)
      if (!r.ok) throw new Error(r.error)
    },
    () => {
      for (let i = 100; i < 200; i++) writeFileSync(join(wt, 'src', `mod${i % 40}`, `file${i}.ts`), `export const later${i} = ${i}\n`)
    }
  )
  for (let i = 100; i < 200; i++) writeFileSync(join(wt, 'src', `mod${i % 40}`, `file${i}.ts`), `export const later${i} = ${i}\n`)
  console.log(line('restoreCheckpoint (100 files back, HEAD same)', rewind))

  const head = first.state.head!
  const forks = join(home, 'forks')
  const drop = (path: string, branch: string) => {
    git(repo, 'worktree', 'remove', '--force', path)
    git(repo, 'branch', '-q', '-D', branch)
    rmSync(path, { recursive: true, force: true })
  }
  const rawAdd: number[] = []
  const fork: number[] = []
  const materialize: number[] = []
  for (let i = 0; i < FORK_RUNS; i++) {
    const rawPath = join(forks, `raw${i}`)
    rawAdd.push(...(await sample(1, () => git(repo, 'worktree', 'add', '-q', '-b', `raw${i}`, rawPath, head))))
    drop(rawPath, `raw${i}`)
    const forkPath = join(forks, `fork${i}`)
    const t = now()
    git(repo, 'worktree', 'add', '-q', '-b', `fork${i}`, forkPath, head)
    const m = now()
    const r = await materializeCheckpoint(runner, forkPath, first.commit!)
    if (!r.ok) throw new Error(r.error)
    fork.push(now() - t)
    materialize.push(now() - m)
    drop(forkPath, `fork${i}`)
  }
  console.log(line('raw git worktree add', rawAdd))
  console.log(line('fork: worktree add + materializeCheckpoint', fork))
  // worktree add writes 10,000 files and swings with the disk; the part a fork adds is this.
  console.log(line('  of which materializeCheckpoint', materialize))

  console.log(verdict('checkpoint ÷ git status', percentile(checkpoint, 50) / percentile(rawStatus, 50), 3))
  console.log(verdict('fork ÷ git worktree add', percentile(fork, 50) / percentile(rawAdd, 50), 1.3))
}

runBench(main)
