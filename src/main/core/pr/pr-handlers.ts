import { ok } from '../../../shared/result'
import type { MethodName } from '../../../shared/methods'
import type { Handler, RpcServer } from '../rpc/rpc-server'
import type { ThreadService } from '../threads/thread-service'
import type { PrActions } from './pr-actions'
import type { PrService } from './pr-service'
import type { ReviewThreadsService } from './review-threads'

/** What the request methods reach. */
export interface PrHandlerDeps {
  threads: ThreadService
  service: PrService
  actions: PrActions
  reviewThreads: ReviewThreadsService
}

/** Wires the `pr/*` methods to the request service. */
export function registerPrHandlers(rpc: RpcServer, d: PrHandlerDeps): void {
  // As for every other method: only ids of threads the store holds get past here.
  const handle = <M extends MethodName>(method: M, handler: Handler<M>): void =>
    rpc.handle(method, (p, c) => {
      const threadId = (p as { threadId?: unknown }).threadId
      if (typeof threadId === 'string') {
        const found = d.threads.find(threadId)
        if (!found.ok) return found
      }
      return handler(p, c)
    })
  handle('pr/statuses', () => ok({ statuses: d.service.statuses() }))
  handle('pr/status', (p) => ok({ status: d.service.status(p.threadId) }))
  handle('pr/refresh', async (p) => ok({ status: await d.service.refresh(p.threadId) }))
  handle('pr/draft', (p) => d.actions.draft(p.threadId))
  handle('pr/create', (p) => d.actions.create(p.threadId, p))
  handle('pr/merge', (p) => d.actions.merge(p.threadId, p))
  handle('pr/cancelAutoMerge', (p) => d.actions.cancelAutoMerge(p.threadId))
  handle('pr/threads', (p) => d.reviewThreads.list(p.threadId, { force: p.refresh === true }))
  handle('pr/reply', (p) => d.reviewThreads.reply(p.threadId, p.remoteThreadId, p.body))
  handle('pr/resolve', (p) => d.reviewThreads.resolve(p.threadId, p.remoteThreadId, p.resolved))
  handle('pr/sendThreads', (p) => d.reviewThreads.send(p.threadId))
}
