import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import type { Repo, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { KeyedLock } from '../keyed-lock'
import type { Logger } from '../logger'
import { writeFileAtomic } from './atomic-write'
import type { DataDir } from './data-dir'
import { appendEvent, readEventLog } from './event-log'
import { scanEvents } from './event-scan'
import { storageError } from './fs-error'
import { foldThread, withDefaults, type ThreadEvent } from './thread-events'

interface IndexEntry {
  thread: Thread
  /** The log's size when this entry was last written: a different size on disk means the entry is stale. */
  logSize: number
  /** The log ends mid-line (a torn write); the next append starts a fresh line. */
  tornTail?: boolean
}

interface IndexFile {
  version: 1
  threads: IndexEntry[]
}

const INDEX_SAVE_DELAY_MS = 50

/**
 * Threads on disk: each thread's events.jsonl is the truth; threads/index.json is a cache of
 * their folded state, written atomically and rebuilt from the logs when missing, corrupt or stale.
 */
export class ThreadStore {
  private readonly entries = new Map<string, IndexEntry>()
  // One writer per thread: each change reads the entry as the previous change left it, and the
  // entry (content and log size together) is set only after its own line is on disk.
  private readonly writes = new KeyedLock()
  private saveTimer: NodeJS.Timeout | null = null
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    private readonly dir: DataDir,
    private readonly logger: Logger
  ) {}

  /** Loads the index, reconciling it with the logs on disk. */
  static async open(dir: DataDir, logger: Logger): Promise<ThreadStore> {
    const store = new ThreadStore(dir, logger)
    await mkdir(dir.threadsDir, { recursive: true, mode: 0o700 })
    await store.load()
    return store
  }

  /** How many threads of one repository are not archived. */
  liveCount(repoId: string): number {
    let n = 0
    for (const e of this.entries.values()) if (e.thread.repoId === repoId && e.thread.status !== 'archived') n++
    return n
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

  /** Persists a new thread: its log first, then memory. */
  create(thread: Thread, repo: Repo): Promise<Result<Thread>> {
    return this.writes.run(thread.id, async () => {
      const event: ThreadEvent = { type: 'thread.created', at: Date.now(), thread, repo }
      try {
        await mkdir(this.dir.threadDir(thread.id), { recursive: true, mode: 0o700 })
        const size = await appendEvent(this.dir.eventsFile(thread.id), event)
        this.entries.set(thread.id, { thread, logSize: size })
        this.scheduleSave()
        return ok(thread)
      } catch (e) {
        return err(storageError(e, this.dir.eventsFile(thread.id), 'save the new thread'))
      }
    })
  }

  /**
   * Applies a change to a thread, logging it before it becomes visible; changes to one thread apply in call order.
   * `durable: false` skips the flush, for a change that the next start would make again if it were lost.
   */
  update(id: string, patch: Partial<Thread>, reason: string, options: { durable?: boolean } = {}): Promise<Result<Thread>> {
    return this.writes.run(id, async () => {
      const entry = this.entries.get(id)
      if (!entry) throw new Error(`update of unknown thread ${id}`)
      const event: ThreadEvent = { type: 'thread.changed', at: Date.now(), reason, patch }
      try {
        const size = await appendEvent(this.dir.eventsFile(id), event, { freshLine: entry.tornTail === true, durable: options.durable })
        const thread = { ...entry.thread, ...patch, id }
        this.entries.set(id, { thread, logSize: size })
        this.scheduleSave()
        return ok(thread)
      } catch (e) {
        return err(storageError(e, this.dir.eventsFile(id), `save the change to thread "${entry.thread.title}"`))
      }
    })
  }

  /** Appends an event that is not a thread change (a completed transcript item); flushed before it returns. */
  appendRaw(id: string, event: ThreadEvent): Promise<Result<void>> {
    return this.writes.run(id, async () => {
      const entry = this.entries.get(id)
      if (!entry) throw new Error(`append to unknown thread ${id}`)
      try {
        const size = await appendEvent(this.dir.eventsFile(id), event, { freshLine: entry.tornTail === true })
        // Only the size moves: the thread's content is whatever the last change left.
        this.entries.set(id, { thread: entry.thread, logSize: size })
        this.scheduleSave()
        return ok(undefined)
      } catch (e) {
        return err(storageError(e, this.dir.eventsFile(id), 'save the conversation'))
      }
    })
  }

  /** Where a thread's events.jsonl lies (the transcript reads it line by line through its offset index). */
  logPath(id: string): string {
    return this.dir.eventsFile(id)
  }

  /** Every event of a thread's log (for the transcript), skipping unreadable lines. */
  async readEvents(id: string): Promise<ThreadEvent[]> {
    const file = this.dir.eventsFile(id)
    try {
      return (await readEventLog<ThreadEvent>(file, this.logger)).events
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      // Never an empty conversation in place of one that could not be read: the caller reports this.
      const size = await stat(file).then(
        (s) => s.size,
        () => null
      )
      const tooLong = e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ERR_STRING_TOO_LONG'
      const why = tooLong
        ? `it is ${size === null ? 'too large' : `${(size / 1024 ** 3).toFixed(2)} GB`}, more than this version of Skein can open at once`
        : ((e as Error)?.message ?? String(e))
      this.logger.error(`Could not read the log of thread ${id}`, e)
      throw new Error(`This thread's log could not be read: ${why}. Nothing in it was changed.`)
    }
  }

  /** Streams the events of a thread's log whose line holds `marker`, without holding the log (see scanEvents). */
  scanEvents<E extends { type: string }>(id: string, marker: string, onEvent: (e: E) => void): Promise<void> {
    return scanEvents(this.dir.eventsFile(id), marker, this.logger, onEvent)
  }

  /** Deletes a thread's log and drops it from the index. */
  remove(id: string): Promise<Result<void>> {
    return this.writes.run(id, async () => {
      try {
        await rm(this.dir.threadDir(id), { recursive: true, force: true })
      } catch (e) {
        return err(storageError(e, this.dir.threadDir(id), 'delete the thread'))
      }
      this.entries.delete(id)
      this.scheduleSave()
      return ok(undefined)
    })
  }

  /** The repositories recorded in thread logs: how a lost repos.json is recovered. Reads every log. */
  async reposInLogs(): Promise<Repo[]> {
    const repos = new Map<string, Repo>()
    for (const id of this.entries.keys()) {
      const log = await readEventLog<ThreadEvent>(this.dir.eventsFile(id), this.logger).catch(() => null)
      const folded = log && foldThread(log.events)
      if (folded) repos.set(folded.repo.id, folded.repo)
    }
    return [...repos.values()]
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
    // Coalesce bursts (20 creates in a row write the index once); the logs already hold every change.
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null
      this.saving = this.saving.then(() => this.saveIndex())
    }, INDEX_SAVE_DELAY_MS)
  }

  private async saveIndex(): Promise<void> {
    const file: IndexFile = { version: 1, threads: [...this.entries.values()] }
    try {
      await writeFileAtomic(this.dir.indexFile, JSON.stringify(file))
    } catch (e) {
      // The logs stay authoritative; the next start rebuilds what the index missed.
      this.logger.warn(storageError(e, this.dir.indexFile, 'write the thread index').message)
    }
  }

  private async readIndex(): Promise<IndexEntry[] | null> {
    let text: string
    try {
      text = await readFile(this.dir.indexFile, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        this.logger.warn(`Could not read ${this.dir.indexFile}: ${String(e)}; rebuilding it from the thread logs.`)
      return null
    }
    try {
      const parsed = JSON.parse(text) as IndexFile
      if (parsed?.version !== 1 || !Array.isArray(parsed.threads)) throw new Error('unexpected shape')
      return parsed.threads
        .filter((e) => e && e.thread && typeof e.thread.id === 'string' && typeof e.logSize === 'number')
        .map((e) => ({ ...e, thread: withDefaults(e.thread) }))
    } catch (e) {
      this.logger.warn(`The thread index ${this.dir.indexFile} is corrupt (${(e as Error).message}); rebuilding it from the thread logs.`)
      return null
    }
  }

  private async load(): Promise<void> {
    const indexed = await this.readIndex()
    const known = new Map((indexed ?? []).map((e) => [e.thread.id, e]))
    let changed = indexed === null
    const ids = (await readdir(this.dir.threadsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name)
    const sizes = await Promise.all(
      ids.map((id) =>
        stat(this.dir.eventsFile(id)).then(
          (s) => s.size,
          () => -1
        )
      )
    )
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!
      const size = sizes[i]!
      if (size < 0) continue
      const entry = known.get(id)
      if (entry && entry.logSize === size) {
        this.entries.set(id, entry)
        continue
      }
      changed = true
      const rebuilt = await this.readThreadLog(id)
      if (rebuilt) this.entries.set(id, rebuilt)
    }
    for (const id of known.keys()) {
      if (!this.entries.has(id) && !ids.includes(id)) {
        changed = true
        this.logger.warn(`Thread ${id} is in the index but its log is gone; dropping it from the list.`)
      }
    }
    if (changed) await this.saveIndex()
  }

  private async readThreadLog(id: string): Promise<IndexEntry | null> {
    const path = this.dir.eventsFile(id)
    try {
      const log = await readEventLog<ThreadEvent>(path, this.logger)
      const folded = foldThread(log.events)
      if (!folded) {
        this.logger.warn(`${path} has no readable creation event; the thread cannot be shown. The file is left as it is.`)
        return null
      }
      return log.tornTail ? { thread: folded.thread, logSize: log.size, tornTail: true } : { thread: folded.thread, logSize: log.size }
    } catch (e) {
      this.logger.warn(`Could not read ${path}: ${String(e)}`)
      return null
    }
  }
}
