import type { Item } from '../../../shared/models'
import { notifyError } from '../../state/notify'
import { errorMessage, request } from '../../state/rpc'
import { useConversation, useItemUi } from './conversation-store'
import { cursorAfter, cursorBefore, PAGE_SIZE, reachesEnd } from './conversation-window'
import { useDrafts } from './drafts-store'

type Pending = { kind: 'item'; item: Item; added?: boolean } | { kind: 'delta'; itemId: string; delta: string }

/** Threads whose `item/list` is in flight: notifications for them wait here and are replayed after. */
const loading = new Map<string, Pending[]>()
/** Streamed text not yet applied, per thread and item; flushed once per frame. */
const deltas = new Map<string, Map<string, string>>()
let flushScheduled = false

function flushDeltas(): void {
  flushScheduled = false
  if (deltas.size === 0) return
  const batch = [...deltas]
  deltas.clear()
  const { appendDeltas } = useConversation.getState()
  for (const [threadId, byItem] of batch) appendDeltas(threadId, byItem)
}

function scheduleFlush(): void {
  if (flushScheduled) return
  flushScheduled = true
  // A frame while visible; a hidden page gets no frames, so a short timer keeps the store current.
  if (document.visibilityState === 'visible') requestAnimationFrame(flushDeltas)
  else setTimeout(flushDeltas, 100)
}

const tracked = (threadId: string): boolean => !!useConversation.getState().byThread[threadId]

/** Per thread: ids of items the core announced lately, and the newest creation time seen (to tell new items from old). */
const recent = new Map<string, { ids: Set<string>; newest: number }>()
const RECENT_IDS = 2000

function noteRecent(threadId: string, items: readonly Item[]): void {
  let r = recent.get(threadId)
  if (!r) recent.set(threadId, (r = { ids: new Set(), newest: -Infinity }))
  for (const it of items) {
    r.ids.delete(it.id)
    r.ids.add(it.id)
    if (it.createdAt > r.newest) r.newest = it.createdAt
  }
  for (const id of r.ids) {
    if (r.ids.size <= RECENT_IDS) break
    r.ids.delete(id)
  }
}

/**
 * True when an item outside the window is one the core just created (it joins the end) rather than an older
 * one updated (a rewind marks old items again): new items are never older than the newest seen.
 */
function isFresh(item: Item): boolean {
  const r = recent.get(item.threadId)
  if (!r) return true
  return !r.ids.has(item.id) && item.createdAt >= r.newest
}

/**
 * Applies an item that started, completed or asks for approval (ignored for threads not opened here). `added`: the
 * core says whether the item is new to the conversation; when it does not, its id and creation time decide.
 */
export function routeItem(item: Item, added?: boolean): void {
  if (item.kind === 'user' && item.text) useDrafts.getState().dequeue(item.threadId, item.text.trim())
  const queue = loading.get(item.threadId)
  if (queue) {
    queue.push({ kind: 'item', item, added })
    return
  }
  if (!tracked(item.threadId)) return
  flushDeltas() // keep order: earlier text lands before the item that replaces or follows it
  const fresh = added ?? isFresh(item)
  noteRecent(item.threadId, [item])
  useConversation.getState().upsert(item, fresh)
}

/** Queues streamed text for an item; applied on the next frame. */
export function routeDelta(threadId: string, itemId: string, delta: string): void {
  const queue = loading.get(threadId)
  if (queue) {
    queue.push({ kind: 'delta', itemId, delta })
    return
  }
  if (!tracked(threadId)) return
  let byItem = deltas.get(threadId)
  if (!byItem) deltas.set(threadId, (byItem = new Map()))
  byItem.set(itemId, (byItem.get(itemId) ?? '') + delta)
  scheduleFlush()
}

/** Runs a fetch with the thread's notifications held back, then replays them onto what it loaded. */
async function holding(threadId: string, fetch: () => Promise<void>): Promise<void> {
  const queued: Pending[] = []
  loading.set(threadId, queued)
  try {
    await fetch()
  } finally {
    // A reconnect may have started another load meanwhile: its queue is its own.
    if (loading.get(threadId) === queued) loading.delete(threadId)
    for (const p of queued) {
      if (p.kind === 'item') routeItem(p.item, p.added)
      else routeDelta(threadId, p.itemId, p.delta)
    }
  }
}

