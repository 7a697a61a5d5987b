// Throughput: pty → core → WebSocket → client, for 1 and 8 terminals, against the raw node-pty read
// rate of the same data. With BENCH_BROWSER=1 (after `npm run build`) the clients are xterm.js
// terminals in Chromium, rendering visibly; otherwise Node clients that ack like xterm does.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as nodePty from 'node-pty'
import { benchDir, makeBenchRepo, now, runBench } from './bench-utils'
import { startBenchCore, type BenchCore } from './core-process'
import { follow, until } from './pty-stream'
import { browserTerminals, rawXtermRate } from './xterm-clients'

const MB = Number(process.env.BENCH_MB ?? 16)

function makeData(dir: string): string {
  const line = 'The quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ\n'
  const file = join(dir, 'data.txt')
  writeFileSync(file, line.repeat(Math.ceil((MB * 1024 * 1024) / line.length)))
  return file
}

async function raw(file: string): Promise<number> {
  const t0 = now()
  let bytes = 0
  await new Promise<void>((resolve) => {
    const p = nodePty.spawn('cat', [file], {
      name: 'xterm-256color',
      cols: 120,
      rows: 32,
      cwd: process.cwd(),
      env: process.env as Record<string, string>,
      encoding: null
    } as nodePty.IPtyForkOptions)
    p.onData((d: string | Buffer) => (bytes += d.length))
    p.onExit(() => resolve())
  })
  return bytes / 1e6 / ((now() - t0) / 1000)
}

async function throughCore(core: BenchCore, repoId: string, file: string, n: number): Promise<number> {
  const c = await core.client()
  const ptys: { pty: { id: string }; f: ReturnType<typeof follow> }[] = []
  for (let i = 0; i < n; i++) {
    const t = await c.request('thread/create', { repoId, title: `tp${n}-${i}`, mode: 'local' })
    const pty = await c.request('pty/open', { threadId: t.id, kind: 'shell', cols: 120, rows: 32 })
    await c.request('pty/attach', { ptyId: pty.id })
    ptys.push({ pty, f: follow(c, pty.id) })
  }
  await new Promise((r) => setTimeout(r, 500))
  const start = ptys.map((p) => p.f.chars())
  const t0 = now()
  for (const p of ptys) await c.request('pty/write', { ptyId: p.pty.id, data: `cat ${file}; echo DONE-$((40+2))\r` })
  await until(() => ptys.every((p) => p.f.text().includes('DONE-42')), 300_000, 'all terminals to finish')
  const secs = (now() - t0) / 1000
  const chars = ptys.reduce((s, p, i) => s + p.f.chars() - start[i]!, 0)
  for (const p of ptys) await c.request('pty/close', { ptyId: p.pty.id })
  c.dispose()
  return chars / 1e6 / secs
}

const renderer = (): 'dom' | 'webgl' => (process.env.BENCH_RENDERER === 'webgl' ? 'webgl' : 'dom')

async function main(): Promise<void> {
  const home = benchDir('throughput')
  const file = makeData(home)
  const repoPath = makeBenchRepo(home, 'repo', 5)
  const rawRate = await raw(file)
  const core = await startBenchCore(home)
  const c = await core.client()
  const repo = await c.request('repo/add', { path: repoPath })
  c.dispose()
  const browser = process.env.BENCH_BROWSER === '1'
  const run = (n: number) => (browser ? browserTerminals(core, repo.id, file, n) : throughCore(core, repo.id, file, n))
  const one = await run(1)
  const eight = await run(8)
  const ceiling = browser ? [await rawXtermRate(file, 1, renderer()), await rawXtermRate(file, 8, renderer())] : null
  console.log(
    `pty throughput, ${MB} MB of text per terminal, into ${browser ? `visible xterm.js terminals in Chromium (${renderer()} renderer)` : 'Node clients acking like xterm'}`
  )
  console.log(`  raw node-pty read rate (cat, no core)   ${rawRate.toFixed(1)} MB/s`)
  if (ceiling)
    console.log(
      `  raw xterm.js in this Chromium, no core  ${ceiling[0]!.toFixed(1)} MB/s (1 terminal), ${ceiling[1]!.toFixed(1)} MB/s (8 at once)`
    )
  console.log(`  1 terminal through the core             ${one.toFixed(1)} MB/s   (${(one / rawRate).toFixed(2)}x raw)`)
  console.log(
    `  8 terminals at once, aggregate          ${eight.toFixed(1)} MB/s   (${(eight / rawRate).toFixed(2)}x raw)   target >= 20 MB/s`
  )
  if (ceiling)
    console.log(
      `  through the core vs xterm.js alone:     ${(one / ceiling[0]!).toFixed(2)}x (1 terminal), ${(eight / ceiling[1]!).toFixed(2)}x (8)`
    )
  core.stop()
}

runBench(main)
