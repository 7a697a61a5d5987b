import { mkdir, readdir, rm } from 'node:fs/promises'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Repo, Thread } from '../../../shared/models'
import type { ThreadState } from '../../../shared/thread-state'
import { err, ok, type Result } from '../../../shared/result'
import { KeyedLock } from '../keyed-lock'
import type { Logger } from '../logger'
import type { DataDir } from './data-dir'
import { appendEvent } from './event-log'
import { ActivityOrder } from './activity-order'
import { ForkLinks } from './fork-links'
import { fileExists as exists, logSizeOnDisk as logSize } from './log-stat'
import { scanEvents } from './event-scan'
import { StateTally } from './state-tally'
import { storageError } from './fs-error'
import type { ThreadEvent } from './thread-events'
import { readIndexFile, writeIndexFiles, type IndexEntry } from './thread-index-file'
import { ThreadJournal } from './thread-journal'
import { foldThreadLog, reposOfLogs } from './thread-log-fold'

/**
 * How long changes gather before the index is written: longer for a big index (the journal covers the wait).
 * SKEIN_THREAD_INDEX_SAVE_MS fixes it (tests of a crash before the save).
 */
const indexSaveDelayMs = (threads: number): number =>
  Number(process.env.SKEIN_THREAD_INDEX_SAVE_MS) || Math.min(5000, Math.max(50, threads / 20))
/** Logs checked per step of the full reconcile, between which the event loop runs. */
const RECONCILE_BATCH = 256

/** How a store opens: `now` checks every log before it returns; `later` only the journal's (call `reconcile` after). */
export type ReconcileMode = 'now' | 'later'

/** Told about threads the full reconcile found changed, new or gone (written by something else). */
export interface ReconcileListener {
  updated?(thread: Thread): void
  removed?(thread: Thread): void
}

/**
 * Threads on disk: each thread's events.jsonl is the truth; threads/index.json is a cache of
 * their folded state, written atomically and rebuilt from the logs when missing, corrupt or stale.
 * threads/journal names the threads written since the index was saved: a start re-reads only those.
 */
export class ThreadStore {
  private readonly entries = new Map<string, IndexEntry>()
  private readonly order = new ActivityOrder()
  private readonly tally = new StateTally()
  private readonly forks = new ForkLinks(this.entries)
  private forkCountChanged: ((thread: Thread) => void) | null = null
  private readonly journal: ThreadJournal
  // One writer per thread: each change reads the entry as the previous change left it, and the
  // entry (content and log size together) is set only after its own line is on disk.
  private readonly writes = new KeyedLock()
  private saveTimer: NodeJS.Timeout | null = null
  private saving: Promise<void> = Promise.resolve()
  /** A rebuild from every log is under way: the activity order is filled once when it ends. */
  private bulk = false
  /** Archived threads come from their own file, after the live ones (see whenComplete). */
  private archivedLoad: Promise<void> = Promise.resolve()
  private archivedLoaded = false
  /** An archived entry changed since archived.json was written. */
  private archivedDirty = false

  private constructor(
    private readonly dir: DataDir,
    private readonly logger: Logger
  ) {
    this.journal = new ThreadJournal(dir.threadsDir)
  }

  /**
   * Loads the index and re-reads the logs the journal names. `reconcile: 'now'` (the default) also checks every
   * log for changes made by something else before it returns; with `'later'` the caller runs `reconcile` itself.
   */
  static async open(dir: DataDir, logger: Logger, o: { reconcile?: ReconcileMode } = {}): Promise<ThreadStore> {
    const store = new ThreadStore(dir, logger)
    await mkdir(dir.threadsDir, { recursive: true, mode: 0o700 })
    await store.load(o.reconcile ?? 'now')
    return store
  }

  /** Resolves once the archived threads are in memory too (an open with `reconcile: 'later'` loads them after it returns). */
  whenComplete(): Promise<void> {
    return this.archivedLoad
  }

  /** True once the archived threads are in memory. */
  get complete(): boolean {
    return this.archivedLoaded
  }

  /** How many threads of one repository are not archived. */
  liveCount(repoId: string): number {
    return this.order.countsOf(repoId).live
  }

  /** Every thread, most recently active first, from the first one strictly after `after`; `backward`: back from just before it (or the end). */
  byActivity(after: Pick<Thread, 'lastActivityAt' | 'createdAt' | 'id'> | null = null, backward = false): Iterable<Thread> {
    return backward ? this.order.before(after) : this.order.from(after)
  }

