// What the OS sandbox costs the built-in agent: opening its shell (bare, read-only sandbox,
// worktree sandbox) and running a command in it (the bash tool's round trip for `true`). Raw
// baselines measured in the same run: spawning `bash -c true`, and `bwrap … true` on its own.
import { spawnSync } from 'node:child_process'
import { GitRunner } from '../src/main/core/git/git-runner'
import { createCore } from '../src/main/core/core'
import { memoryLogger } from '../src/main/core/logger'
import { makeTools } from '../src/main/core/agent/tool-set'
import { SandboxService } from '../src/main/core/sandbox/sandbox-service'
import type { SandboxLevel } from '../src/main/core/sandbox/sandbox-types'
import { benchDir, makeBenchRepo, ms, now, percentile, runBench } from './bench-utils'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20)

async function main(): Promise<void> {
  process.env.SHELL = '/bin/bash'
  const home = benchDir('sandbox')
  const core = await createCore({ home: `${home}/skein`, logger: memoryLogger(), listenSocket: false })
  const support = await new SandboxService(new GitRunner(), `${home}/skein`).detect()
  if (support.kind !== 'bwrap') {
    console.log(`  no bubblewrap sandbox here (${support.kind === 'none' ? support.reason : support.kind}); nothing to measure`)
    await core.close()
    return
  }
  const repo = await core.repos.add(makeBenchRepo(home, 'repo', 5))
  if (!repo.ok) throw new Error(repo.error.message)
  const bash = makeTools(new GitRunner(), core.ptys).get('bash')!
  const levels: Array<SandboxLevel | null> = [null, 'read-only', 'worktree']
  const open: Record<string, number[]> = {}
  const run: Record<string, number[]> = {}
  for (const level of levels) {
    const key = level ?? 'none'
    open[key] = []
    run[key] = []
    const made = await core.threads.create({ repoId: repo.value.id, title: `bench ${key}`, mode: 'worktree', permissionMode: 'auto' })
    if (!made.ok) throw new Error(made.error.message)
    const t = made.value
    const ctx = {
      worktree: t.worktreePath,
      threadId: t.id,
      signal: new AbortController().signal,
      sandbox: level,
      progress: () => undefined
    }
    for (let i = 0; i < ROUNDS; i++) {
      // Opening: a fresh shell each round, timed until its first command has run.
      for (const p of await core.ptys.list(t.id)) await core.ptys.close(p.id)
      let t0 = now()
      const first = await bash.run({ command: 'true' }, ctx)
      open[key].push(now() - t0)
      if (first.isError) throw new Error(`true failed in ${key}: ${first.output}`)
      t0 = now()
      await bash.run({ command: 'true' }, ctx)
      run[key].push(now() - t0)
    }
  }
  await core.close()

  const raw: number[] = []
  const rawBwrap: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    let t0 = now()
    spawnSync('bash', ['-c', 'true'])
    raw.push(now() - t0)
    t0 = now()
    spawnSync(support.path, [
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--unshare-pid',
      '--unshare-net',
      '--die-with-parent',
      '--cap-drop',
      'ALL',
      '--',
      'true'
    ])
    rawBwrap.push(now() - t0)
  }
  const p50 = (xs: number[]) => percentile(xs, 50)
  console.log(
    `built-in agent shell, ${ROUNDS} rounds each (raw: spawn bash -c true p50 ${ms(p50(raw))}; bwrap … true p50 ${ms(p50(rawBwrap))})`
  )
  for (const key of ['none', 'read-only', 'worktree']) {
    console.log(
      `  ${key.padEnd(10)} open + first command p50 ${ms(p50(open[key]!))} (${(p50(open[key]!) / p50(raw)).toFixed(1)}x raw bash)   next command p50 ${ms(p50(run[key]!))} (${(p50(run[key]!) / p50(run.none!)).toFixed(2)}x unsandboxed)`
    )
  }
}

runBench(main)
