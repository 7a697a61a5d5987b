// thread/list latency with 10,000 threads in the store. Target: under 20 ms at the core.
import { connect } from 'node:net'
import { createCore } from '../src/main/core/core'
import { memoryLogger } from '../src/main/core/logger'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { DataDir } from '../src/main/core/store/data-dir'
import { ThreadStore } from '../src/main/core/store/thread-store'
import { RpcClient } from '../src/shared/rpc-client'
import { storeThread } from '../test/helpers/thread-fixture'
import { benchDir, makeBenchRepo, ms, now, percentile, runBench } from './bench-utils'

const THREADS = Number(process.env.BENCH_THREADS ?? 10_000)
const RUNS = 50

async function main(): Promise<void> {
  const home = benchDir('list')
  const repoPath = makeBenchRepo(home, 'repo', 10)
  const seed = await createCore({ home, logger: memoryLogger(), listenSocket: false })
  const repo = await seed.repos.add(repoPath)
  if (!repo.ok) throw new Error(repo.error.message)
  await seed.close()

  // Seed the store directly: 10,000 real thread logs, as the core writes them.
  const t0 = now()
  const store = await ThreadStore.open(new DataDir(home), memoryLogger())
  for (let i = 0; i < THREADS; i++) {
    const at = Date.now() - i * 1000
    const r = await store.create(
      storeThread(`t${i.toString().padStart(6, '0')}`, {
        repoId: repo.value.id,
        title: `Investigate incident #${i} in the payments pipeline`,
        slug: `incident-${i}`,
        branch: 'main',
        worktreePath: repoPath,
        status: i % 10 === 0 ? 'archived' : 'idle',
        createdAt: at,
        lastActivityAt: at,
        archivedAt: i % 10 === 0 ? at : null
      }),
      repo.value
    )
    if (!r.ok) throw new Error(r.error.message)
  }
  await store.flush()
  const seeded = now() - t0

  const startT = now()
  const core = await createCore({ home, logger: memoryLogger() })
  const startup = now() - startT

  const inProcess: number[] = []
  const atCore: number[] = []
  const overSocket: number[] = []
  const frame = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'thread/list', params: { includeArchived: true } })
  const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
  let count = 0
  for (let i = 0; i < RUNS; i++) {
    let t = now()
    count = core.threads.list({ includeArchived: true }).length
    inProcess.push(now() - t)
    t = now()
    await core.rpc.dispatch(frame)
    atCore.push(now() - t)
    t = now()
    await client.request('thread/list', { includeArchived: true })
    overSocket.push(now() - t)
  }
  client.dispose()
  await core.close()

  console.log(`thread/list with ${count} threads in the store (${RUNS} runs)`)
  console.log(`  seeding ${THREADS} thread logs: ${ms(seeded)}; core start-up (index load + reconcile): ${ms(startup)}`)
  console.log(`  service call (memory only)           p50 ${ms(percentile(inProcess, 50))}  p95 ${ms(percentile(inProcess, 95))}`)
  console.log(
    `  at the core (validate + serialize)   p50 ${ms(percentile(atCore, 50))}  p95 ${ms(percentile(atCore, 95))}   target < 20 ms`
  )
  console.log(`  round trip over skein.sock           p50 ${ms(percentile(overSocket, 50))}  p95 ${ms(percentile(overSocket, 95))}`)
  console.log(
    `  ratio at-core / raw JSON.stringify of the same list: ${(percentile(atCore, 50) / rawStringify(core.threads.list({ includeArchived: true }))).toFixed(2)}x`
  )
}

function rawStringify(list: unknown[]): number {
  const samples: number[] = []
  for (let i = 0; i < 20; i++) {
    const t = now()
    JSON.stringify(list)
    samples.push(now() - t)
  }
  return percentile(samples, 50)
}

runBench(main)
