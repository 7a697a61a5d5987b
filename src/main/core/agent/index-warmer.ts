import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Logger } from '../logger'
import { indexPathOf, LogIndex } from '../store/log-index'
import type { ThreadStore } from '../store/thread-store'
import type { Transcript } from './transcript'

/** Logs at least this big get their offset index built after start (streaming a log costs about 5 ms a MB). */
export const WARM_MIN_LOG_BYTES = 8 * 1024 * 1024
/** A sidecar at least this far behind its log is caught up too; a smaller gap is indexed in a blink on open. */
export const WARM_MIN_GAP_BYTES = 1024 * 1024

/** What the warmer reads and writes through. */
export interface IndexWarmerDeps {
  store: ThreadStore
  transcript: Transcript
  logger: Logger
}

/**
 * Builds or catches up the offset index of every log of at least WARM_MIN_LOG_BYTES whose sidecar (its header only is
 * read) covers WARM_MIN_GAP_BYTES less than the log or is missing, so a thread's first open is a seek rather than a
 * stream of its whole log. One log at a time, yielding between logs: live threads first, then archived ones, each
 * most recently active first. Sizes come from the store; only candidates touch the disk. A log being indexed
 * when `signal` aborts keeps what was indexed. Returns the threads whose index it brought up to date.
 */
export async function warmIndexes(d: IndexWarmerDeps, signal: AbortSignal): Promise<string[]> {
  const live: string[] = []
  const archived: string[] = []
  for (const t of d.store.byActivity())
    if ((d.store.logSize(t.id) ?? 0) >= WARM_MIN_LOG_BYTES) (t.status === 'archived' ? archived : live).push(t.id)
  const warmed: string[] = []
  for (const id of [...live, ...archived]) {
    await yieldToLoop()
    if (signal.aborted) break
    const size = d.store.logSize(id)
    if (size === undefined || size < WARM_MIN_LOG_BYTES) continue // deleted, or rewritten smaller, meanwhile
    const log = d.store.logPath(id)
    const started = performance.now()
    try {
      const covered = await LogIndex.coveredOnDisk(log, indexPathOf(log))
      if (covered <= size && size - covered < WARM_MIN_GAP_BYTES) continue
      await d.transcript.indexNow(id, { signal, keepOpen: false })
    } catch (e) {
      // A thread deleted while its log was being indexed is no failure.
      if (d.store.get(id)) d.logger.warn(`Could not index the log of thread ${id} ahead of its first open: ${(e as Error).message}`)
      continue
    }
    if (signal.aborted) break
    warmed.push(id)
    const mb = (size / (1024 * 1024)).toFixed(1)
    d.logger.info(
      `Indexed the ${mb} MB log of thread ${id} ahead of its first open in ${((performance.now() - started) / 1000).toFixed(2)} s.`
    )
  }
  return warmed
}
