import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { AutopilotState, DEFAULT_AUTOPILOT } from '../../../shared/autopilot'
import type { Logger } from '../logger'
import { writeFileAtomic } from '../store/atomic-write'

/** A thread's autopilot as kept on disk: its state, and the failing commit it last gave up on. */
export const AutopilotRecord = AutopilotState.extend({
  /** The failing commit the autopilot gave up on; it does not start again on that commit until switched on again. */
  settledHead: z.string().nullable()
})
/** A thread's autopilot as kept on disk. */
export type AutopilotRecord = z.infer<typeof AutopilotRecord>

/** Attempts kept per thread: a run holds at most 10, so this keeps the latest run whole. */
const MAX_ATTEMPTS_KEPT = 20

/** The record of a thread that never had an autopilot. */
export function emptyRecord(threadId: string, now: number): AutopilotRecord {
  return {
    threadId,
    settings: { ...DEFAULT_AUTOPILOT },
    phase: 'off',
    attempts: [],
    spentUsd: null,
    gaveUp: null,
    merge: null,
    updatedAt: now,
    settledHead: null
  }
}

/**
 * SKEIN_HOME/autopilot.json: every thread's autopilot settings and its latest attempts, so both
 * survive a restart. Written atomically, one write at a time; a bad entry is dropped with a warning.
 */
export class AutopilotStore {
  private readonly records = new Map<string, AutopilotRecord>()
  private writing: Promise<void> = Promise.resolve()
  private dirty = false

  private constructor(
    private readonly path: string,
    private readonly logger: Logger
  ) {}

  /** Loads the file (missing: empty). */
  static async open(path: string, logger: Logger): Promise<AutopilotStore> {
    const store = new AutopilotStore(path, logger)
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(path, 'utf8'))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        logger.warn(`Could not read ${path} (${(e as Error).message}); every thread's autopilot starts off.`)
      return store
    }
    const threads = (raw as { threads?: unknown } | null)?.threads
    for (const [id, value] of Object.entries(threads && typeof threads === 'object' ? threads : {})) {
      const parsed = AutopilotRecord.safeParse(value)
      if (parsed.success && parsed.data.threadId === id) store.records.set(id, parsed.data)
      else logger.warn(`Skipped the autopilot of thread ${id} in ${path}: it is not in a shape Skein reads.`)
    }
    return store
  }

  /** A thread's record, if it has one. */
  get(threadId: string): AutopilotRecord | undefined {
    return this.records.get(threadId)
  }

  /** Every record. */
  all(): AutopilotRecord[] {
    return [...this.records.values()]
  }

  /** Keeps a record (its oldest attempts beyond the cap dropped) and writes the file soon. */
  put(record: AutopilotRecord): AutopilotRecord {
    const kept = record.attempts.length > MAX_ATTEMPTS_KEPT ? { ...record, attempts: record.attempts.slice(-MAX_ATTEMPTS_KEPT) } : record
    this.records.set(record.threadId, kept)
    this.save()
    return kept
  }

  /** Forgets a thread that was deleted. */
  remove(threadId: string): void {
    if (this.records.delete(threadId)) this.save()
  }

  /** Resolves once everything put so far is on disk. */
  async flush(): Promise<void> {
    await this.writing
  }

  // Writes coalesce: a burst of changes while one write runs becomes one more write.
  private save(): void {
    if (this.dirty) return
    this.dirty = true
    this.writing = this.writing.then(async () => {
      this.dirty = false
      const data = { version: 1, threads: Object.fromEntries(this.records) }
      try {
        await writeFileAtomic(this.path, `${JSON.stringify(data, null, 1)}\n`)
      } catch (e) {
        this.logger.warn(`Could not save the autopilot settings to ${this.path}: ${(e as Error).message}`)
      }
    })
  }
}
