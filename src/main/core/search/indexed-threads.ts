import { stat } from 'node:fs/promises'
import type { Thread } from '../../../shared/models'
import type { IndexedThread, ThreadRow } from './search-db'

/** Logs whose size is asked of the disk at once while catching up. */
const STATS_AT_ONCE = 64

/** What the index holds of each thread, kept in memory: how far its log is indexed and the metadata written. */
export class IndexedThreads {
  /** Each indexed thread's log high-water mark (bytes of its events.jsonl indexed). */
  readonly offsets = new Map<string, number>()
  /** Each indexed thread's metadata as written (signature()): catch-up rewrites only the threads that differ. */
  private readonly written = new Map<string, string>()

  /** Replaces what is known with what the file holds. */
  load(threads: Map<string, IndexedThread>): void {
    this.offsets.clear()
    this.written.clear()
    for (const [id, t] of threads) {
      this.offsets.set(id, t.offset)
      this.written.set(id, signature({ id, createdAt: 0, ...t }))
    }
  }

  /** True when the thread's metadata differs from what was written (or was never written). */
  changed(t: Thread): boolean {
    return this.written.get(t.id) !== signature(threadRow(t))
  }

  /** A thread's metadata was written (a new thread's log is indexed from its start). */
  wrote(t: Thread): void {
    this.written.set(t.id, signature(threadRow(t)))
    if (!this.offsets.has(t.id)) this.offsets.set(t.id, 0)
  }

  /** A thread left the index. */
  forget(id: string): void {
    this.offsets.delete(id)
    this.written.delete(id)
  }

  /**
   * The threads whose log size differs from its high-water mark: the size the store knows when it tells, else the
   * disk's (asked many at a time). A missing log has not moved.
   */
  async moved(
    threads: readonly Thread[],
    logSize: ((id: string) => number | undefined) | undefined,
    logFile: (id: string) => string,
    stop: () => boolean
  ): Promise<string[]> {
    const moved: string[] = []
    const unknown: string[] = []
    for (const t of threads) {
      const size = logSize?.(t.id)
      if (size === undefined) unknown.push(t.id)
      else if (size !== this.offsets.get(t.id)) moved.push(t.id)
    }
    for (let i = 0; i < unknown.length && !stop(); i += STATS_AT_ONCE) {
      const some = unknown.slice(i, i + STATS_AT_ONCE)
      const sizes = await Promise.all(
        some.map((id) =>
          stat(logFile(id)).then(
            (s) => s.size,
            () => -1
          )
        )
      )
      some.forEach((id, k) => sizes[k] !== -1 && sizes[k] !== this.offsets.get(id) && moved.push(id))
    }
    return moved
  }
}

/** A thread as the index keeps it. */
export function threadRow(t: Thread): ThreadRow {
  return {
    id: t.id,
    title: t.title,
    repoId: t.repoId,
    status: t.status,
    agent: t.agent?.profileId ?? t.imported?.source ?? 'builtin',
    createdAt: t.createdAt,
    updatedAt: t.lastActivityAt
  }
}

/** The metadata the index keeps of a thread, as one comparable string. */
function signature(r: ThreadRow): string {
  return JSON.stringify([r.title, r.repoId, r.status, r.agent, r.updatedAt])
}
