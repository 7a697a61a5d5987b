import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Item, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { SearchPage, SearchParams, SearchState } from '../../../shared/search'
import type { z } from 'zod'
import type { Logger } from '../logger'
import { itemText, MAX_ITEM_TEXT } from './item-text'
import { readItemsAfter } from './log-tail'
import { IndexedThreads, threadRow } from './indexed-threads'
import { isCorruption, SearchDb, type SearchWriter } from './search-db'
import { ftsQuery } from './search-query'

/** Items written per transaction at most (and text bytes): a batch never holds the core's thread for long. */
const BATCH_ITEMS = 500
const BATCH_BYTES = 8 * 1024 * 1024
/** Threads' metadata written per transaction while catching up. */
const THREADS_PER_TX = 1000

/** What the indexer reads and tells. */
export interface SearchIndexerDeps {
  /** SKEIN_HOME/search: index.db lives here. */
  dir: string
  /** A thread's events.jsonl. */
  logFile(threadId: string): string
  /** Every thread the store holds (archived too). */
  threads(): Thread[]
  thread(id: string): Thread | undefined
  /**
   * A thread's log size as the store knows it (it checks every log when it starts), so catch-up reads only the logs
   * that moved without asking the disk; undefined (or no function) asks the disk.
   */
  logSize?(threadId: string): number | undefined
  /** Catch-up waits for this (the core's start) and never delays it; searches answer from the index meanwhile. */
  catchUpAfter?: Promise<unknown>
  logger: Logger
  notify(name: 'search/rebuilding' | 'search/ready', state: SearchState): void
  /** How long news waits to be written with what follows it (default 250 ms). */
  batchMs?: number
}

interface Pending {
  threadId: string
  items: Item[]
  offset: number
}

/**
 * Keeps SKEIN_HOME/search/index.db in step with the threads' logs: the logs are the truth, read from each
 * thread's high-water mark when news arrives (batched), at start (catch-up) and after a loss (rebuild).
 */
export class SearchIndexer {
  private db: SearchDb | null = null
  private readonly known = new IndexedThreads()
  private current: SearchState = { state: 'rebuilding', message: null, threads: 0, items: 0 }
  private readonly dirtyLogs = new Set<string>()
  private readonly dirtyThreads = new Map<string, Thread>()
  private readonly removed = new Set<string>()
  private timer: NodeJS.Timeout | null = null
  private work: Promise<void> = Promise.resolve()
  private closed = false
  /** Set when closing: a catch-up stops (it resumes from the high-water marks at the next start). */
  private closing = false
  /** A connection given up (damaged) that is still closing: its file is deleted only once it has. */
  private retired: Promise<void> = Promise.resolve()

  constructor(private readonly d: SearchIndexerDeps) {}

  /** Opens the index (or schedules its rebuild) and catches up with the logs in the background. */
  async start(): Promise<void> {
    const file = join(this.d.dir, 'index.db')
    const dirExisted = existsSync(this.d.dir)
    await mkdir(this.d.dir, { recursive: true, mode: 0o700 })
    const opened = await SearchDb.open(file)
    if (!opened.ok && opened.failure.reason === 'unavailable') {
      await this.setState('unavailable', `Search is unavailable: ${opened.failure.message}`)
      this.d.logger.error(this.current.message!)
      return
    }
    if (!opened.ok) {
      const message = `${opened.failure.message} Rebuilding it from the threads' logs.`
      await this.setState('rebuilding', message)
      // An empty index in place before the core serves: searches answer (from what is rebuilt so far) rather than fail.
      if (await this.recreate()) this.enqueue(() => this.build(message))
      return
    }
    this.db = opened.db
    if (!opened.created) {
      // Searchable at once; what is indexed (100k threads: a second) is loaded in the background, before any write.
      this.current = { ...this.current, state: 'ready', message: null }
      const db = opened.db
      this.enqueue(async () => {
        try {
          this.known.load(await db.threads())
        } catch (e) {
          this.lost(db, e, 'could not be read')
          return
        }
        // Counting every item takes a while in a big index too.
        await this.recount()
      })
      const after = this.d.catchUpAfter
      if (!after) this.enqueue(() => this.catchUp())
      // Queued behind the core's start, not ahead of it; a start that fails leaves the catch-up to the next one.
      else
        void after
          .then(() => yieldToLoop())
          .then(
            () => this.closing || this.enqueue(() => this.catchUp()),
            () => undefined
          )
      return
    }
    if (this.d.threads().length === 0) return await this.setState('ready', null)
    const message = dirExisted
      ? "The search index was missing: rebuilding it from the threads' logs."
      : "Building the search index from the threads' logs."
    await this.setState('rebuilding', message)
    this.enqueue(() => this.build(message))
  }

