import type { Thread } from '../../../shared/models'
import { toDisposable, type AsyncDisposable } from '../lifecycle'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { ThreadStore } from '../store/thread-store'
import type { ThreadService } from './thread-service'

/** What the checks after start read, and announce their changes through. */
interface AfterStartDeps {
  store: ThreadStore
  threads: ThreadService
  bus: NotificationBus
  logger: Logger
}

/**
 * The checks a start leaves until after ready, in the background: every log against the index (threads changed by
 * something else are announced), once the archived threads are loaded, and worktrees deleted while Skein was
 * stopped. Disposing stops them and waits. `logsChecked` resolves once the check of every log is over (or failed).
 */
export function checkAfterStart(d: AfterStartDeps): AsyncDisposable & { logsChecked: Promise<void> } {
  const stop = new AbortController()
  const announce = {
    updated: (thread: Thread) => d.bus.publish('thread/updated', { thread }),
    removed: (t: Thread) => d.bus.publish('thread/removed', { threadId: t.id, repoId: t.repoId })
  }
  // The check of every log waits for the archived threads: without them, their logs would all look new.
  const logsChecked = d.store.whenComplete().then(() => d.store.reconcile(announce, { signal: stop.signal }))
  const running = Promise.all([logsChecked, d.threads.checkWorktreesAfterStart(stop.signal)])
    .then(() => undefined)
    .catch((e) => d.logger.warn(`Checking threads after the start failed: ${e instanceof Error ? e.message : String(e)}`))
  const settled = () => undefined
  return { ...toDisposable(() => (stop.abort(), running)), logsChecked: logsChecked.then(settled, settled) }
}
