import { create } from 'zustand'
import type { Item, TruncatedField } from '../../../shared/models'
import { errorMessage, request } from '../../state/rpc'

/** Characters one `item/output` call reads. */
export const OUTPUT_SLICE = 500_000
/** Characters of one field shown at most: past it, loading more drops the earliest (the DOM stays a few MB). */
export const MAX_SHOWN = 2_000_000
/** Fields read whole that are kept at once; the oldest is forgotten (it can be read again). */
const KEPT = 6

/** The part of a truncated field read so far: the characters [from, from + text.length) of `total`. */
export interface LoadedField {
  from: number
  text: string
  total: number
  loading: boolean
  error: string | null
}

interface ItemOutputState {
  /** By `<itemId>:<field>`, oldest first. */
  loaded: Record<string, LoadedField>
  set: (key: string, value: LoadedField) => void
}

/** Fields of truncated items read with `item/output`, kept outside the window so rows can scroll away and back. */
export const useItemOutput = create<ItemOutputState>()((set) => ({
  loaded: {},
  set: (key, value) =>
    set((s) => {
      const next = { ...s.loaded }
      delete next[key]
      next[key] = value
      const keys = Object.keys(next)
      for (const k of keys.slice(0, Math.max(0, keys.length - KEPT))) delete next[k]
      return { loaded: next }
    })
}))

/** The key of one field of one item. */
export const fieldKey = (itemId: string, field: TruncatedField): string => `${itemId}:${field}`

/** The item with one field's text replaced. */
export function withFieldText(item: Item, field: TruncatedField, text: string): Item {
  switch (field) {
    case 'text':
      return { ...item, text }
    case 'modelText':
      return { ...item, modelText: text }
    case 'tool.output':
      return item.tool ? { ...item, tool: { ...item.tool, output: text } } : item
    case 'tool.diff':
      return item.tool ? { ...item, tool: { ...item.tool, diff: text } } : item
    case 'approval.diff':
      return item.approval ? { ...item, approval: { ...item.approval, diff: text } } : item
  }
}

/** The item as shown: each truncated field that was read further shows what was read. */
export function shownItem(item: Item, loaded: Readonly<Record<string, LoadedField>>): Item {
  if (!item.truncated) return item
  let shown = item
  for (const t of item.truncated) {
    const l = loaded[fieldKey(item.id, t.field)]
    if (!l || l.text.length === 0) continue
    const text = l.from > 0 ? `… ${l.from.toLocaleString('en-US')} earlier characters not shown …\n${l.text}` : l.text
    shown = withFieldText(shown, t.field, text)
  }
  return shown
}

/**
 * Reads more of a truncated field: all of it when it fits what is shown at most, else the next slice (dropping the
 * earliest characters past `MAX_SHOWN`).
 */
export async function loadMoreOutput(item: Item, field: TruncatedField, chars: number): Promise<void> {
  const key = fieldKey(item.id, field)
  const { loaded, set } = useItemOutput.getState()
  const cur = loaded[key] ?? { from: 0, text: '', total: chars, loading: false, error: null }
  if (cur.loading) return
  const offset = cur.from + cur.text.length
  const length = Math.min(chars <= MAX_SHOWN && offset === 0 ? chars : OUTPUT_SLICE, 4_000_000)
  set(key, { ...cur, loading: true, error: null })
  try {
    const got = await request('item/output', { threadId: item.threadId, itemId: item.id, field, offset, length })
    let text = cur.text + got.text
    let from = cur.from
    if (text.length > MAX_SHOWN) {
      const cut = text.length - MAX_SHOWN
      text = text.slice(cut)
      from += cut
    }
    set(key, { from, text, total: got.total, loading: false, error: null })
  } catch (e) {
    set(key, { ...cur, loading: false, error: errorMessage(e) })
  }
}
