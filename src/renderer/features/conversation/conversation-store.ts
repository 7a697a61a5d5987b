import { create } from 'zustand'
import type { Item } from '../../../shared/models'
import { without } from '../../lib/record'

/** One thread's transcript as this client holds it. */
export interface Transcript {
  /** Items in display order (the order the core created them). */
  items: Item[]
  /** True once `item/list` answered. */
  loaded: boolean
  /** Why loading failed, shown in place of the transcript. */
  error: string | null
}

interface ConversationState {
  /** Transcripts of the threads opened here (others are not tracked). */
  byThread: Record<string, Transcript>
  /** Starts tracking a thread (empty, loading); keeps an existing transcript. */
  track: (threadId: string) => void
  /** Replaces a thread's transcript with the core's list. */
  setList: (threadId: string, items: Item[]) => void
  setError: (threadId: string, message: string) => void
  /** Adds or replaces an item (item/started, item/completed, approval/requested). */
  upsert: (item: Item) => void
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
  if (item.kind === 'tool' && item.tool) return { ...item, tool: { ...item.tool, output: (item.tool.output ?? '') + delta } }
  return { ...item, text: (item.text ?? '') + delta }
}

/** Transcripts of the built-in agent, per thread, fed by `item/list` and the item notifications. */
export const useConversation = create<ConversationState>()((set) => ({
  byThread: {},
  track: (threadId) =>
    set((s) => (s.byThread[threadId] ? s : { byThread: { ...s.byThread, [threadId]: { items: [], loaded: false, error: null } } })),
  setList: (threadId, items) => set((s) => ({ byThread: { ...s.byThread, [threadId]: { items, loaded: true, error: null } } })),
  setError: (threadId, message) =>
    set((s) => {
      const t = s.byThread[threadId]
      return { byThread: { ...s.byThread, [threadId]: { items: t?.items ?? [], loaded: true, error: message } } }
    }),
  upsert: (item) =>
    set((s) => {
      const t = s.byThread[item.threadId]
      if (!t) return s
      const i = indexOfItem(t.items, item.id)
      const items = i >= 0 ? replaceAt(t.items, i, item) : append(t.items, item)
      return { byThread: { ...s.byThread, [item.threadId]: { ...t, items } } }
    }),
  appendDeltas: (threadId, deltas) =>
    set((s) => {
      const t = s.byThread[threadId]
      if (!t) return s
      let items = t.items
      for (const [itemId, delta] of deltas) {
        const i = indexOfItem(items, itemId)
        if (i < 0) continue
        items = replaceAt(items, i, withDelta(items[i], delta))
      }
      return items === t.items ? s : { byThread: { ...s.byThread, [threadId]: { ...t, items } } }
    }),
  forgetThread: (threadId) =>
    set((s) => {
      const byThread = without(s.byThread, threadId)
      return byThread === s.byThread ? s : { byThread }
    })
}))

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
