import { appError, ErrorCode } from '../../../shared/errors'
import type { ParsedParamsOf, ResultOf } from '../../../shared/methods'
import { fieldText, type Item } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { KeyedLock } from '../keyed-lock'
import type { Logger } from '../logger'
import { indexPathOf, KIND_CODES, LogIndex, REWOUND_EVENT } from '../store/log-index'
import type { ThreadStore } from '../store/thread-store'
import { truncateItem } from './item-truncate'
import { windowRange, windowResult, type ItemWindow, type ItemWindowRequest } from './item-window'
import { inProgress, readItemsAt, showItem, streamItems, unreadableLog, waitingIn, type ItemRules } from './transcript-reads'

/** The turns of a conversation still in the agent's context, in order (rewound ones left out). */
export function visibleTurns(items: readonly Item[]): string[] {
  const seen = new Set<string>()
  for (const i of items) if (!i.rewound && !seen.has(i.turnId)) seen.add(i.turnId)
  return [...seen]
}

/** What `lastMatching` looks for: the last item of one of `kinds` that passes `test`. */
export interface ItemWant {
  kinds: readonly Item['kind'][]
  test: (item: Item) => boolean
}

/** Threads whose offset index stays open (memory: a few typed arrays per thread). */
const OPEN_INDEXES = 64
/** Whole transcripts kept for running turns (the model history is rebuilt each step), and how long unused. */
const FULL_KEPT = 4
const FULL_IDLE_MS = 30_000
/** Logged items `lastMatching` reads at most, walking back from the end. */
const LAST_SCAN_ITEMS = 2_000

/** An item in memory: put() (streaming, in progress) and maybe saved; the log has it once the index has caught up. */
interface Live {
  item: Item
  /** The catch-up generation after which its latest state is on disk (null: not saved since its last put). */
  savedAt: number | null
}

/** What one thread looks like at one moment: the index caught up, and the items not (or not yet) served from it. */
interface Snapshot {
  index: LogIndex
  count: number
  unlogged: Item[]
  overrides: Map<string, Item>
  rules: ItemRules
}

/**
 * A thread's conversation: completed items are appended to its events.jsonl when they complete (streaming
 * deltas are not persisted); in-progress items live in memory until then. Windows (`item/list`) and field
 * slices (`item/output`) are read from the log through its offset index (store/log-index.ts), a few lines at a
 * time; in-memory items not in the log yet come after the logged ones, in put order.
 */
export class Transcript {
  private readonly live = new Map<string, Map<string, Live>>()
  private readonly indexes = new Map<string, LogIndex>()
  private readonly full = new Map<string, { items: Item[]; timer: NodeJS.Timeout }>()
  private readonly lock = new KeyedLock()
  private generation = 0

  constructor(
    private readonly store: ThreadStore,
    private readonly logger: Logger,
    private readonly options: { openIndexes?: number } = {}
  ) {}

  /**
   * Every item of a thread (model history, fork, rewind, checkpoints, PR text, handoff), streamed from the log
   * line by line; bulky fields are cut to ITEMS_FIELD_CHARS (transcript-reads.ts). Never call it to open or list
   * a thread: use `window`, `lastMatching` or `hasPendingApproval`. Kept briefly for a running turn's steps.
   */
  async items(threadId: string): Promise<Item[]> {
    const kept = this.full.get(threadId)
    if (kept) {
      this.keep(threadId, kept.items)
      return kept.items
    }
    return this.lock.run(threadId, async () => {
      const again = this.full.get(threadId)
      if (again) return again.items
      const { items: logged, rewound } = await streamItems(this.store.logPath(threadId), this.logger)
      const rules: ItemRules = { rewound, waiting: waitingIn(logged) }
      const live = this.live.get(threadId)
      const items = logged.map((i) => {
        const now = live?.get(i.id)
        return showItem(now?.item ?? i, rules, now !== undefined)
      })
      const known = new Set(logged.map((i) => i.id))
      for (const l of live?.values() ?? []) if (!known.has(l.item.id)) items.push(showItem(l.item, rules, true))
      this.keep(threadId, items)
      return items
    })
  }

  /** A window of a thread's items, bulky fields truncated; read from the log through its offset index. */
  window(req: ItemWindowRequest): Promise<Result<ItemWindow>> {
    return this.readingLog(req.threadId, () => this.windowOf(req))
  }

  /** A slice of one field of an item, whole: read from its line in the log (or from memory while it is in progress). */
  output(req: ParsedParamsOf<'item/output'>): Promise<Result<ResultOf<'item/output'>>> {
    return this.readingLog(req.threadId, () => this.outputOf(req))
  }

