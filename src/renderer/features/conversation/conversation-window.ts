import type { ResultOf } from '../../../shared/methods'
import { itemCursor } from '../../../shared/item-cursor'
import type { Item } from '../../../shared/models'

/** What `item/list` answers: a window of a thread's items with cursors at its edges. */
export type ItemPage = ResultOf<'item/list'>

/** One fetched page of the window: how many of its items it holds and the cursors at its edges. */
export interface PageBounds {
  count: number
  before: string | null
  after: string | null
}

/** A contiguous run of a thread's items as this client holds it, made of whole pages so either end can be dropped. */
export interface ItemWindow {
  /** Items in conversation order. */
  items: Item[]
  /** The position of `items[0]` in the conversation. */
  start: number
  /** How many items the conversation holds (as far as this client knows). */
  total: number
  /** The pages `items` is made of, in order; their counts add up to `items.length`. */
  pages: PageBounds[]
}

/** Items the window holds at most; beyond it, whole pages far from where the person reads are dropped. */
export const WINDOW_CAP = 600

/** Items one `item/list` asks for. */
export const PAGE_SIZE = 200

/** A window of one page, as `item/list` answered it. */
export function windowOf(page: ItemPage): ItemWindow {
  return {
    items: page.items,
    start: page.start,
    total: page.total,
    pages: [{ count: page.items.length, before: page.before, after: page.after }]
  }
}

/** The cursor for the items before the window; null when it starts at the beginning. */
export const cursorBefore = (w: ItemWindow): string | null => w.pages[0]?.before ?? null

/** The cursor for the items after the window; null when it reaches the end. */
export const cursorAfter = (w: ItemWindow): string | null => w.pages[w.pages.length - 1]?.after ?? null

/** True when the window holds the conversation's last item (new items join it). */
export const reachesEnd = (w: ItemWindow): boolean => cursorAfter(w) === null

/**
 * The window with the page before it added, then pages dropped at its end while it holds more than `cap` items.
 * Null when the page does not end where the window starts (the conversation changed under it: reload).
 */
export function withPageBefore(w: ItemWindow, page: ItemPage, cap = WINDOW_CAP): ItemWindow | null {
  if (page.start + page.items.length !== w.start) return null
  const pages = [{ count: page.items.length, before: page.before, after: page.after }, ...w.pages]
  let items = [...page.items, ...w.items]
  // Each page keeps the cursors its own fetch gave, so dropping whole pages leaves valid cursors at both ends.
  while (items.length > cap && pages.length > 1) {
    const dropped = pages.pop()!
    items = items.slice(0, items.length - dropped.count)
  }
  return { items, start: page.start, total: page.total, pages }
}

/**
 * The window with the page after it added, then pages dropped at its start while it holds more than `cap` items.
 * Null when the page does not start where the window ends.
 */
export function withPageAfter(w: ItemWindow, page: ItemPage, cap = WINDOW_CAP): ItemWindow | null {
  if (page.start !== w.start + w.items.length) return null
  const pages = [...w.pages, { count: page.items.length, before: page.before, after: page.after }]
  let items = [...w.items, ...page.items]
  let start = w.start
  while (items.length > cap && pages.length > 1) {
    const dropped = pages.shift()!
    items = items.slice(dropped.count)
    start += dropped.count
  }
  return { items, start, total: page.total, pages }
}

/**
 * The window with a new item. A window that does not reach the end only counts it. One that does appends it while
 * the person follows the end, dropping its oldest items down to `cap` once it holds a page more than that; when
 * the person reads further up, it appends only while under `cap`, then stops short of the end (the item is counted,
 * and reached by paging on), so the rows being read never move.
 */
export function withNewItem(w: ItemWindow, item: Item, following = true, cap = WINDOW_CAP): ItemWindow {
  const end = w.start + w.items.length
  if (!reachesEnd(w)) return { ...w, total: w.total + 1 }
  const total = Math.max(w.total, end) + 1
  const pages = w.pages.slice()
  const last = pages.length - 1
  if (!following && w.items.length >= cap && last >= 0) {
    pages[last] = { ...pages[last], after: itemCursor(end) }
    return { ...w, total, pages }
  }
  if (last < 0) pages.push({ count: 1, before: w.start > 0 ? itemCursor(w.start) : null, after: null })
  else pages[last] = { ...pages[last], count: pages[last].count + 1 }
  const grown = { items: [...w.items, item], start: w.start, total, pages }
  return following && grown.items.length > cap + PAGE_SIZE ? withoutOldest(grown, grown.items.length - cap) : grown
}

/** The window without its first `drop` items: whole pages, then the start of the next, whose cursor is made for where it now starts. */
function withoutOldest(w: ItemWindow, drop: number): ItemWindow {
  const pages = w.pages.slice()
  const start = w.start + drop
  let rest = drop
  while (pages.length > 1 && pages[0].count <= rest) rest -= pages.shift()!.count
  pages[0] = { ...pages[0], count: pages[0].count - rest, before: itemCursor(start) }
  return { items: w.items.slice(drop), start, total: w.total, pages }
}