/** The item a search result asked to show in this thread, when the window does not hold it. */
function pendingReveal(threadId: string): string | null {
  const r = useItemUi.getState().reveal[threadId]
  if (!r) return null
  const t = useConversation.getState().byThread[threadId]
  return t && t.items.some((it) => it.id === r.itemId) ? null : r.itemId
}

/**
 * Fetches a window of a thread's items: around the item a search result asks for if any, else at the end
 * (in-progress items and pending approvals included). Replaces what the thread held.
 */
export async function loadTranscript(threadId: string, anchor: 'end' | { itemId: string } | null = null): Promise<void> {
  if (loading.has(threadId)) return
  useConversation.getState().track(threadId)
  const revealId = pendingReveal(threadId)
  const at = anchor ?? (revealId ? { itemId: revealId } : 'end')
  let failed: string | null = null
  await holding(threadId, async () => {
    try {
      const page = await request('item/list', { threadId, anchor: at, limit: PAGE_SIZE })
      if (page.after === null) noteRecent(threadId, page.items)
      useConversation.getState().setWindow(threadId, page)
    } catch (e) {
      failed = errorMessage(e)
    }
  })
  if (failed !== null && at !== 'end') {
    // The item is gone (or never was): show the end rather than nothing.
    useItemUi.getState().revealed(threadId)
    return loadTranscript(threadId, 'end')
  }
  if (failed !== null) return useConversation.getState().setError(threadId, `Could not load the conversation: ${failed}`)
  // A search result arrived while the end was loading: fetch around it instead.
  if (at === 'end' && pendingReveal(threadId)) await loadTranscript(threadId)
}

/** Fetches the window around the item a search result asks for, when the thread's window does not hold it. */
export async function revealInWindow(threadId: string): Promise<void> {
  const t = useConversation.getState().byThread[threadId]
  if (t?.loaded && pendingReveal(threadId)) await loadTranscript(threadId)
}

/** Fetches the page before or after a thread's window (scrolled near that end); nothing when it holds that end already. */
export async function loadMore(threadId: string, side: 'before' | 'after'): Promise<void> {
  const t = useConversation.getState().byThread[threadId]
  if (!t || !t.loaded || t.fetching || loading.has(threadId)) return
  const cursor = side === 'before' ? cursorBefore(t) : cursorAfter(t)
  if (cursor === null) return
  useConversation.getState().setFetching(threadId, side)
  let joined = true
  await holding(threadId, async () => {
    try {
      const page = await request('item/list', { threadId, [side]: cursor, limit: PAGE_SIZE })
      if (page.after === null) noteRecent(threadId, page.items)
      joined = useConversation.getState().addPage(threadId, side, page)
    } catch (e) {
      notifyError('Could not load more of the conversation', e)
    }
  })
  // Only now, with the notifications replayed, may the next page be asked for.
  useConversation.getState().setFetching(threadId, null)
  if (!joined) await loadTranscript(threadId, 'end')
}

/**
 * After a reconnect: every window opened here is fetched again (what streamed meanwhile was missed), at the end
 * when it held the end, else around the item the person was reading, so the view stays on it.
 */
export function reloadTranscripts(): void {
  deltas.clear()
  for (const [threadId, t] of Object.entries(useConversation.getState().byThread)) {
    loading.delete(threadId)
    const at = viewing.get(threadId) ?? t.items[Math.floor(t.items.length / 2)]?.id
    void loadTranscript(threadId, reachesEnd(t) || !at ? null : { itemId: at })
  }
}

/** Per thread, the item at the top of its transcript's view (where a reload anchors the window). */
const viewing = new Map<string, string>()

/** The transcript shows `itemId` at the top of its view. */
export function noteViewing(threadId: string, itemId: string): void {
  viewing.set(threadId, itemId)
}

/** Stops tracking a thread that is gone. */
export function forgetTranscript(threadId: string): void {
  loading.delete(threadId)
  deltas.delete(threadId)
  recent.delete(threadId)
  viewing.delete(threadId)
  useConversation.getState().forgetThread(threadId)
}
