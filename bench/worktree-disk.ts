// Worktrees that share their dependencies: for a repository with ~300 MB of node_modules, the time from
// "create thread" to "node_modules in place", and the disk 10 such worktrees use, under each way of
// bringing node_modules in: a fresh copy (standing in for a fresh install), a symlink to one shared
// folder, and a copy-on-write clone (cp --reflink=auto; a plain copy where the file system cannot clone).
// Also: how long Skein's disk walk takes against GNU du on the same folders, and how long it holds the
// event loop. Goal: 10 worktrees use less than 1.5x the disk of one.
//   BENCH_NM_MB=300 BENCH_WORKTREES=10 npx tsx bench/worktree-disk.ts
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createCore } from '../src/main/core/core'
import { measureDisk } from '../src/main/core/disk/disk-walk'
import { shareFolder, type ShareMode } from '../src/main/core/environment/share-folder'
import { memoryLogger } from '../src/main/core/logger'
import { benchDir, git, ms, now, percentile, runBench } from './bench-utils'

const TARGET_MB = Number(process.env.BENCH_NM_MB ?? 300)
const N = Number(process.env.BENCH_WORKTREES ?? 10)
const MB = 1024 * 1024

/** A seeded generator, so every run builds the same tree. */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** node_modules of about `mb` MB, shaped like a real one: mostly small .js/.d.ts/.json files, a few big binaries. */
function makeNodeModules(dir: string, mb: number): { files: number; bytes: number } {
  const rand = mulberry32(17)
  let bytes = 0
  let files = 0
  let pkg = 0
  const target = mb * MB
  while (bytes < target) {
    const name = `pkg-${pkg++}`
    const root = join(dir, pkg % 7 === 0 ? `@scope${pkg % 13}` : '', name)
    const count = 5 + Math.floor(rand() * 60)
    for (let i = 0; i < count && bytes < target; i++) {
      const r = rand()
      // 72% under 8 KB, 26% 8–64 KB, 2% 64–512 KB, 0.1% 1–8 MB (native binaries, bundles): about 20 KB a file, as in real trees.
      const size =
        r < 0.72
          ? 200 + Math.floor(rand() * 8000)
          : r < 0.979
            ? 8192 + Math.floor(rand() * 57_000)
            : r < 0.999
              ? 65_536 + Math.floor(rand() * 450_000)
              : MB + Math.floor(rand() * 7 * MB)
      const sub = join(root, ['lib', 'dist', 'src', 'types'][i % 4]!, i % 3 === 0 ? 'internal' : '')
      mkdirSync(sub, { recursive: true })
      writeFileSync(join(sub, `f${i}${['.js', '.d.ts', '.json', '.map'][i % 4]}`), randomBytes(size))
      bytes += size
      files++
    }
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name, version: '1.0.0' }))
  }
  return { files, bytes }
}

const du = (...paths: string[]) =>
  Number(
    execFileSync('du', ['-s', '-c', '-B1', ...paths], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1)!
      .split('\t')[0]
  )
const gb = (bytes: number) => (bytes >= 1024 * MB ? `${(bytes / 1024 / MB).toFixed(2)} GB` : `${(bytes / MB).toFixed(0)} MB`)

interface ModeResult {
  mode: ShareMode
  used: string
  createP50: number
  createP95: number
  diskTen: number
  diskOne: number
}