  /** Live and archived thread counts of each repository. */
  countsByRepo(): ReadonlyMap<string, { live: number; archived: number }> {
    return this.order.allCounts()
  }

  /** One repository's live threads per base state (as if no CI had failed: see stateOfThread), kept as threads change. */
  baseStateCounts(repoId: string): Readonly<Record<ThreadState, number>> {
    return this.tally.of(repoId)
  }

  /** Every thread, in creation order. Reads memory only: never opens a log. */
  list(): Thread[] {
    const out: Thread[] = []
    for (const e of this.entries.values()) out.push(e.thread)
    return out
  }

  /** One thread, or undefined. */
  get(id: string): Thread | undefined {
    return this.entries.get(id)?.thread
  }

  /** The threads forked from this one, live and archived, in creation order. */
  forksOf(parentId: string): Thread[] {
    return this.forks.forksOf(parentId)
  }

  /** Tells `listener` of each thread whose `forkCount` moved (a fork of it made, deleted, or found on disk). */
  onForkCountChanged(listener: (thread: Thread) => void): void {
    this.forkCountChanged = listener
  }

  /** Persists a new thread: its log first, then memory. */
  create(thread: Thread, repo: Repo): Promise<Result<Thread>> {
    const event: ThreadEvent = { type: 'thread.created', at: Date.now(), thread, repo }
    const write = async () => {
      await mkdir(this.dir.threadDir(thread.id), { recursive: true, mode: 0o700 })
      this.put(thread.id, { thread, logSize: await appendEvent(this.dir.eventsFile(thread.id), event) })
      return thread
    }
    return this.journaled(thread.id, 'save the new thread', write, { creates: true })
  }

  /**
   * Applies a change to a thread, logging it before it becomes visible; changes to one thread apply in call order.
   * `durable: false` skips the flush, for a change that the next start would make again if it were lost.
   */
  update(id: string, patch: Partial<Thread>, reason: string, options: { durable?: boolean } = {}): Promise<Result<Thread>> {
    const event: ThreadEvent = { type: 'thread.changed', at: Date.now(), reason, patch }
    return this.journaled(id, `save the change to thread "${this.entries.get(id)?.thread.title}"`, async (entry) => {
      const size = await appendEvent(this.dir.eventsFile(id), event, { freshLine: entry!.tornTail === true, durable: options.durable })
      const thread = { ...entry!.thread, ...patch, id }
      this.put(id, { thread, logSize: size })
      return thread
    })
  }

  /** Appends an event that is not a thread change (a completed transcript item); flushed before it returns. */
  appendRaw(id: string, event: ThreadEvent): Promise<Result<void>> {
    return this.journaled(id, 'save the conversation', async (entry) => {
      const size = await appendEvent(this.dir.eventsFile(id), event, { freshLine: entry!.tornTail === true })
      // Only the size moves: the thread's content is whatever the last change left.
      this.put(id, { thread: entry!.thread, logSize: size })
    })
  }

  /**
   * One write to a thread's log, under its lock: the id journaled first (flushed), then `write` with the thread's
   * entry (undefined only for a new thread), then the index save scheduled. A failure is a storage error naming `action`.
   */
  private journaled<T>(
    id: string,
    action: string,
    write: (entry: IndexEntry | undefined) => Promise<T>,
    o: { creates?: boolean } = {}
  ): Promise<Result<T>> {
    return this.writes.run(id, async () => {
      const entry = this.entries.get(id)
      if (!entry && !o.creates) throw new Error(`write to unknown thread ${id}`)
      try {
        await this.journal.begin(id)
      } catch (e) {
        return err(storageError(e, this.dir.threadsDir, action))
      }
      try {
        const value = await write(entry)
        this.scheduleSave()
        return ok(value)
      } catch (e) {
        return err(storageError(e, this.dir.eventsFile(id), action))
      } finally {
        this.journal.end(id)
      }
    })
  }

  /** A thread's log size as the store last wrote or read it: what a reader compares with its own mark. */
  logSize(id: string): number | undefined {
    return this.entries.get(id)?.logSize
  }

  /** Where a thread's events.jsonl lies (the transcript reads it line by line through its offset index). */
  logPath(id: string): string {
    return this.dir.eventsFile(id)
  }

  /** Streams the events of a thread's log whose line holds `marker`, without holding the log (see scanEvents). */
  scanEvents<E extends { type: string }>(id: string, marker: string, onEvent: (e: E) => void): Promise<void> {
    return scanEvents(this.dir.eventsFile(id), marker, this.logger, onEvent)
  }

