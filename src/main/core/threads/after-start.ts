import type { Thread } from '../../../shared/models'
import { toDisposable, type AsyncDisposable } from '../lifecycle'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { ThreadStore } from '../store/thread-store'
import type { ThreadService } from './thread-service'
import type { Transcript } from '../agent/transcript'
import { warmIndexes } from '../agent/index-warmer'

/** What the checks after start read, and announce their changes through. */
interface AfterStartDeps {
  store: ThreadStore
  threads: ThreadService
  bus: NotificationBus
  logger: Logger
  transcript: Transcript
}

/**
 * The work a start leaves until after ready, in the background: every log checked against the index (threads
 * changed by something else are announced), once the archived threads are loaded, and then the offset index of
 * each big log built ahead of its first open (agent/index-warmer.ts); worktrees deleted while Skein was stopped.
 * Disposing stops them all and waits, so nothing writes into the home once the core is closed.
 */
export function checkAfterStart(d: AfterStartDeps): AsyncDisposable {
  const stop = new AbortController()
  const announce = {
    updated: (thread: Thread) => d.bus.publish('thread/updated', { thread }),
    removed: (t: Thread) => d.bus.publish('thread/removed', { threadId: t.id, repoId: t.repoId })
  }
  const failed = (what: string) => (e: unknown) => d.logger.warn(`${what} failed: ${e instanceof Error ? e.message : String(e)}`)
  // The check of every log waits for the archived threads: without them, their logs would all look new. The warmer
  // waits for the check: it is what records the size of a log that grew while Skein was stopped.
  const logs = d.store
    .whenComplete()
    .then(() => d.store.reconcile(announce, { signal: stop.signal }))
    .catch(failed('Checking threads after the start'))
    .then(() => (stop.signal.aborted ? undefined : warmIndexes(d, stop.signal)))
    .catch(failed('Indexing big logs after the start'))
  const worktrees = d.threads.checkWorktreesAfterStart(stop.signal).catch(failed('Checking worktrees after the start'))
  return toDisposable(() => (stop.abort(), Promise.all([logs, worktrees]).then(() => undefined)))
}
