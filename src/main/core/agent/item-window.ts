import type { Item } from '../../../shared/models'
import type { ParsedParamsOf, ResultOf } from '../../../shared/methods'
import { cursorPosition, itemCursor } from '../../../shared/item-cursor'

/** What `item/list` asks for. */
export type ItemWindowRequest = ParsedParamsOf<'item/list'>
/** What `item/list` answers. */
export type ItemWindow = ResultOf<'item/list'>

/**
 * The positions [from, to) a window request covers, for a conversation of `total` items; `indexOf` finds an
 * anchor item's position (null when the thread has no such item). Null when a cursor is not ours.
 */
export function windowRange(
  req: ItemWindowRequest,
  total: number,
  indexOf: (itemId: string) => number | null
): { from: number; to: number } | { error: string } {
  const limit = req.limit
  if (req.before !== undefined) {
    const at = cursorPosition(req.before)
    if (at === null) return { error: `"${req.before}" is not a cursor this thread gave.` }
    const to = Math.min(at, total)
    return { from: Math.max(0, to - limit), to }
  }
  if (req.after !== undefined) {
    const at = cursorPosition(req.after)
    if (at === null) return { error: `"${req.after}" is not a cursor this thread gave.` }
    const from = Math.min(at, total)
    return { from, to: Math.min(total, from + limit) }
  }
  if (req.anchor === 'start') return { from: 0, to: Math.min(total, limit) }
  if (req.anchor === 'end') return { from: Math.max(0, total - limit), to: total }
  const at = indexOf(req.anchor.itemId)
  if (at === null) return { error: `This thread has no item ${req.anchor.itemId}.` }
  const from = Math.max(0, Math.min(at - Math.floor(limit / 2), total - limit))
  return { from, to: Math.min(total, from + limit) }
}

/** Wraps the items at [from, to) as the answer. */
export function windowResult(items: Item[], from: number, to: number, total: number): ItemWindow {
  return {
    items,
    start: from,
    total,
    before: from > 0 ? itemCursor(from) : null,
    after: to < total ? itemCursor(to) : null
  }
}
