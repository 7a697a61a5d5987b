import { describe, expect, it } from 'vitest'
import type { Item } from '../src/shared/models'
import {
  cursorAfter,
  cursorBefore,
  PAGE_SIZE,
  reachesEnd,
  windowOf,
  withNewItem,
  withPageAfter,
  withPageBefore,
  type ItemPage
} from '../src/renderer/features/conversation/conversation-window'
import { itemCursor } from '../src/shared/item-cursor'

const item = (n: number): Item => ({
  id: `i${n}`,
  threadId: 't',
  turnId: `turn-${n}`,
  kind: 'notice',
  status: 'completed',
  createdAt: n,
  text: `item ${n}`
})

/** The page [from, to) of a conversation of `total` items, with position cursors like the core's. */
function page(from: number, to: number, total: number): ItemPage {
  const items = Array.from({ length: to - from }, (_, k) => item(from + k))
  return { items, start: from, total, before: from > 0 ? itemCursor(from) : null, after: to < total ? itemCursor(to) : null }
}

const ids = (items: Item[]): number[] => items.map((it) => Number(it.id.slice(1)))
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k)

describe('a window of a conversation', () => {
  it('grows by the page before it and drops whole pages at its end past the cap, keeping valid cursors', () => {
    let w = windowOf(page(800, 1000, 1000))
    expect(reachesEnd(w)).toBe(true)
    for (const from of [600, 400, 200]) w = withPageBefore(w, page(from, from + 200, 1000), 600)!
    // 4 pages of 200 would be 800: the last (the end) was dropped.
    expect(ids(w.items)).toEqual(range(200, 800))
    expect(w.start).toBe(200)
    expect(cursorBefore(w)).toBe(itemCursor(200))
    expect(cursorAfter(w)).toBe(itemCursor(800))
    expect(reachesEnd(w)).toBe(false)
    w = withPageBefore(w, page(0, 200, 1000), 600)!
    expect(ids(w.items)).toEqual(range(0, 600))
    expect(cursorBefore(w)).toBeNull()
    expect(cursorAfter(w)).toBe(itemCursor(600))
  })

  it('grows by the page after it and drops whole pages at its start', () => {
    let w = windowOf(page(0, 200, 1000))
    for (const from of [200, 400, 600]) w = withPageAfter(w, page(from, from + 200, 1000), 600)!
    expect(ids(w.items)).toEqual(range(200, 800))
    expect(w.start).toBe(200)
    expect(cursorBefore(w)).toBe(itemCursor(200))
    expect(cursorAfter(w)).toBe(itemCursor(800))
    w = withPageAfter(w, page(800, 1000, 1000), 600)!
    expect(ids(w.items)).toEqual(range(400, 1000))
    expect(reachesEnd(w)).toBe(true)
  })

  it('refuses a page that does not join it', () => {
    const w = windowOf(page(400, 600, 1000))
    expect(withPageBefore(w, page(100, 300, 1000))).toBeNull()
    expect(withPageAfter(w, page(700, 900, 1000))).toBeNull()
  })

  it('appends a new item when it reaches the end, otherwise only counts it', () => {
    const atEnd = withNewItem(windowOf(page(800, 1000, 1000)), item(1000))
    expect(ids(atEnd.items).at(-1)).toBe(1000)
    expect(atEnd.total).toBe(1001)
    expect(atEnd.pages.at(-1)!.count).toBe(201)
    const before = windowOf(page(0, 200, 1000))
    const counted = withNewItem(before, item(1000))
    expect(counted.items).toBe(before.items)
    expect(counted.total).toBe(1001)
  })

  it('keeps the items it appended when pages are added before it and later dropped', () => {
    let w = windowOf(page(900, 1000, 1000))
    w = withNewItem(w, item(1000))
    w = withPageBefore(w, page(700, 900, 1001), 250)!
    // The end page (with the new item) made it 301 items: dropped, its cursor is the one before it.
    expect(ids(w.items)).toEqual(range(700, 900))
    expect(cursorAfter(w)).toBe(itemCursor(900))
    w = withPageAfter(w, page(900, 1001, 1001), 1000)!
    expect(ids(w.items)).toEqual(range(700, 1001))
  })

  it('following a long live session, it drops its oldest items and stays bounded, with cursors where it starts', () => {
    let w = windowOf(page(800, 1000, 1000))
    let most = 0
    for (let n = 1000; n < 5000; n++) {
      w = withNewItem(w, item(n), true, 600)
      most = Math.max(most, w.items.length)
      expect(w.pages.reduce((sum, p) => sum + p.count, 0)).toBe(w.items.length)
    }
    expect(most).toBeLessThanOrEqual(600 + PAGE_SIZE)
    expect(w.total).toBe(5000)
    expect(reachesEnd(w)).toBe(true)
    expect(ids(w.items)).toEqual(range(w.start, 5000))
    expect(cursorBefore(w)).toBe(itemCursor(w.start))
    // Paging back from there joins exactly.
    const back = withPageBefore(w, page(w.start - 200, w.start, 5000), 10_000)!
    expect(ids(back.items)).toEqual(range(w.start - 200, 5000))
  })

  it('while the person reads further up, it stops short of the end once full instead of moving their rows', () => {
    let w = windowOf(page(800, 1000, 1000))
    for (let n = 1000; n < 2000; n++) w = withNewItem(w, item(n), false, 600)
    expect(ids(w.items)).toEqual(range(800, 1400))
    expect(w.total).toBe(2000)
    expect(reachesEnd(w)).toBe(false)
    expect(cursorAfter(w)).toBe(itemCursor(1400))
    // Paging on from there reaches the items that arrived meanwhile.
    const on = withPageAfter(w, page(1400, 1600, 2000), 10_000)!
    expect(ids(on.items)).toEqual(range(800, 1600))
  })
})
