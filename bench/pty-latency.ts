// Ctrl-C latency under a `yes` flood (target <= 250 ms) and keystroke echo p95 with 3 terminals
// flooding (target <= 50 ms), measured end to end through a real core and its WebSocket.
import { benchDir, makeBenchRepo, ms, now, percentile, runBench } from './bench-utils'
import { startBenchCore } from './core-process'
import { follow, until } from './pty-stream'
import { browserCtrlC } from './xterm-clients'

async function main(): Promise<void> {
  const home = benchDir('latency')
  const repoPath = makeBenchRepo(home, 'repo', 5)
  const core = await startBenchCore(home)
  const c = await core.client()
  const repo = await c.request('repo/add', { path: repoPath })
  const shell = async (i: number) => {
    const t = await c.request('thread/create', { repoId: repo.id, title: `t${i}`, mode: 'local' })
    const pty = await c.request('pty/open', { threadId: t.id, kind: 'shell', cols: 120, rows: 32 })
    await c.request('pty/attach', { ptyId: pty.id })
    const f = follow(c, pty.id)
    await c.request('pty/write', { ptyId: pty.id, data: 'echo up-$((1+1))\r' })
    await until(() => f.text().includes('up-2'), 10_000, 'shell start')
    return { pty, f }
  }

  // Ctrl-C under a flood.
  const ctrlC: number[] = []
  const a = await shell(0)
  for (let round = 0; round < 10; round++) {
    await c.request('pty/write', { ptyId: a.pty.id, data: 'yes skein-flood\r' })
    await new Promise((r) => setTimeout(r, 500))
    const mark = a.f.chars()
    const t0 = now()
    await c.request('pty/write', { ptyId: a.pty.id, data: '\x03' })
    await c.request('pty/write', { ptyId: a.pty.id, data: `echo back-$((${round}+100))\r` })
    await until(() => a.f.since(mark).includes(`back-${round + 100}`), 10_000, 'prompt after Ctrl-C')
    ctrlC.push(now() - t0)
  }

  // Keystroke echo while three other terminals flood.
  const floods = await Promise.all([1, 2, 3].map(shell))
  for (const f of floods) await c.request('pty/write', { ptyId: f.pty.id, data: 'yes skein-flood\r' })
  const typist = await shell(4)
  await c.request('pty/write', { ptyId: typist.pty.id, data: 'cat\r' })
  await new Promise((r) => setTimeout(r, 800))
  const echo: number[] = []
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  for (let i = 0; i < 100; i++) {
    const ch = letters[i % letters.length]!
    const mark = typist.f.chars()
    const t0 = now()
    await c.request('pty/write', { ptyId: typist.pty.id, data: ch })
    await until(() => typist.f.since(mark).includes(ch), 5000, 'echo')
    echo.push(now() - t0)
    await new Promise((r) => setTimeout(r, 20))
  }
  const flooded = floods.reduce((n, f) => n + f.f.chars(), 0)

  console.log('terminal latency through the core and WebSocket (client acks every 5,000 chars, like xterm)')
  console.log(
    `  Ctrl-C under a yes flood, until the next command's output   p50 ${ms(percentile(ctrlC, 50))}  max ${ms(Math.max(...ctrlC))}   target <= 250 ms`
  )
  console.log(
    `  keystroke echo with 3 terminals flooding                    p50 ${ms(percentile(echo, 50))}  p95 ${ms(percentile(echo, 95))}   target p95 <= 50 ms`
  )
  console.log(`  (the 3 floods delivered ${(flooded / 1e6).toFixed(1)} M chars meanwhile)`)
  if (process.env.BENCH_BROWSER === '1') {
    for (const f of floods) await c.request('pty/write', { ptyId: f.pty.id, data: '\x03' })
    const seen = await browserCtrlC(core, repo.id, 8)
    console.log(
      `  Ctrl-C in Chromium (key pressed in the page → ^C and prompt on screen)      p50 ${ms(percentile(seen, 50))}  max ${ms(Math.max(...seen))}   target <= 250 ms`
    )
  }
  for (const f of [...floods, a]) await c.request('pty/close', { ptyId: f.pty.id })
  c.dispose()
  core.stop()
}

runBench(main)
