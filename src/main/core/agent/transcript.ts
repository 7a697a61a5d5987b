import { appError, ErrorCode } from '../../../shared/errors'
import type { ParsedParamsOf, ResultOf } from '../../../shared/methods'
import type { Item } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { fieldText, truncateItem } from './item-truncate'
import { windowRange, windowResult, type ItemWindow, type ItemWindowRequest } from './item-window'
import type { Logger } from '../logger'
import type { ThreadStore } from '../store/thread-store'

/** The log event that rewinds turns, or brings them back. */
const REWOUND_EVENT = 'turns.rewound'

/** The turns of a conversation still in the agent's context, in order (rewound ones left out). */
export function visibleTurns(items: readonly Item[]): string[] {
  const seen = new Set<string>()
  for (const i of items) if (!i.rewound && !seen.has(i.turnId)) seen.add(i.turnId)
  return [...seen]
}

/**
 * A thread's conversation: completed items are appended to its events.jsonl when they complete
 * (streaming deltas are not persisted); in-progress items live in memory until then.
 */
export class Transcript {
  private readonly byThread = new Map<string, Item[]>()
  private readonly loading = new Map<string, Promise<Item[]>>()

  constructor(
    private readonly store: ThreadStore,
    private readonly logger: Logger
  ) {}

  /** Every item of a thread, loading the log the first time. */
  async items(threadId: string): Promise<Item[]> {
    const items = this.byThread.get(threadId)
    if (items) return items
    // One load per thread: two callers loading at once would each keep their own array, and an item
    // put into the first (a turn's user message) would be lost when the second replaced it.
    let loading = this.loading.get(threadId)
    if (!loading) {
      loading = this.load(threadId).finally(() => this.loading.delete(threadId))
      this.loading.set(threadId, loading)
    }
    return loading
  }

  /** A window of a thread's items (interim: taken from the whole transcript in memory). */
  async window(req: ItemWindowRequest): Promise<Result<ItemWindow>> {
    const items = await this.items(req.threadId)
    const range = windowRange(req, items.length, (id) => {
      const i = items.findIndex((x) => x.id === id)
      return i < 0 ? null : i
    })
    if ('error' in range) return err(appError(ErrorCode.InvalidParams, range.error))
    return ok(
      windowResult(
        items.slice(range.from, range.to).map((i) => truncateItem(i)),
        range.from,
        range.to,
        items.length
      )
    )
  }

  /** A slice of one field of an item, whole. */
  async output(req: ParsedParamsOf<'item/output'>): Promise<Result<ResultOf<'item/output'>>> {
    const item = (await this.items(req.threadId)).find((i) => i.id === req.itemId)
    if (!item) return err(appError(ErrorCode.InvalidParams, `This thread has no item ${req.itemId}.`))
    const text = fieldText(item, req.field) ?? ''
    return ok({ text: text.slice(req.offset, req.offset + req.length), offset: Math.min(req.offset, text.length), total: text.length })
  }

  private async load(threadId: string): Promise<Item[]> {
    const latest = new Map<string, Item>()
    const rewound = new Set<string>()
    for (const e of await this.store.readEvents(threadId)) {
      const item = (e as { type: string; item?: Item }).item
      if (e.type === 'item.completed' && item && typeof item.id === 'string') latest.set(item.id, item)
      else if (e.type === REWOUND_EVENT) {
        const { turnIds, rewound: on } = e as { turnIds?: unknown; rewound?: unknown }
        if (!Array.isArray(turnIds)) continue
        for (const id of turnIds) if (typeof id === 'string') on === true ? rewound.add(id) : rewound.delete(id)
      }
    }
    // A pending approval outlives a restart: it and its tool call stay as they were, to be answered
    // (the agent service resumes the turn). Anything else in progress when Skein stopped is interrupted.
    const all = [...latest.values()]
    const waiting = new Set(
      all.filter((i) => i.kind === 'approval' && i.status === 'pending' && i.approval).flatMap((i) => [i.id, i.approval!.toolItemId])
    )
    const items = all.map((i) => {
      const ended =
        !waiting.has(i.id) && (i.status === 'streaming' || i.status === 'running' || i.status === 'pending')
          ? { ...i, status: 'interrupted' as const }
          : i
      const { rewound: _stale, ...rest } = ended
      return rewound.has(i.turnId) ? { ...rest, rewound: true } : rest
    })
    this.byThread.set(threadId, items)
    return items
  }

  /** Adds or replaces an in-memory item (not persisted). */
  async put(item: Item): Promise<void> {
    const items = await this.items(item.threadId)
    const i = items.findIndex((x) => x.id === item.id)
    if (i >= 0) items[i] = item
    else items.push(item)
  }

  /** Records an item as it now stands and appends it to the log. A pending approval is logged too, so it survives a restart. */
  async save(item: Item): Promise<void> {
    await this.put(item)
    const r = await this.store.appendRaw(item.threadId, { type: 'item.completed', at: Date.now(), item })
    if (!r.ok) this.logger.warn(r.error.message)
  }

  /**
   * Marks turns rewound (kept in the log and shown, but out of the agent's context) or brings them
   * back; one event in the log records it. Returns the items that changed.
   */
  async setRewound(threadId: string, turnIds: ReadonlySet<string>, rewound: boolean): Promise<Item[]> {
    const items = await this.items(threadId)
    const changed: Item[] = []
    items.forEach((item, i) => {
      if (!turnIds.has(item.turnId) || (item.rewound === true) === rewound) return
      const { rewound: _was, ...rest } = item
      items[i] = rewound ? { ...rest, rewound: true } : rest
      changed.push(items[i]!)
    })
    if (changed.length === 0) return []
    const r = await this.store.appendRaw(threadId, { type: REWOUND_EVENT, at: Date.now(), turnIds: [...turnIds], rewound })
    if (!r.ok) this.logger.warn(r.error.message)
    return changed
  }

  /** Forgets a deleted thread. */
  forget(threadId: string): void {
    this.byThread.delete(threadId)
  }
}
