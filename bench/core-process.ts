import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import WebSocket from 'ws'
import type { Disposable, MessageTransport } from '../src/shared/jsonrpc'
import { RpcClient } from '../src/shared/rpc-client'

/** A real browser-mode core (`node out/main/serve.js`) for benches, with an empty HOME so dotfiles stay out. */
export interface BenchCore {
  child: ChildProcess
  url: string
  port: number
  token: string
  home: string
  /** Resident memory of the core process, in MB (Linux /proc). */
  rssMb(): number
  client(): Promise<RpcClient>
  stop(): void
}

/** Starts the built core with SHELL=/bin/bash and a predictable prompt. */
export async function startBenchCore(home: string): Promise<BenchCore> {
  const token = 'bench-token'
  const nodeArgs = process.env.BENCH_CORE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CORE_PROFILE}`] : []
  const child = spawn(process.execPath, [...nodeArgs, resolve(__dirname, '../out/main/serve.js'), '--port', '0'], {
    env: {
      ...process.env,
      SKEIN_HOME: home,
      SKEIN_TOKEN: token,
      SHELL: '/bin/bash',
      HOME: mkdtempSync(join(tmpdir(), 'skein-bench-home-')),
      PS1: 'READY$ '
    },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  process.on('exit', () => child.kill('SIGTERM'))
  const url = await new Promise<string>((res, rej) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += String(d)
      const m = /serving at (\S+)/.exec(out)
      if (m) res(m[1]!)
    })
    child.once('exit', (code) => rej(new Error(`serve exited with ${code}`)))
  })
  const port = Number(new URL(url).port)
  return {
    child,
    url,
    port,
    token,
    home,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    client: () => wsClient(`ws://127.0.0.1:${port}/rpc?token=${token}`),
    stop: () => child.kill('SIGTERM')
  }
}

/** An RpcClient over a Node WebSocket. */
export async function wsClient(url: string): Promise<RpcClient> {
  const ws = new WebSocket(url)
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res())
    ws.once('error', rej)
  })
  const messages = new Set<(t: string) => void>()
  const closes = new Set<() => void>()
  ws.on('message', (d) => messages.forEach((l) => l(String(d))))
  ws.on('close', () => closes.forEach((l) => l()))
  const add =
    <T>(set: Set<T>) =>
    (l: T): Disposable => {
      set.add(l)
      return { dispose: () => set.delete(l) }
    }
  const transport: MessageTransport = { send: (t) => ws.send(t), onMessage: add(messages), onClose: add(closes), close: () => ws.close() }
  return new RpcClient(transport)
}
