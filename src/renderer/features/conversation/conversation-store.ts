import { create } from 'zustand'
import type { Item } from '../../../shared/models'
import { without } from '../../lib/record'
import { windowOf, withNewItem, withPageAfter, withPageBefore, type ItemPage, type ItemWindow } from './conversation-window'

/** One thread's transcript as this client holds it: a window of its items, and how loading it goes. */
export interface Transcript extends ItemWindow {
  /** True once `item/list` answered. */
  loaded: boolean
  /** Why loading failed, shown in place of the transcript. */
  error: string | null
  /** The end of the window a page is being fetched for, if any. */
  fetching: 'before' | 'after' | null
  /** The view follows the end (or is not on screen): new items may push the oldest out of the window. */
  following: boolean
}

const EMPTY: Transcript = { items: [], start: 0, total: 0, pages: [], loaded: false, error: null, fetching: null, following: true }

interface ConversationState {
  /** Transcripts of the threads opened here (others are not tracked). */
  byThread: Record<string, Transcript>
  /** Starts tracking a thread (empty, loading); keeps an existing transcript. */
  track: (threadId: string) => void
  /** Replaces a thread's window with a page `item/list` answered. */
  setWindow: (threadId: string, page: ItemPage) => void
  /** Adds the page before or after the window; false when it does not join the window (the caller reloads). */
  addPage: (threadId: string, side: 'before' | 'after', page: ItemPage) => boolean
  setFetching: (threadId: string, side: 'before' | 'after' | null) => void
  setFollowing: (threadId: string, following: boolean) => void
  setError: (threadId: string, message: string) => void
  /** Replaces an item in the window, or adds one the core just created (`fresh`); other items are outside the window. */
  upsert: (item: Item, fresh: boolean) => void
  /** Appends streamed text (assistant) or output (running tool) to items, batched per frame. */
  appendDeltas: (threadId: string, deltas: Map<string, string>) => void
  forgetThread: (threadId: string) => void
}

/** Where each item sits in its transcript; rebuilt lazily when an array was replaced. */
const positions = new WeakMap<Item[], Map<string, number>>()

/** The index of an item in a transcript, or -1. */
export function indexOfItem(items: Item[], itemId: string): number {
  let map = positions.get(items)
  if (!map) {
    map = new Map(items.map((it, i) => [it.id, i]))
    positions.set(items, map)
  }
  return map.get(itemId) ?? -1
}

/** A new array with one item replaced, sharing the index map (positions do not move). */
function replaceAt(items: Item[], index: number, item: Item): Item[] {
  const next = items.slice()
  next[index] = item
  const map = positions.get(items)
  if (map) positions.set(next, map)
  return next
}

/** A new array with an item appended, extending the index map. */
function append(items: Item[], item: Item): Item[] {
  const next = [...items, item]
  const map = positions.get(items)
  if (map) {
    const copy = new Map(map)
    copy.set(item.id, next.length - 1)
    positions.set(next, copy)
  }
  return next
}

/** Appends a delta to the field it streams into: tool output for tools, text otherwise. */
function withDelta(item: Item, delta: string): Item {
  const field = item.kind === 'tool' && item.tool ? 'tool.output' : 'text'
  // A field sent cut short holds only its first part: the delta belongs after text this client does not hold.
  if (item.truncated?.some((t) => t.field === field))
    return { ...item, truncated: item.truncated.map((t) => (t.field === field ? { ...t, chars: t.chars + delta.length } : t)) }
  if (item.kind === 'tool' && item.tool) return { ...item, tool: { ...item.tool, output: (item.tool.output ?? '') + delta } }
  return { ...item, text: (item.text ?? '') + delta }
}

