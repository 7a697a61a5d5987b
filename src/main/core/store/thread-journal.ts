import { open, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Ids of threads whose logs were written since the thread index was last saved (threads/journal), so a start
 * re-reads only those logs instead of checking every log. An id is on disk (flushed) before its thread's first
 * log write after a save; a save rotates the journal and drops the old one once the index is on disk.
 */
export class ThreadJournal {
  /** Ids in the current journal file. */
  private journaled = new Set<string>()
  /** Ids whose write has started and not yet reached memory: carried into the next journal at a rotation. */
  private readonly inFlight = new Map<string, number>()
  private readonly file: string
  private readonly previous: string
  // Appends and the rotation's rename in order: an append queued after a rotation lands in the new file.
  private queue: Promise<unknown> = Promise.resolve()
  private batch: { ids: string[]; done: Promise<void> } | null = null

  constructor(threadsDir: string) {
    this.file = join(threadsDir, 'journal')
    this.previous = join(threadsDir, 'journal.prev')
  }

  /** Every id in the journal files a previous run left (the current and a rotated one a crash kept). */
  async read(): Promise<Set<string>> {
    const ids = new Set<string>()
    for (const file of [this.previous, this.file]) {
      const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return ''
        throw e
      })
      for (const line of text.split('\n')) if (line.trim()) ids.add(line.trim())
    }
    return ids
  }

  /** Marks the start of a write to thread `id`'s log: journals the id (flushed) if this journal lacks it. */
  async begin(id: string): Promise<void> {
    this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1)
    if (this.journaled.has(id)) return
    this.journaled.add(id)
    try {
      await this.append([id])
    } catch (e) {
      this.journaled.delete(id)
      this.end(id)
      throw e
    }
  }

  /** Marks the end of a write begun with `begin`. */
  end(id: string): void {
    const n = (this.inFlight.get(id) ?? 1) - 1
    if (n <= 0) this.inFlight.delete(id)
    else this.inFlight.set(id, n)
  }

  /**
   * Before an index save: starts a fresh journal holding the writes still in flight (the snapshot may miss them).
   * Returns what `commit` or `restore` needs once the save has ended.
   */
  async rotate(): Promise<Set<string>> {
    const carried = this.journaled
    this.journaled = new Set(this.inFlight.keys())
    // Ids queued from here on go to a write after the rename.
    this.batch = null
    const renamed = this.queue.then(() =>
      rename(this.file, this.previous).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e
      })
    )
    this.queue = renamed.catch(() => undefined)
    await renamed
    if (this.journaled.size) await this.append([...this.journaled])
    return carried
  }

  /** The index is on disk: the rotated journal is no longer needed. */
  async commit(): Promise<void> {
    await rm(this.previous, { force: true })
  }

  /** The index save failed: the rotated ids go back into the current journal before the old file goes. */
  async restore(carried: Set<string>): Promise<void> {
    const missing = [...carried].filter((id) => !this.journaled.has(id))
    for (const id of missing) this.journaled.add(id)
    if (missing.length) await this.append(missing)
    await rm(this.previous, { force: true })
  }

  /** Queues ids for the next write; ids queued while one write runs share the next one (one flush for many). */
  private append(ids: string[]): Promise<void> {
    if (!this.batch) {
      const batch: { ids: string[]; done: Promise<void> } = { ids: [], done: Promise.resolve() }
      batch.done = this.queue.then(() => {
        if (this.batch === batch) this.batch = null
        return this.write(batch.ids)
      })
      this.queue = batch.done.catch(() => undefined)
      this.batch = batch
    }
    this.batch.ids.push(...ids)
    return this.batch.done
  }

  private async write(ids: string[]): Promise<void> {
    const handle = await open(this.file, 'a', 0o600)
    try {
      await handle.write(`${ids.join('\n')}\n`)
      await handle.datasync()
    } finally {
      await handle.close()
    }
  }
}