  /** A thread's log has news (an item completed): indexed with the next batch. */
  noteLog(threadId: string): void {
    this.dirtyLogs.add(threadId)
    this.schedule()
  }

  /** A thread changed (title, status, agent); a new thread's log is read too (a fork's items are written without news). */
  noteThread(thread: Thread): void {
    this.dirtyThreads.set(thread.id, thread)
    // A new thread, or one whose log moved past the mark (the store's check found it written from outside).
    const size = this.d.logSize?.(thread.id)
    if (!this.known.offsets.has(thread.id) || (size !== undefined && size !== this.known.offsets.get(thread.id)))
      this.dirtyLogs.add(thread.id)
    this.schedule()
  }

  /** A deleted thread leaves the index. */
  noteRemoved(threadId: string): void {
    this.removed.add(threadId)
    this.dirtyLogs.delete(threadId)
    this.dirtyThreads.delete(threadId)
    this.schedule()
  }

  /** What the index is doing; its counts are as of the last open, build or recount. */
  status(): SearchState {
    return { ...this.current }
  }

  /** What the index is doing, with threads and items counted afresh. */
  async recounted(): Promise<SearchState> {
    await this.recount()
    return this.status()
  }

  /** Runs a search; bad input and an unusable index are tagged errors. */
  async query(p: z.output<typeof SearchParams>): Promise<Result<SearchPage>> {
    const match = ftsQuery(p.query)
    if (!match.ok) return match
    const db = this.db
    if (!db) return err(appError(ErrorCode.StorageFailed, this.current.message ?? 'The search index is not open yet.'))
    if (p.since !== undefined && p.until !== undefined && p.until <= p.since)
      return err(appError(ErrorCode.InvalidParams, '"until" must be later than "since".'))
    const offset = p.cursor ? Number(p.cursor) : 0
    try {
      const filters = { repoId: p.repoId, status: p.status, agent: p.profileId, since: p.since, until: p.until }
      const found = await db.query(match.value, filters, p.limit, offset)
      const results = found.rows.map((r) => ({
        threadId: r.threadId,
        itemId: r.itemId === '' ? null : r.itemId,
        kind: r.kind,
        snippet: r.snippet,
        createdAt: r.createdAt,
        threadTitle: r.title,
        repoId: r.repoId
      }))
      return ok({ results, nextCursor: found.more ? String(offset + p.limit) : null, index: this.status() })
    } catch (e) {
      if (isCorruption(e)) this.lost(db, e)
      // Damaged, or closed under this search for a rebuild: either way the index, not the query, is at fault.
      if (this.db !== db) return err(appError(ErrorCode.StorageFailed, this.current.message ?? 'The search index is being rebuilt.'))
      return err(appError(ErrorCode.InvalidParams, `This search could not be run: ${(e as Error).message}`))
    }
  }

  /** Writes whatever news waits, now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.enqueue(() => this.pump())
    await this.work
  }

  /** Writes what waits and closes the file. */
  async close(): Promise<void> {
    this.closing = true
    await this.flush()
    this.closed = true
    const db = this.db
    this.db = null
    await db?.close()
    await this.retired
  }