  /** Runs a read of the log; a log that cannot be read is a tagged error that says so. */
  private async readingLog<T>(threadId: string, read: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await read()
    } catch (e) {
      return err(appError(ErrorCode.StorageFailed, unreadableLog(this.store.logPath(threadId), e, this.logger).message))
    }
  }

  private async windowOf(req: ItemWindowRequest): Promise<Result<ItemWindow>> {
    const snap = await this.snapshot(req.threadId)
    const total = snap.count + snap.unlogged.length
    const range = windowRange(req, total, (id) => this.positionOf(snap, id))
    if ('error' in range) return err(appError(ErrorCode.InvalidParams, range.error))
    const items = await this.serve(snap, range.from, range.to)
    if (typeof req.anchor === 'object' && req.before === undefined && req.after === undefined) {
      const anchor = (req.anchor as { itemId: string }).itemId
      if (!items.some((i) => i.id === anchor)) return err(appError(ErrorCode.InvalidParams, `This thread has no item ${anchor}.`))
    }
    return ok(
      windowResult(
        items.map((i) => truncateItem(i)),
        range.from,
        range.to,
        total
      )
    )
  }

  private async outputOf(req: ParsedParamsOf<'item/output'>): Promise<Result<ResultOf<'item/output'>>> {
    const snap = await this.snapshot(req.threadId)
    const at = this.positionOf(snap, req.itemId)
    const item = at === null ? undefined : (await this.serve(snap, at, at + 1, false))[0]
    if (!item || item.id !== req.itemId) return err(appError(ErrorCode.InvalidParams, `This thread has no item ${req.itemId}.`))
    const text = fieldText(item, req.field) ?? ''
    return ok({ text: text.slice(req.offset, req.offset + req.length), offset: Math.min(req.offset, text.length), total: text.length })
  }

  /**
   * For each want, the last item that matches it (null when none does among the last LAST_SCAN_ITEMS of its kinds):
   * what a thread's card shows, without reading the whole log. Bulky fields come truncated.
   */
  async lastMatching(threadId: string, wants: readonly ItemWant[]): Promise<(Item | null)[]> {
    const snap = await this.snapshot(threadId)
    const found: (Item | null)[] = wants.map(() => null)
    const open = () => wants.filter((_, w) => found[w] === null)
    const offer = (item: Item) =>
      wants.forEach((w, k) => found[k] === null && w.kinds.includes(item.kind) && w.test(item) && (found[k] = item))
    for (let i = snap.unlogged.length - 1; i >= 0; i--) offer(showItem(snap.unlogged[i]!, snap.rules, true))
    let scanned = 0
    for (let p = snap.count - 1; p >= 0 && scanned < LAST_SCAN_ITEMS && open().length > 0;) {
      const codes = new Set(open().flatMap((w) => w.kinds.map((k) => KIND_CODES[k])))
      const batch: number[] = []
      for (; p >= 0 && batch.length < 64; p--) if (codes.has(snap.index.kindAt(p))) batch.push(p)
      scanned += batch.length
      const items = await readItemsAt(snap.index, batch, this.logger)
      for (const item of items) if (item) offer(this.shown(snap, item))
    }
    return found.map((i) => (i ? truncateItem(i) : null))
  }

  /** Whether the thread has an approval saved (before a restart) that still waits for an answer; reads the index only. */
  async hasPendingApproval(threadId: string): Promise<boolean> {
    const snap = await this.snapshot(threadId)
    const pending = (i: Item) => i.kind === 'approval' && i.status === 'pending' && i.approval !== undefined
    if (snap.unlogged.some(pending)) return true
    const logged = await readItemsAt(snap.index, snap.index.pendingPositions(), this.logger)
    return logged.some((i) => i !== null && pending(this.shown(snap, i)))
  }

  /**
   * Brings the thread's offset index up to date now (after an import, or warming after start), so its first open is
   * a seek, not a build. `signal` stops it between two lines (what is indexed stays); `keepOpen: false` leaves an
   * index that was not open already closed, so warming many logs does not push out the ones in use.
   */
  async indexNow(threadId: string, o: { signal?: AbortSignal; keepOpen?: boolean } = {}): Promise<void> {
    await this.lock.run(threadId, async () => (await this.index(threadId, o)).catchUp(undefined, o.signal))
  }

  /** Adds or replaces an in-memory item (not persisted). */
  async put(item: Item): Promise<void> {
    this.touch(item)
  }

  /** Records an item as it now stands and appends it to the log. A pending approval is logged too, so it survives a restart. */
  async save(item: Item): Promise<void> {
    const entry = this.touch(item)
    const r = await this.store.appendRaw(item.threadId, { type: 'item.completed', at: Date.now(), item })
    if (!r.ok) this.logger.warn(r.error.message)
    // On disk now (unless a later put replaced it): the next catch-up that starts after this may let it go.
    else if (this.live.get(item.threadId)?.get(item.id) === entry) entry.savedAt = this.generation
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
    this.live.delete(threadId)
    this.indexes.delete(threadId)
    const kept = this.full.get(threadId)
    if (kept) clearTimeout(kept.timer)
    this.full.delete(threadId)
  }

  /** Drops what is kept in memory for threads (open indexes, whole transcripts); in-progress items stay. */
  close(): void {
    for (const kept of this.full.values()) clearTimeout(kept.timer)
    this.full.clear()
    this.indexes.clear()
  }

  private touch(item: Item): Live {
    let live = this.live.get(item.threadId)
    if (!live) this.live.set(item.threadId, (live = new Map()))
    const entry: Live = { item, savedAt: null }
    live.set(item.id, entry)
    const kept = this.full.get(item.threadId)?.items
    if (kept) {
      const i = kept.findIndex((x) => x.id === item.id)
      if (i >= 0) kept[i] = item
      else kept.push(item)
    }
    return entry
  }

  private keep(threadId: string, items: Item[]): void {
    const old = this.full.get(threadId)
    if (old) clearTimeout(old.timer)
    this.full.delete(threadId)
    const timer = setTimeout(() => this.full.get(threadId)?.timer === timer && this.full.delete(threadId), FULL_IDLE_MS)
    timer.unref()
    this.full.set(threadId, { items, timer })
    for (const [id, k] of this.full) {
      if (this.full.size <= FULL_KEPT) break
      clearTimeout(k.timer)
      this.full.delete(id)
    }
  }

  /** Catches the thread's index up with its log and takes what memory adds to it, under the thread's lock. */
  private snapshot(threadId: string): Promise<Snapshot> {
    return this.lock.run(threadId, async () => {
      const index = await this.index(threadId)
      const started = ++this.generation
      await index.catchUp()
      const live = this.live.get(threadId)
      const unlogged: Item[] = []
      const overrides = new Map<string, Item>()
      for (const [id, l] of live ?? []) {
        const logged = index.positionOf(id) !== null
        // Saved before this catch-up began and finished: the log serves it now.
        if (logged && l.savedAt !== null && l.savedAt < started && !inProgress(l.item)) live!.delete(id)
        else if (logged) overrides.set(id, l.item)
        else unlogged.push(l.item)
      }
      if (live?.size === 0) this.live.delete(threadId)
      const rules: ItemRules = { rewound: new Set(index.rewoundTurns()), waiting: (id) => index.isWaiting(id) }
      return { index, count: index.count, unlogged, overrides, rules }
    })
  }

  /** The thread's index, kept open as the most recently used (`keepOpen: false`: one not open yet is not kept). Under the thread's lock. */
  private async index(threadId: string, o: { signal?: AbortSignal; keepOpen?: boolean } = {}): Promise<LogIndex> {
    let index = this.indexes.get(threadId)
    if (index) this.indexes.delete(threadId)
    else {
      const log = this.store.logPath(threadId)
      index = await LogIndex.open(log, indexPathOf(log), this.logger, o.signal)
      if (o.keepOpen === false) return index
    }
    this.indexes.set(threadId, index)
    for (const id of this.indexes.keys()) {
      if (this.indexes.size <= (this.options.openIndexes ?? OPEN_INDEXES)) break
      this.indexes.delete(id)
    }
    return index
  }

  private positionOf(snap: Snapshot, id: string): number | null {
    const at = snap.index.positionOf(id)
    if (at !== null) return at
    const i = snap.unlogged.findIndex((x) => x.id === id)
    return i < 0 ? null : snap.count + i
  }

  private shown(snap: Snapshot, logged: Item): Item {
    const now = snap.overrides.get(logged.id)
    return showItem(now ?? logged, snap.rules, now !== undefined)
  }

  /** The items at positions [from, to): logged ones read from the log, then those only in memory; `listed`: as item/list shows them (truncated, restart rules), else whole as stored. */
  private async serve(snap: Snapshot, from: number, to: number, listed = true): Promise<Item[]> {
    const positions: number[] = []
    for (let p = from; p < Math.min(to, snap.count); p++) positions.push(p)
    const read = await readItemsAt(snap.index, positions, this.logger, { whole: !listed })
    const out: Item[] = []
    for (const item of read) if (item) out.push(listed ? this.shown(snap, item) : (snap.overrides.get(item.id) ?? item))
    for (let p = Math.max(from, snap.count); p < to; p++) {
      const item = snap.unlogged[p - snap.count]!
      out.push(listed ? showItem(item, snap.rules, true) : item)
    }
    return out
  }
}
