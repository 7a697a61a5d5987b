import type { Item } from '../../../shared/models'
import { errorMessage, request } from '../../state/rpc'
import { useConversation } from './conversation-store'
import { useDrafts } from './drafts-store'

type Pending = { kind: 'item'; item: Item } | { kind: 'delta'; itemId: string; delta: string }

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

/** Applies an item that started, completed or asks for approval (ignored for threads not opened here). */
export function routeItem(item: Item): void {
  if (item.kind === 'user' && item.text) useDrafts.getState().dequeue(item.threadId, item.text.trim())
  const queue = loading.get(item.threadId)
  if (queue) {
    queue.push({ kind: 'item', item })
    return
  }
  if (!tracked(item.threadId)) return
  flushDeltas() // keep order: earlier text lands before the item that replaces or follows it
  useConversation.getState().upsert(item)
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

/** Fetches a thread's whole transcript (in-progress items and pending approvals included). */
export async function loadTranscript(threadId: string): Promise<void> {
  if (loading.has(threadId)) return
  useConversation.getState().track(threadId)
  loading.set(threadId, [])
  try {
    const { items } = await request('item/list', { threadId })
    const queued = loading.get(threadId) ?? []
    loading.delete(threadId)
    useConversation.getState().setList(threadId, items)
    for (const p of queued) {
      if (p.kind === 'item') routeItem(p.item)
      else routeDelta(threadId, p.itemId, p.delta)
    }
  } catch (e) {
    loading.delete(threadId)
    useConversation.getState().setError(threadId, `Could not load the conversation: ${errorMessage(e)}`)
  }
}

/** After a reconnect: every transcript opened here is fetched again (what streamed meanwhile was missed). */
export function reloadTranscripts(): void {
  deltas.clear()
  for (const threadId of Object.keys(useConversation.getState().byThread)) {
    loading.delete(threadId)
    void loadTranscript(threadId)
  }
}

/** Stops tracking a thread that is gone. */
export function forgetTranscript(threadId: string): void {
  loading.delete(threadId)
  deltas.delete(threadId)
  useConversation.getState().forgetThread(threadId)
}