  private schedule(): void {
    if (this.timer || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.enqueue(() => this.pump())
    }, this.d.batchMs ?? 250)
  }

  private enqueue(job: () => Promise<void>): void {
    this.work = this.work.then(job).catch((e: unknown) => this.d.logger.error('Search indexing failed', e))
  }

  private async pump(): Promise<void> {
    if (!this.db) return
    const removed = [...this.removed]
    const threads = [...this.dirtyThreads.values()]
    const logs = [...this.dirtyLogs]
    this.removed.clear()
    this.dirtyThreads.clear()
    this.dirtyLogs.clear()
    const wrote = await this.write(async (w) => {
      for (const id of removed) await w.removeThread(id)
      for (const t of threads) await w.putThread(threadRow(t))
    })
    if (!wrote) return
    for (const id of removed) this.known.forget(id)
    for (const t of threads) this.known.wrote(t)
    await this.indexLogs(logs)
  }

  /**
   * Reads each thread's log from its high-water mark and writes the items in batches. One batch is written (on
   * SQLite's thread) while the next is read and parsed (on this one): the two overlap.
   */
  private async indexLogs(ids: readonly string[], stopWhenClosing = false): Promise<void> {
    let batch: Pending[] = []
    let items = 0
    let bytes = 0
    let writing: Promise<boolean> = Promise.resolve(true)
    const commit = async (): Promise<boolean> => {
      const todo = batch
      batch = []
      items = 0
      bytes = 0
      if (todo.length === 0) return await writing
      const rows = todo.flatMap((p) =>
        p.items.map((item) => ({
          threadId: p.threadId,
          item: { itemId: item.id, kind: item.kind, createdAt: item.createdAt, text: itemText(item) }
        }))
      )
      if (!(await writing)) return false
      writing = this.write(async (w) => {
        await w.putItems(rows)
        for (const p of todo) await w.setOffset(p.threadId, p.offset)
      }).then((wrote) => {
        if (wrote) for (const p of todo) this.known.offsets.set(p.threadId, p.offset)
        return wrote
      })
      await yieldToLoop()
      return true
    }
    /** Everything read so far written; false when a write failed. */
    const drain = async () => (await commit()) && (await writing)
    for (const id of ids) {
      if (stopWhenClosing && this.closing) break
      if (!this.db || this.removed.has(id)) continue
      if (!this.known.offsets.has(id)) {
        const t = this.d.thread(id)
        if (!t || !(await this.write((w) => w.putThread(threadRow(t))))) continue
        this.known.wrote(t)
      }
      for (let attempt = 0; attempt < 2; attempt++) {
        const end = await readItemsAfter(this.d.logFile(id), this.known.offsets.get(id) ?? 0, async (found, offset) => {
          batch.push({ threadId: id, items: found, offset })
          items += found.length
          for (const i of found) bytes += (i.text?.length ?? 0) + Math.min(i.tool?.output?.length ?? 0, MAX_ITEM_TEXT)
          if (items >= BATCH_ITEMS || bytes >= BATCH_BYTES) await commit()
        })
        if (end.kind !== 'shrunk') break
        // The log is shorter than what was indexed: it is not the log that was read; index it again from the start.
        if (!(await drain()) || !(await this.write((w) => w.clearItems(id)))) break
        this.known.offsets.set(id, 0)
      }
    }
    await drain()
  }

  /**
   * At start: drops threads the store no longer has, rewrites those whose metadata changed and reads what their logs
   * gained. What is indexed was loaded in one query at open, so its cost follows what changed, not how many threads.
   */
  private async catchUp(): Promise<void> {
    const all = this.d.threads()
    const live = new Set(all.map((t) => t.id))
    const gone = [...this.known.offsets.keys()].filter((id) => !live.has(id))
    const removeGone = async (w: SearchWriter) => {
      for (const id of gone) await w.removeThread(id)
    }
    if (gone.length > 0 && !(await this.write(removeGone))) return
    for (const id of gone) this.known.forget(id)
    const changed = all.filter((t) => this.known.changed(t))
    for (let i = 0; i < changed.length && !this.closing; i += THREADS_PER_TX) {
      const some = changed.slice(i, i + THREADS_PER_TX)
      const put = async (w: SearchWriter) => {
        for (const t of some) await w.putThread(threadRow(t))
      }
      if (!(await this.write(put))) return
      for (const t of some) this.known.wrote(t)
      await yieldToLoop()
    }
    // Only logs whose size moved from their high-water mark are read.
    const moved = await this.known.moved(all, this.d.logSize, this.d.logFile, () => this.closing)
    await this.indexLogs(moved, true)
    this.d.logger.info(`Search caught up: ${changed.length} of ${all.length} threads changed, ${moved.length} logs read.`)
  }

  private async build(message: string): Promise<void> {
    await this.setState('rebuilding', message)
    this.d.logger.warn(message)
    this.d.notify('search/rebuilding', this.status())
    const started = Date.now()
    await this.catchUp()
    if (!this.db) return
    await this.setState('ready', null)
    this.d.logger.info(`Search index built: ${this.current.items} items of ${this.current.threads} threads in ${Date.now() - started} ms.`)
    this.d.notify('search/ready', this.status())
  }

  /** Deletes the index file and builds it again from every log. */
  private async rebuild(message: string): Promise<void> {
    if (await this.recreate()) await this.build(message)
  }

  /** Deletes the index file and opens an empty one in its place (searchable at once, filled by a build); false when it cannot. */
  private async recreate(): Promise<boolean> {
    if (this.closing) return false
    const db = this.db
    this.db = null
    await db?.close().catch(() => undefined)
    await this.retired
    this.known.load(new Map())
    const file = join(this.d.dir, 'index.db')
    await Promise.all(['', '-wal', '-shm', '-journal'].map((s) => rm(file + s, { force: true })))
    const opened = await SearchDb.open(file)
    if (!opened.ok) {
      await this.setState('unavailable', `Search is unavailable: ${opened.failure.message}`)
      this.d.logger.error(this.current.message!)
      return false
    }
    this.db = opened.db
    return true
  }

  /** The file turned out damaged while in use: stop using it and rebuild. */
  private lost(db: SearchDb, e: unknown, what = 'is damaged'): void {
    if (this.db !== db) return
    this.db = null
    this.retired = db.close().catch(() => undefined)
    const message = `The search index ${what} (${(e as Error).message}): rebuilding it from the threads' logs.`
    void this.setState('rebuilding', message)
    this.enqueue(() => this.rebuild(message))
  }

  /** Runs writes in one transaction; a damaged file starts a rebuild, any other failure is logged. False when nothing was written. */
  private async write(fn: (w: SearchWriter) => Promise<void>): Promise<boolean> {
    const db = this.db
    if (!db) return false
    try {
      await db.write(fn)
      return true
    } catch (e) {
      if (isCorruption(e)) this.lost(db, e)
      // A connection closed under the write (a search found the file damaged) already led to a rebuild.
      else if (this.db === db) this.d.logger.error('Writing the search index failed', e)
      return false
    }
  }

  /** Sets what the index is doing at once; its counts follow when SQLite has answered. */
  private setState(state: SearchState['state'], message: string | null): Promise<void> {
    this.current = { ...this.current, state, message }
    return this.recount()
  }

  private async recount(): Promise<void> {
    const db = this.db
    if (!db) return
    try {
      const counts = await db.counts()
      if (this.db === db) this.current = { ...this.current, ...counts }
    } catch {
      // Counting is news only; a damaged file shows at the next write or search.
    }
  }
}