/** Transcripts of the built-in agent, per thread: windows fed by `item/list` and the item notifications. */
export const useConversation = create<ConversationState>()((set, get) => {
  const update = (threadId: string, fn: (t: Transcript) => Transcript | null): void =>
    set((s) => {
      const t = s.byThread[threadId]
      const next = t ? fn(t) : null
      return next && next !== t ? { byThread: { ...s.byThread, [threadId]: next } } : s
    })
  return {
    byThread: {},
    track: (threadId) => set((s) => (s.byThread[threadId] ? s : { byThread: { ...s.byThread, [threadId]: EMPTY } })),
    setWindow: (threadId, page) =>
      update(threadId, (t) => ({ ...windowOf(page), loaded: true, error: null, fetching: null, following: t.following })),
    addPage: (threadId, side, page) => {
      const t = get().byThread[threadId]
      if (!t) return true
      const joined = side === 'before' ? withPageBefore(t, page) : withPageAfter(t, page)
      if (!joined) return false
      update(threadId, (cur) => ({ ...cur, ...joined }))
      return true
    },
    setFetching: (threadId, side) => update(threadId, (t) => (t.fetching === side ? t : { ...t, fetching: side })),
    setFollowing: (threadId, following) => update(threadId, (t) => (t.following === following ? t : { ...t, following })),
    setError: (threadId, message) => update(threadId, (t) => ({ ...t, loaded: true, error: message, fetching: null })),
    upsert: (item, fresh) =>
      update(item.threadId, (t) => {
        const i = indexOfItem(t.items, item.id)
        if (i >= 0) return { ...t, items: replaceAt(t.items, i, item) }
        if (!fresh) return null
        const w = withNewItem(t, item, t.following)
        if (w.items.length === t.items.length + 1 && w.start === t.start) return { ...t, ...w, items: append(t.items, item) }
        return { ...t, ...w }
      }),
    appendDeltas: (threadId, deltas) =>
      update(threadId, (t) => {
        let items = t.items
        for (const [itemId, delta] of deltas) {
          const i = indexOfItem(items, itemId)
          if (i < 0) continue
          items = replaceAt(items, i, withDelta(items[i], delta))
        }
        return items === t.items ? t : { ...t, items }
      }),
    forgetThread: (threadId) =>
      set((s) => {
        const byThread = without(s.byThread, threadId)
        return byThread === s.byThread ? s : { byThread }
      })
  }
})

/** True for an approval item nobody has answered yet. */
export const isPendingApproval = (item: Item): boolean =>
  item.kind === 'approval' &&
  !!item.approval &&
  item.approval.decision === null &&
  item.status !== 'interrupted' &&
  item.status !== 'failed'

interface ItemUiState {
  /** Tool rows the person unfolded (kept while rows scroll out of the virtual window). */
  expanded: Record<string, true>
  toggle: (itemId: string) => void
  /** Bumped when the person sends a message: the transcript jumps to its end and follows again. */
  followTick: Record<string, number>
  follow: (threadId: string) => void
  /** An item to scroll to and highlight once the thread's transcript shows it (a search result opened). */
  reveal: Record<string, { itemId: string; tick: number }>
  revealItem: (threadId: string, itemId: string) => void
  /** The transcript showed the item: nothing waits any more. */
  revealed: (threadId: string) => void
}

/** Per-item view state that must outlive a row being virtualized away. */
export const useItemUi = create<ItemUiState>()((set) => ({
  expanded: {},
  toggle: (itemId) =>
    set((s) => {
      const expanded = { ...s.expanded }
      if (expanded[itemId]) delete expanded[itemId]
      else expanded[itemId] = true
      return { expanded }
    }),
  followTick: {},
  follow: (threadId) => set((s) => ({ followTick: { ...s.followTick, [threadId]: (s.followTick[threadId] ?? 0) + 1 } })),
  reveal: {},
  revealItem: (threadId, itemId) =>
    set((s) => ({ reveal: { ...s.reveal, [threadId]: { itemId, tick: (s.reveal[threadId]?.tick ?? 0) + 1 } } })),
  revealed: (threadId) => set((s) => ({ reveal: without(s.reveal, threadId) }))
}))

/** Opens a thread's transcript at an item: it is scrolled to and marked once the transcript shows it. */
export function revealItem(threadId: string, itemId: string): void {
  useItemUi.getState().revealItem(threadId, itemId)
}
