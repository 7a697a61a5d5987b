// Core RSS with 50 live shell threads. Target: at most 300 MB.
import { benchDir, makeBenchRepo, now, runBench } from './bench-utils'
import { startBenchCore } from './core-process'

const THREADS = Number(process.env.BENCH_THREADS ?? 50)

async function main(): Promise<void> {
  const home = benchDir('mem')
  const repoPath = makeBenchRepo(home, 'repo', 5)
  const core = await startBenchCore(home)
  const c = await core.client()
  const repo = await c.request('repo/add', { path: repoPath })
  await new Promise((r) => setTimeout(r, 500))
  const idle = core.rssMb()
  const t0 = now()
  for (let i = 0; i < THREADS; i++) {
    const t = await c.request('thread/create', { repoId: repo.id, title: `shell ${i}`, mode: 'local' })
    const pty = await c.request('pty/open', { threadId: t.id, kind: 'shell', cols: 120, rows: 32 })
    await c.request('pty/attach', { ptyId: pty.id })
    await c.request('pty/write', { ptyId: pty.id, data: `echo ready-${i}; ls -la\r` })
  }
  const opened = now() - t0
  await new Promise((r) => setTimeout(r, 3000))
  const live = core.rssMb()
  console.log(`core memory with ${THREADS} live shell threads (each attached, with some output)`)
  console.log(`  core RSS idle (no terminals):   ${idle.toFixed(1)} MB`)
  console.log(`  core RSS with ${THREADS} shells:       ${live.toFixed(1)} MB   target <= 300 MB`)
  console.log(`  per terminal:                    ${((live - idle) / THREADS).toFixed(2)} MB`)
  console.log(`  opening ${THREADS} threads + shells took ${(opened / 1000).toFixed(2)} s`)
  c.dispose()
  core.stop()
}

runBench(main)