  /** Deletes a thread's log and drops it from the index. */
  remove(id: string): Promise<Result<void>> {
    return this.writes.run(id, async () => {
      try {
        await this.journal.begin(id)
        await rm(this.dir.threadDir(id), { recursive: true, force: true })
      } catch (e) {
        return err(storageError(e, this.dir.threadDir(id), 'delete the thread'))
      } finally {
        this.journal.end(id)
      }
      this.drop(id)
      this.scheduleSave()
      return ok(undefined)
    })
  }

  /** The repositories recorded in thread logs: how a lost repos.json is recovered. Reads every log. */
  reposInLogs(): Promise<Repo[]> {
    return reposOfLogs(
      [...this.entries.keys()].map((id) => this.dir.eventsFile(id)),
      this.logger
    )
  }

  /** Writes the index now if a save is pending. */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer)
      this.saveTimer = null
      this.saving = this.saving.then(() => this.saveIndex())
    }
    await this.saving
  }

  private scheduleSave(): void {
    if (this.saveTimer) return
    // Coalesce bursts (20 creates in a row write the index once); the logs and the journal already hold every change.
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null
      this.saving = this.saving.then(() => this.saveIndex())
    }, indexSaveDelayMs(this.entries.size))
  }

  private async saveIndex(): Promise<void> {
    // Never write archived.json from a view that lacks the archived threads.
    await this.archivedLoad
    let carried: Set<string>
    try {
      carried = await this.journal.rotate()
    } catch (e) {
      // The journal still names every write since the last save: an index written now would be no safer.
      this.logger.warn(storageError(e, this.dir.threadsDir, 'rotate the thread journal').message)
      return
    }
    const writeArchived = this.archivedDirty
    this.archivedDirty = false
    try {
      await writeIndexFiles(this.dir, this.entries.values(), writeArchived)
      await this.journal.commit()
    } catch (e) {
      if (writeArchived) this.archivedDirty = true
      // The logs stay authoritative; the journal keeps naming the threads the index missed.
      this.logger.warn(storageError(e, this.dir.indexFile, 'write the thread index').message)
      await this.journal
        .restore(carried)
        .catch((e2) => this.logger.warn(storageError(e2, this.dir.threadsDir, 'keep the thread journal').message))
    }
  }

  /** Sets a thread's entry (its fork count stamped on), keeping the activity order and the fork links in step. */
  private put(id: string, entry: IndexEntry): void {
    const old = this.entries.get(id)?.thread
    const thread = this.forks.stamp(entry.thread)
    if (!this.bulk) this.track(old, thread)
    if (old?.status === 'archived' || thread.status === 'archived') this.archivedDirty = true
    this.entries.set(id, thread === entry.thread ? entry : { ...entry, thread })
    for (const parentId of this.forks.replace(old, thread)) this.restamp(parentId)
  }

  private drop(id: string): void {
    const old = this.entries.get(id)?.thread
    if (!this.bulk) this.track(old, undefined)
    if (old?.status === 'archived') this.archivedDirty = true
    this.entries.delete(id)
    for (const parentId of this.forks.replace(old, undefined)) this.restamp(parentId)
  }

  /** Gives a parent its new fork count (no log write: the count is derived) and announces it. */
  private restamp(id: string): void {
    const moved = this.forks.restamp(id)
    if (!moved || this.bulk) return
    this.track(moved.old, moved.thread)
    this.forkCountChanged?.(moved.thread)
  }

  /** Keeps the activity order and the state tally in step with one entry's change. */
  private track(old: Thread | undefined, next: Thread | undefined): void {
    this.order.replace(old, next)
    this.tally.replace(old, next)
  }

  /** Sets the activity order and the state tally from every entry at once (entries set in bulk). */
  private trackAll(threads: Thread[]): void {
    this.order.refill(threads)
    this.tally.refill(threads)
  }

  private async load(mode: ReconcileMode): Promise<void> {
    const indexed = await readIndexFile(this.dir.indexFile, this.logger)
    if (indexed === null) {
      // No index to trust: every log is read (the order sorted once at the end), and the result saved.
      this.bulk = true
      try {
        await this.reconcile({}, { loading: true })
      } finally {
        this.bulk = false
      }
      this.trackAll(this.forks.relinkAll().threads)
      this.archivedLoaded = true
      await this.saveIndex()
      return
    }
    for (const e of indexed) {
      this.entries.set(e.thread.id, e)
      // An index written before archived threads had their own file: the next save moves them there.
      if (e.thread.status === 'archived') this.archivedDirty = true
    }
    this.trackAll(this.forks.relinkAll().threads)
    const journaled = await this.journal.read().catch((e) => {
      this.logger.warn(`Could not read the thread journal (${String(e)}); checking every thread log.`)
      return null
    })
    for (const id of journaled ?? []) {
      const rebuilt = await this.readThreadLog(id, { missingIsQuiet: true })
      if (rebuilt) this.put(id, rebuilt)
      else if (this.entries.has(id) && !(await exists(this.dir.eventsFile(id)))) this.drop(id)
    }
    this.archivedLoad = this.loadArchived().catch((e) => {
      // Never a store that waits for ever: the check of every log after the start rebuilds what is missing.
      this.logger.error('Could not load the archived threads', e)
      this.archivedLoaded = true
    })
    if (mode === 'now') await this.archivedLoad
    if (journaled === null || mode === 'now') await this.reconcile({}, { loading: true })
    if (journaled === null || journaled.size || mode === 'now') await this.saveIndex()
  }

  /**
   * Adds the archived threads' entries. Of two entries for one thread (a save cut short between the two files, a
   * journaled re-read), the one folded from more of its log wins: logs only grow. A file that cannot be read leaves
   * its threads to the check of every log, which rebuilds them.
   */
  private async loadArchived(): Promise<void> {
    const archived = await readIndexFile(this.dir.archivedIndexFile, this.logger)
    const added = new Set<string>()
    for (const e of archived ?? []) {
      const current = this.entries.get(e.thread.id)
      if (current && current.logSize >= e.logSize) continue
      this.entries.set(e.thread.id, e)
      added.add(e.thread.id)
    }
    if (added.size === 0) return void (this.archivedLoaded = true)
    const { threads, restamped } = this.forks.relinkAll()
    this.trackAll(threads)
    this.archivedLoaded = true
    // Threads a client may have listed already (early pages hold live threads) learn of their archived forks.
    for (const t of restamped) if (!added.has(t.id)) this.forkCountChanged?.(t)
  }

  /**
   * Checks every log against memory: a log written by something else (a copy, a restore from backup), one with no
   * entry, or an entry whose log is gone. Runs in batches, yielding between them; what it changes is told to `listener`.
   */
  async reconcile(listener: ReconcileListener = {}, o: { loading?: boolean; signal?: AbortSignal } = {}): Promise<number> {
    const names = (await readdir(this.dir.threadsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name)
    const seen = new Set(names)
    let changed = 0
    for (let start = 0; start < names.length && !o.signal?.aborted; start += RECONCILE_BATCH) {
      const ids = names.slice(start, start + RECONCILE_BATCH)
      const sizes = await Promise.all(ids.map((id) => logSize(this.dir.eventsFile(id))))
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!
        if (sizes[i]! < 0 || this.entries.get(id)?.logSize === sizes[i]) continue
        // Under the thread's lock, and checked again: a write of this store in flight is not a change from outside.
        const rebuilt = await this.writes.run(id, async () => {
          const size = await logSize(this.dir.eventsFile(id))
          if (size < 0 || this.entries.get(id)?.logSize === size) return null
          const entry = await this.readThreadLog(id)
          if (entry) this.put(id, entry)
          return entry
        })
        if (rebuilt) {
          changed++
          listener.updated?.(rebuilt.thread)
        }
      }
      if (!o.loading) await yieldToLoop()
    }
    for (const id of [...this.entries.keys()]) {
      if (seen.has(id) || o.signal?.aborted) continue
      const gone = await this.writes.run(id, async () => {
        const entry = this.entries.get(id)
        if (!entry || (await exists(this.dir.eventsFile(id)))) return null
        this.logger.warn(`Thread ${id} is in the index but its log is gone; dropping it from the list.`)
        this.drop(id)
        return entry
      })
      if (gone) {
        changed++
        listener.removed?.(gone.thread)
      }
    }
    if (changed && !o.loading) this.scheduleSave()
    return changed
  }

  private async readThreadLog(id: string, o: { missingIsQuiet?: boolean } = {}): Promise<IndexEntry | null> {
    const path = this.dir.eventsFile(id)
    try {
      const entry = await foldThreadLog(path, this.logger)
      if (!entry) this.logger.warn(`${path} has no readable creation event; the thread cannot be shown. The file is left as it is.`)
      return entry
    } catch (e) {
      if (!(o.missingIsQuiet && (e as NodeJS.ErrnoException).code === 'ENOENT')) this.logger.warn(`Could not read ${path}: ${String(e)}`)
      return null
    }
  }
}
