import { afterEach, describe, expect, it } from 'vitest'
import type { Item } from '../src/shared/models'
import { methods } from '../src/shared/methods'
import { ErrorCode } from '../src/shared/errors'
import { SENT_FIELD_CHARS, truncateItem } from '../src/main/core/agent/item-truncate'
import { leanItemOfLine } from '../src/main/core/agent/item-lean'
import { Transcript } from '../src/main/core/agent/transcript'
import type { ItemWindow } from '../src/main/core/agent/item-window'
import { cleanupTemp, tempDir } from './helpers/fixtures'
import { openRig, rigItem, type Rig } from './helpers/transcript-rig'

afterEach(cleanupTemp)

const list = (rig: Rig, p: Record<string, unknown> = {}) =>
  rig.transcript.window(methods['item/list'].params.parse({ threadId: rig.threadId, ...p }))
const must = async <T>(r: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
  const v = await r
  if (!v.ok) throw new Error(v.error.message)
  return v.value
}
const ids = (items: readonly Item[]) => items.map((i) => i.id)

async function saved(rig: Rig, count: number, from = 0): Promise<void> {
  for (let n = from; n < from + count; n++) await rig.transcript.save(rigItem(rig.threadId, n))
}

describe('item/list windows from the offset index', () => {
  it('pages from the end to the start and back with stable cursors', async () => {
    const rig = await openRig(tempDir('skein-win-'))
    await saved(rig, 25)
    const fresh = new Transcript(rig.store, rig.logger)
    const rig2 = { ...rig, transcript: fresh }
    const last = await must(list(rig2, { limit: 10 }))
    expect(last).toMatchObject({ start: 15, total: 25, before: '15', after: null })
    expect(ids(last.items)).toEqual(Array.from({ length: 10 }, (_, i) => `item-${15 + i}`))
    const mid = await must(list(rig2, { limit: 10, before: last.before! }))
    expect(mid).toMatchObject({ start: 5, before: '5', after: '15' })
    const first = await must(list(rig2, { limit: 10, before: mid.before! }))
    expect(first).toMatchObject({ start: 0, before: null, after: '5' })
    expect(ids(first.items)).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4'])
    const again = await must(list(rig2, { limit: 10, after: first.after! }))
    expect(ids(again.items)).toEqual(ids(mid.items))
    const start = await must(list(rig2, { anchor: 'start', limit: 3 }))
    expect(ids(start.items)).toEqual(['item-0', 'item-1', 'item-2'])
  })

  it('an itemId anchor window holds the item; an unknown item or a foreign cursor is InvalidParams', async () => {
    const rig = await openRig(tempDir('skein-win-'))
    await saved(rig, 40)
    const w = await must(list(rig, { anchor: { itemId: 'item-7' }, limit: 6 }))
    expect(ids(w.items)).toContain('item-7')
    expect(w.start).toBe(4)
    const edge = await must(list(rig, { anchor: { itemId: 'item-39' }, limit: 6 }))
    expect(ids(edge.items)).toContain('item-39')
    for (const bad of [{ before: 'abc' }, { after: '-1' }, { anchor: { itemId: 'item-404' } }]) {
      const r = await list(rig, bad)
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe(ErrorCode.InvalidParams)
        expect(r.error.message).toMatch(/not a cursor|no item item-404/)
      }
    }
  })

  it('no item skipped or repeated while another writer appends and re-saves items', async () => {
    const rig = await openRig(tempDir('skein-win-'))
    await saved(rig, 60)
    let writing = true
    const writer = (async () => {
      for (let n = 60; n < 260; n++) {
        await rig.transcript.save(rigItem(rig.threadId, n))
        // Re-saves an early item: its position must not move, its content may.
        if (n % 7 === 0) await rig.transcript.save(rigItem(rig.threadId, n % 50, { text: `edited at ${n}` }))
      }
      writing = false
    })()
    // Backwards from the end as it was, then forwards to the end as it grows.
    const seenBack: string[] = []
    let page = await must(list(rig, { limit: 9 }))
    const firstStart = page.start
    seenBack.unshift(...ids(page.items))
    while (page.before) {
      page = await must(list(rig, { limit: 9, before: page.before }))
      seenBack.unshift(...ids(page.items))
    }
    expect(seenBack).toEqual(Array.from({ length: firstStart + 9 }, (_, i) => `item-${i}`).slice(0, seenBack.length))
    expect(new Set(seenBack).size).toBe(seenBack.length)
    const seenFwd: string[] = []
    let after: string | null = '0'
    let rounds = 0
    while (after !== null) {
      const p: ItemWindow = await must(list(rig, { limit: 13, after }))
      seenFwd.push(...ids(p.items))
      p.items.forEach((it, i) => expect(Number(it.id.slice(5))).toBe(p.start + i))
      after = p.after ?? (writing ? String(p.start + p.items.length) : null)
      rounds++
    }
    await writer
    const tail = await must(list(rig, { limit: 1000, after: String(seenFwd.length) }))
    seenFwd.push(...ids(tail.items))
    expect(seenFwd).toEqual(Array.from({ length: 260 }, (_, i) => `item-${i}`))
    expect(rounds).toBeGreaterThan(1)
    const edited = await must(list(rig, { anchor: 'start', limit: 50 }))
    expect(edited.items.find((i) => i.id === 'item-13')?.text).toBe('edited at 63')
  })

  it('items in memory only come after the logged ones, in put order, and count in total', async () => {
    const rig = await openRig(tempDir('skein-win-'))
    await saved(rig, 3)
    await rig.transcript.put(rigItem(rig.threadId, 100, { status: 'streaming', text: 'typ' }))
    await rig.transcript.put(rigItem(rig.threadId, 50, { status: 'running' }))
    await rig.transcript.put(rigItem(rig.threadId, 1, { text: 'changed in memory' }))
    const w = await must(list(rig))
    expect(w.total).toBe(5)
    expect(ids(w.items)).toEqual(['item-0', 'item-1', 'item-2', 'item-100', 'item-50'])
    expect(w.items[1]!.text).toBe('changed in memory')
    expect(w.items[3]!.status).toBe('streaming')
  })

  it('after a restart: in progress becomes interrupted unless a pending approval; rewound turns flagged', async () => {
    const home = tempDir('skein-win-')
    const rig = await openRig(home)
    const t = rig.threadId
    await rig.transcript.save(rigItem(t, 0, { turnId: 'a' }))
    await rig.transcript.save(rigItem(t, 1, { turnId: 'b', status: 'running', output: 'half' }))
    await rig.transcript.save(rigItem(t, 2, { turnId: 'b', status: 'running', output: 'asked' }))
    const approval = rigItem(t, 3, { turnId: 'b', kind: 'approval', status: 'pending', text: undefined })
    approval.approval = { toolItemId: 'item-2', summary: 'run it', decision: null } as Item['approval']
    await rig.transcript.save(approval)
    await rig.transcript.setRewound(t, new Set(['a']), true)
    const restarted = new Transcript(rig.store, rig.logger)
    const w = await must(restarted.window(methods['item/list'].params.parse({ threadId: t })))
    expect(w.items.map((i) => [i.id, i.status, i.rewound ?? false])).toEqual([
      ['item-0', 'completed', true],
      ['item-1', 'interrupted', false],
      ['item-2', 'running', false],
      ['item-3', 'pending', false]
    ])
    expect(await restarted.hasPendingApproval(t)).toBe(true)
    const [lastAssistant, lastApproval] = await restarted.lastMatching(t, [
      { kinds: ['assistant'], test: () => true },
      { kinds: ['approval'], test: () => true }
    ])
    expect(lastAssistant?.id).toBe('item-0')
    expect(lastApproval?.id).toBe('item-3')
    await restarted.save({ ...approval, status: 'interrupted' })
    expect(await new Transcript(rig.store, rig.logger).hasPendingApproval(t)).toBe(false)
    // The whole transcript agrees with the windows.
    const all = await new Transcript(rig.store, rig.logger).items(t)
    expect(all.map((i) => [i.id, i.status])).toEqual([
      ['item-0', 'completed'],
      ['item-1', 'interrupted'],
      ['item-2', 'interrupted'],
      ['item-3', 'interrupted']
    ])
  })

  it('a 5 MB tool output comes truncated; item/output slices give back the exact text', async () => {
    const rig = await openRig(tempDir('skein-win-'))
    let big = ''
    for (let i = 0; big.length < 5_000_000; i++) big += `line ${i} ${'é'.repeat(i % 5)}\n`
    await rig.transcript.save(rigItem(rig.threadId, 0))
    await rig.transcript.save(rigItem(rig.threadId, 1, { output: big }))
    const fresh = new Transcript(rig.store, rig.logger)
    const w = await must(fresh.window(methods['item/list'].params.parse({ threadId: rig.threadId })))
    const tool = w.items[1]!
    expect(tool.tool!.output!.length).toBe(SENT_FIELD_CHARS)
    expect(tool.truncated).toEqual([{ field: 'tool.output', chars: big.length }])
    let read = ''
    for (let offset = 0; ;) {
      const r = await must(
        fresh.output(
          methods['item/output'].params.parse({ threadId: rig.threadId, itemId: 'item-1', field: 'tool.output', offset, length: 1_000_000 })
        )
      )
      expect(r.total).toBe(big.length)
      read += r.text
      offset += r.text.length
      if (r.text.length === 0 || offset >= r.total) break
    }
    expect(read === big).toBe(true)
    const missing = await fresh.output(methods['item/output'].params.parse({ threadId: rig.threadId, itemId: 'item-9', field: 'text' }))
    expect(missing.ok).toBe(false)
  })
})

