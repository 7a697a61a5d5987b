// What the scale benches (scale-threads, scale-log) share: the process figures Linux keeps in /proc, one raw
// JSON-RPC request over the core's WebSocket (timed and weighed), Debian's Chromium with its root pid, the
// renderer's JS heap, a figure that may fail without ending the bench, and the table of figures beside
// their linear expectation and target.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { chromium, type Browser, type Page } from 'playwright-core'
import WebSocket from 'ws'
import { now } from '../bench-utils'
import type { BenchCore } from '../core-process'
import type { Thread } from '../../src/shared/models'
import { DataDir } from '../../src/main/core/store/data-dir'
import type { SeededHome } from './scale-home'

const TICK_MS = 1000 / 100

/** A figure, or why it could not be measured. */
export type Figure = { ok: true; value: number } | { ok: false; why: string }

/** Measures a figure; a failure (out of memory, string too long, a timeout) becomes the figure's text. */
export async function attempt(measure: () => Promise<number> | number): Promise<Figure> {
  try {
    const value = await measure()
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, why: `not measured (${value})` }
  } catch (e) {
    return { ok: false, why: `failed: ${((e as Error).message ?? String(e)).split('\n')[0]!.slice(0, 220)}` }
  }
}

/** A field of /proc/<pid>/status in MB (VmRSS now, VmHWM the peak so far); NaN once the process is gone. */
export function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

/** CPU ms (user + system) of a process and all its descendants, from /proc. */
export function treeCpuMs(root: number): number {
  const children = new Map<number, number[]>()
  const stats = new Map<number, string[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const f = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')
      const pid = Number(name)
      stats.set(pid, f)
      children.set(Number(f[1]), [...(children.get(Number(f[1])) ?? []), pid])
    } catch {
      // gone meanwhile
    }
  }
  let total = 0
  const queue = [root]
  while (queue.length) {
    const pid = queue.shift()!
    const f = stats.get(pid)
    if (f) total += (Number(f[11]) + Number(f[12])) * TICK_MS
    queue.push(...(children.get(pid) ?? []))
  }
  return total
}

/** Percent of one core each process tree used over `seconds`. */
export async function idleCpu(pids: Record<string, number>, seconds: number): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, treeCpuMs(pid)]))
  await new Promise((r) => setTimeout(r, seconds * 1000))
  return Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, (treeCpuMs(pid) - before[k]!) / (seconds * 10)]))
}

/** A raw JSON-RPC client over the core's WebSocket: each answer timed and weighed as it arrived on the wire. */
export interface RawRpc {
  /** `result` is parsed only for answers under 200 MB (a bigger one would cost the bench more than the core). */
  request(method: string, params: unknown, timeoutMs?: number): Promise<{ ms: number; bytes: number; result: unknown; tail: string }>
  close(): void
}

const PARSE_LIMIT = 200 * 1024 * 1024

/** Connects to a bench core's WebSocket with its token. */
export async function rawRpc(core: BenchCore): Promise<RawRpc> {
  const ws = new WebSocket(`ws://127.0.0.1:${core.port}/rpc?token=${core.token}`, { maxPayload: 0 })
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res())
    ws.once('error', rej)
  })
  const waiting = new Map<number, { answer: (data: Buffer) => void; fail: (e: Error) => void }>()
  ws.on('message', (data: Buffer) => {
    // Only the head is read to find the id: the answer itself may be hundreds of MB.
    const id = /"id":(\d+)/.exec(data.subarray(0, 200).toString('utf8'))
    if (id) waiting.get(Number(id[1]))?.answer(data)
  })
  ws.on('close', () => waiting.forEach((w) => w.fail(new Error('the core closed the connection'))))
  let next = 1
  return {
    request: (method, params, timeoutMs = 600_000) =>
      new Promise((res, rej) => {
        const id = next++
        const done = () => {
          clearTimeout(timer)
          waiting.delete(id)
        }
        const timer = setTimeout(() => {
          done()
          rej(new Error(`no answer to ${method} in ${timeoutMs / 1000} s`))
        }, timeoutMs)
        const t0 = now()
        const answer = (data: Buffer) => {
          const ms = now() - t0
          done()
          const head = data.subarray(0, 300).toString('utf8')
          const tail = data.subarray(Math.max(0, data.length - 2000)).toString('utf8')
          if (data.length >= PARSE_LIMIT) {
            if (/^\{[^[{]*"error":/.test(head)) rej(new Error(head))
            else res({ ms, bytes: data.length, result: undefined, tail })
            return
          }
          const reply = JSON.parse(data.toString('utf8')) as { result?: unknown; error?: { message: string } }
          if (reply.error) rej(new Error(reply.error.message))
          else res({ ms, bytes: data.length, result: reply.result, tail })
        }
        waiting.set(id, {
          answer,
          fail: (e) => {
            done()
            rej(e)
          }
        })
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
      }),
    close: () => ws.close()
  }
}

/** Checks that the core read the seed as it was written; throws (a bug in the seed) when it did not. */
export async function verifySeed(core: BenchCore, seeded: SeededHome, indexBefore: { size: number; mtimeMs: number }): Promise<void> {
  const rpc = await rawRpc(core)
  const { result } = await rpc.request('thread/list', { includeArchived: true })
  const repos = (await rpc.request('repo/list', {})).result
  rpc.close()
  const threads = (result as { threads: Thread[] } | undefined)?.threads
  if (!threads) throw new Error('thread/list answered more than the bench parses: cannot check the seed')
  if (threads.length !== seeded.threads.length)
    throw new Error(`the core lists ${threads.length} threads of ${seeded.threads.length} seeded`)
  const replied = (repos as { repos: unknown[] }).repos.length
  if (replied !== seeded.repos.length) throw new Error(`the core lists ${replied} repositories of ${seeded.repos.length} seeded`)
  const byId = new Map(threads.map((t) => [t.id, t]))
  for (const t of [seeded.threads[0]!, seeded.threads.at(-1)!]) {
    if (!isDeepStrictEqual(byId.get(t.id), t))
      throw new Error(`thread ${t.id} reads back differently:\n${JSON.stringify(byId.get(t.id))}\n${JSON.stringify(t)}`)
  }
  const after = statSync(new DataDir(seeded.home).indexFile)
  if (after.size !== indexBefore.size || after.mtimeMs !== indexBefore.mtimeMs)
    throw new Error('the core rewrote threads/index.json at its start: some seeded entry was not taken as fresh')
}

const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
}

/**
 * Debian's Chromium, connected through a server so its root pid is known (its renderers are descendants).
 * Not for pages that take WebSocket messages of hundreds of MB: Playwright relays each frame to its client over
 * a WebSocket of its own, which drops the connection (the page looks closed). Use `launchChromiumPiped` there.
 */
export async function launchChromium(): Promise<{ browser: Browser; pid: number; close(): Promise<void> }> {
  const server = await chromium.launchServer(CHROMIUM)
  const browser = await chromium.connect(server.wsEndpoint())
  return { browser, pid: server.process().pid!, close: () => server.close() }
}

/** Debian's Chromium driven over a pipe (Playwright's own launch), without a known pid. */
export async function launchChromiumPiped(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch(CHROMIUM)
  return { browser, close: () => browser.close() }
}

/** The page's JS heap in MB after a full garbage collection (Chromium's own count, through CDP). */
export async function jsHeapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
  await cdp.detach()
  return usedSize / 1024 / 1024
}

