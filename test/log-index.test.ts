import { spawn } from 'node:child_process'
import { appendFileSync, copyFileSync, existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Item } from '../src/shared/models'
import { methods } from '../src/shared/methods'
import { Transcript } from '../src/main/core/agent/transcript'
import { scanLines } from '../src/main/core/store/log-lines'
import { cleanupTemp, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'
import { appendItems, openRig, rigItem, type Rig } from './helpers/transcript-rig'

afterEach(cleanupTemp)

const idx = (rig: Rig) => join(dirname(rig.log), 'events.idx')
const fresh = (rig: Rig): Rig => ({ ...rig, transcript: new Transcript(rig.store, rig.logger) })

/** Every item of the thread, paged from the start with `after` cursors. */
async function allIds(rig: Rig, limit = 7): Promise<string[]> {
  const out: string[] = []
  let after: string | undefined
  for (;;) {
    const r = await rig.transcript.window(methods['item/list'].params.parse({ threadId: rig.threadId, anchor: 'start', limit, after }))
    if (!r.ok) throw new Error(r.error.message)
    out.push(...r.value.items.map((i: Item) => i.id))
    if (!r.value.after) return out
    after = r.value.after
  }
}
const upTo = (n: number) => Array.from({ length: n }, (_, i) => `item-${i}`)
const warnings = (rig: Rig) => rig.logger.lines.filter((l) => l.level === 'warn').map((l) => l.message)

describe('the offset index', () => {
  it('scans lines longer than a chunk, and leaves a torn last line out', async () => {
    const file = join(tempDir('skein-lines-'), 'log')
    const long = 'z'.repeat(10_000)
    writeFileSync(file, `a\n${long}\n\nb\ntorn`)
    const seen: [number, string][] = []
    const { end } = await scanLines(file, 0, (l) => void seen.push([l.offset, l.bytes.toString()]), 4096)
    expect(seen).toEqual([
      [0, 'a'],
      [2, long],
      [10_003, ''],
      [10_004, 'b']
    ])
    expect(end).toBe(10_006)
  })

  it('a torn last line of the log is served once it is complete; a torn line followed by a fresh one is skipped', async () => {
    const rig = await openRig(tempDir('skein-idx-'))
    for (let n = 0; n < 5; n++) await rig.transcript.save(rigItem(rig.threadId, n))
    const line = JSON.stringify({ type: 'item.completed', at: 1, item: rigItem(rig.threadId, 5) })
    appendFileSync(rig.log, line.slice(0, 30))
    expect(await allIds(rig)).toEqual(upTo(5))
    appendFileSync(rig.log, `${line.slice(30)}\n`)
    expect(await allIds(rig)).toEqual(upTo(6))
    // A crash mid-write, then a fresh line after it (as appendEvent writes after a torn tail).
    appendFileSync(rig.log, line.slice(0, 40))
    expect(await allIds(rig)).toEqual(upTo(6))
    appendFileSync(rig.log, `\n${JSON.stringify({ type: 'item.completed', at: 1, item: rigItem(rig.threadId, 6) })}\n`)
    expect(await allIds(rig)).toEqual(upTo(7))
    expect(warnings(rig).some((w) => /corrupt line/.test(w))).toBe(true)
    // And from a cold start the same.
    rmSync(idx(rig))
    expect(await allIds(fresh(rig))).toEqual(upTo(7))
  })

  it('is rebuilt when its sidecar has a torn record, is deleted, or belongs to another log', async () => {
    const home = tempDir('skein-idx-')
    const rig = await openRig(home)
    for (let n = 0; n < 30; n++) await rig.transcript.save(rigItem(rig.threadId, n, n % 4 === 0 ? { output: `out ${n}` } : {}))
    expect(await allIds(rig)).toEqual(upTo(30))
    expect(statSync(idx(rig)).mode & 0o777).toBe(0o600)

    truncateSync(idx(rig), statSync(idx(rig)).size - 5)
    const torn = fresh(rig)
    expect(await allIds(torn)).toEqual(upTo(30))
    expect(warnings(torn).some((w) => /torn record/.test(w))).toBe(true)

    rmSync(idx(rig))
    expect(await allIds(fresh(rig))).toEqual(upTo(30))
    expect(existsSync(idx(rig))).toBe(true)

    const other = await openRig(home, 'tRig000002')
    for (let n = 0; n < 3; n++) await other.transcript.save(rigItem(other.threadId, 100 + n))
    expect(await allIds(other)).toEqual(['item-100', 'item-101', 'item-102'])
    copyFileSync(idx(rig), idx(other))
    const swapped = fresh(other)
    expect(await allIds(swapped)).toEqual(['item-100', 'item-101', 'item-102'])
    expect(warnings(swapped).some((w) => /another log|ahead of its log|out of step/.test(w))).toBe(true)

    // Garbage in place of the sidecar, and a log replaced under an open index.
    writeFileSync(idx(rig), 'not an index at all, but long enough to have a header')
    const garbage = fresh(rig)
    expect(await allIds(garbage)).toEqual(upTo(30))
    expect(warnings(garbage).some((w) => /not an index/.test(w))).toBe(true)
    writeFileSync(rig.log, readFileSync(other.log))
    expect(await allIds(garbage)).toEqual(['item-100', 'item-101', 'item-102'])
    expect(warnings(garbage).some((w) => /changed under its offset index/.test(w))).toBe(true)
  })

  it('after kill -9 of a process appending items, every item that reached the log is served once', async () => {
    const home = tempDir('skein-idx-kill-')
    const rig = await openRig(home)
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'helpers', 'transcript-writer.ts'), home, rig.threadId], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout!.on('data', (c) => (out += c))
    child.stderr!.on('data', (c) => (out += c))
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    await eventually(() => /saved 150\n/.test(out), 'the child to save 150 items', 60_000)
    child.kill('SIGKILL')
    await exited
    const lastSaved = Math.max(...[...out.matchAll(/saved (\d+)\n/g)].map((m) => Number(m[1])))
    // What reached the log, read independently of the index.
    const inLog = new Set<string>()
    await scanLines(rig.log, 0, ({ bytes }) => {
      try {
        const e = JSON.parse(bytes.toString())
        if (e.type === 'item.completed') inLog.add(e.item.id)
      } catch {
        // A torn last write.
      }
    })
    const after = await openRig(home, rig.threadId)
    const served = await allIds(after, 50)
    expect(new Set(served).size).toBe(served.length)
    expect(served).toEqual(upTo(inLog.size))
    expect(served.length).toBeGreaterThan(lastSaved)
    // The transcript's next append after the crash lands on a line of its own and is served too.
    await after.transcript.save(rigItem(rig.threadId, inLog.size))
    expect(await allIds(fresh(after), 50)).toEqual(upTo(inLog.size + 1))
  }, 90_000)

  it('serving windows of a 200 MB log keeps RSS growth well below the log size', async () => {
    const rig = await openRig(tempDir('skein-idx-big-'))
    const bytes = 200 * 1024 * 1024
    const count = 2000
    await appendItems(rig.log, 0, count, rig.threadId, Math.floor(bytes / count))
    expect(statSync(rig.log).size).toBeGreaterThan(bytes * 0.95)
    global.gc?.()
    const base = process.memoryUsage().rss
    let peak = base
    const sample = () => (peak = Math.max(peak, process.memoryUsage().rss))
    const t = fresh(rig)
    let page = await t.transcript.window(methods['item/list'].params.parse({ threadId: rig.threadId, limit: 50 }))
    let seen = 0
    while (page.ok) {
      sample()
      seen += page.value.items.length
      expect(page.value.items.every((i) => (i.tool?.output?.length ?? 0) <= 16_000)).toBe(true)
      if (!page.value.before) break
      page = await t.transcript.window(methods['item/list'].params.parse({ threadId: rig.threadId, limit: 50, before: page.value.before }))
    }
    sample()
    expect(seen).toBe(count)
    expect(peak - base).toBeLessThan(bytes / 2)
  }, 120_000)
})