describe('leanItemOfLine', () => {
  it('cuts bulky fields in the raw line exactly as truncateItem cuts the parsed item', () => {
    const t = 'tRig000001'
    const odd = (n: number) => Array.from({ length: n }, (_, i) => ['a', 'é', '😀', '\n', '"', '\\', '\u2028', 'z'][i % 8]).join('')
    const cases: Item[] = [
      rigItem(t, 1, { output: odd(70_000), text: 'short' }),
      rigItem(t, 2, { text: odd(100_000), modelText: odd(16_001) }),
      rigItem(t, 3, { output: 'x'.repeat(15_999) + '😀' + 'y'.repeat(80_000) }),
      {
        ...rigItem(t, 4, { output: 'small' }),
        tool: { useId: 'u', name: 'write_file', input: { output: odd(90_000), text: odd(90_000) }, output: 'ok', diff: odd(40_000) }
      } as Item,
      {
        ...rigItem(t, 5, { kind: 'approval', status: 'pending' }),
        approval: { toolItemId: 'x', summary: 's', decision: null, diff: odd(200_000) }
      } as Item
    ]
    for (const item of cases) {
      const line = Buffer.from(JSON.stringify({ type: 'item.completed', at: 1, item }))
      expect(leanItemOfLine(line)).toEqual(truncateItem(item))
    }
    // Proof that the cut is made in the raw line: past the cut, this field is not even valid JSON.
    const raw = `{"type":"item.completed","at":1,"item":{"id":"r","threadId":"${t}","turnId":"u","kind":"tool","status":"completed","createdAt":1,"tool":{"useId":"u","name":"bash","input":{},"output":"${'w'.repeat(80_000)}\\q"}}}`
    expect(() => JSON.parse(raw)).toThrow()
    expect(leanItemOfLine(Buffer.from(raw))?.truncated).toEqual([{ field: 'tool.output', chars: 80_001 }])
    expect(leanItemOfLine(Buffer.from('{"type":"thread.changed","at":1}'))).toBe(null)
    expect(leanItemOfLine(Buffer.from(`{"type":"item.completed","item":{"id":"a","text":"${'q'.repeat(70_000)}`))).toBe(null)
  })
})