/** When a watched element (bench/page-timing.ts) was first painted, in epoch ms; a function, not source text, so the page's CSP allows it. */
export async function paintedAtMs(page: Page, name: string, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(
    (n) => {
      const t = (window as unknown as { __bench: { seen: Record<string, number> } }).__bench.seen[n]
      return t !== undefined && t > 0 ? t : null
    },
    name,
    { timeout: timeoutMs }
  )
  return (await handle.jsonValue()) as number
}

/** How a figure is shown: its unit and how many digits. */
export interface Unit {
  format(v: number): string
}

/** Seconds, from ms. */
export const seconds: Unit = { format: (v) => `${(v / 1000).toFixed(2)} s` }
/** Milliseconds. */
export const millis: Unit = { format: (v) => `${v.toFixed(1)} ms` }
/** Megabytes. */
export const megabytes: Unit = { format: (v) => `${v.toFixed(1)} MB` }
/** Bytes, shown as MB. */
export const bytesAsMb: Unit = { format: (v) => `${(v / 1024 / 1024).toFixed(1)} MB` }
/** Percent of one core. */
export const percent: Unit = { format: (v) => `${v.toFixed(2)} %` }

/** One row of a scale table: the size it was measured at, and the figure. */
export interface ScaleRow {
  size: number
  figure: Figure
}

/**
 * Prints a figure at each size beside its linear expectation (the first measured size scaled by size) and its
 * target, each with the ratio. `target` null: none given; `fixed`: the figure should not grow with size at all.
 */
export function printScale(o: {
  label: string
  unit: Unit
  sizeLabel: (n: number) => string
  rows: ScaleRow[]
  target: number | null
  fixed?: boolean
}): void {
  console.log(`  ${o.label}${o.target === null ? '' : ` (target ≤ ${o.unit.format(o.target)})`}`)
  const base = o.rows.find((r) => r.figure.ok)
  for (const r of o.rows) {
    const cells = [`    ${o.sizeLabel(r.size).padStart(10)}`]
    if (!r.figure.ok) {
      cells.push(r.figure.why)
    } else {
      const v = r.figure.value
      cells.push(o.unit.format(v).padStart(11))
      if (base && base !== r && base.figure.ok) {
        const expected = o.fixed ? base.figure.value : (base.figure.value * r.size) / base.size
        const ratio = expected > 0 ? `${(v / expected).toFixed(2)}x` : '—'
        cells.push(`${o.fixed ? 'flat' : 'linear'} ${o.unit.format(expected).padStart(11)} (${ratio})`)
      } else {
        cells.push(`${o.fixed ? 'flat' : 'linear'} ${'(base)'.padStart(11)}        `)
      }
      if (o.target !== null) cells.push(`target ${o.unit.format(o.target)} (${(v / o.target).toFixed(2)}x)${v > o.target ? '  OVER' : ''}`)
    }
    console.log(cells.join('   '))
  }
}