async function main(): Promise<void> {
  const dir = benchDir('worktree-disk')
  try {
    const repoPath = join(dir, 'app')
    mkdirSync(repoPath)
    git(repoPath, 'init', '-q', '-b', 'main')
    writeFileSync(join(repoPath, '.gitignore'), 'node_modules/\n')
    for (let i = 0; i < 200; i++) {
      mkdirSync(join(repoPath, 'src', `m${i % 10}`), { recursive: true })
      writeFileSync(join(repoPath, 'src', `m${i % 10}`, `file${i}.ts`), `export const v${i} = ${i}\n`.repeat(30))
    }
    writeFileSync(join(repoPath, 'package.json'), '{"name":"app","private":true}\n')
    git(repoPath, 'add', '-A')
    git(repoPath, 'commit', '-q', '-m', 'init')
    let t = now()
    const nm = makeNodeModules(join(repoPath, 'node_modules'), TARGET_MB)
    console.log(
      `node_modules: ${nm.files.toLocaleString('en-US')} files, ${gb(nm.bytes)} apparent, ${gb(du(join(repoPath, 'node_modules')))} on disk (made in ${ms(now() - t)})`
    )

    // The disk walk against du, on the same folder, with the event loop's worst stall while walking.
    const delay = monitorEventLoopDelay({ resolution: 5 })
    delay.enable()
    t = now()
    const walked = await measureDisk(join(repoPath, 'node_modules'))
    const walkMs = now() - t
    delay.disable()
    t = now()
    const duBytes = du(join(repoPath, 'node_modules'))
    const duMs = now() - t
    console.log(
      `disk walk: ${ms(walkMs)} for ${walked.files.toLocaleString('en-US')} files (du: ${ms(duMs)}); figures agree: ${walked.allocatedBytes === duBytes ? 'yes' : `no (${walked.allocatedBytes} vs ${duBytes})`}; longest event-loop stall while walking ${ms(delay.max / 1e6)}`
    )

    // Modes take turns, one worktree each, so page-cache pressure and machine noise hit all of them alike.
    const modes: ShareMode[] = ['copy', 'symlink', 'reflink']
    const runs = await Promise.all(
      modes.map(async (mode) => {
        const core = await createCore({ home: join(dir, `home-${mode}`), logger: memoryLogger(), listenSocket: false })
        const repo = await core.repos.add(repoPath)
        if (!repo.ok) throw new Error(repo.error.message)
        return { mode, core, repoId: repo.value.id, times: [] as number[], paths: [] as string[], used: mode as string }
      })
    )
    for (let i = 0; i < N; i++) {
      for (const r of runs) {
        t = now()
        const made = await r.core.threads.create({ repoId: r.repoId, title: `${r.mode} ${i}`, mode: 'worktree' })
        if (!made.ok) throw new Error(made.error.message)
        const shared = await shareFolder(join(repoPath, 'node_modules'), join(made.value.worktreePath, 'node_modules'), r.mode)
        r.times.push(now() - t)
        if (!shared.ok) throw new Error(shared.error.message)
        if (shared.value.fellBack) r.used = `copy (${shared.value.fellBack})`
        r.paths.push(made.value.worktreePath)
      }
    }
    const results: ModeResult[] = []
    for (const r of runs) {
      await r.core.close()
      // A symlinked folder lives once, in the source; it counts towards the worktrees that use it.
      const store = r.mode === 'symlink' ? [join(repoPath, 'node_modules')] : []
      results.push({
        mode: r.mode,
        used: r.used,
        createP50: percentile(r.times, 50),
        createP95: percentile(r.times, 95),
        diskTen: du(...r.paths, ...store),
        diskOne: du(r.paths[0]!, ...store)
      })
    }
    const base = results.find((r) => r.mode === 'copy')!
    console.log(
      `\n${N} worktrees of a repository with ${gb(nm.bytes)} of node_modules (this machine's file system: ${execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).trim()})`
    )
    console.log(
      `mode      create→ready p50   p95        disk, 1 wt   ${`disk, ${N} wts`.padEnd(13)} ${N} vs 1   disk vs fresh   time vs fresh`
    )
    for (const r of results) {
      console.log(
        `${r.mode.padEnd(9)} ${ms(r.createP50).padStart(12)} ${ms(r.createP95).padStart(12)} ${gb(r.diskOne).padStart(12)} ${gb(r.diskTen).padStart(13)} ${`${(r.diskTen / r.diskOne).toFixed(2)}x`.padStart(8)} ${`${(r.diskTen / base.diskTen).toFixed(3)}x`.padStart(15)} ${`${(r.createP50 / base.createP50).toFixed(3)}x`.padStart(15)}`
      )
      if (r.used !== r.mode) console.log(`          used: ${r.used}`)
    }
    const fresh1 = base.diskOne
    for (const r of results)
      console.log(
        `  ${r.mode}: ${N} worktrees use ${(r.diskTen / fresh1).toFixed(2)}x the disk of one fresh worktree — goal < 1.5x: ${r.diskTen / fresh1 < 1.5 ? 'met' : 'not met'}`
      )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

runBench(main)
