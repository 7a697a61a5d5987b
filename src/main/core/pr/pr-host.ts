import type { Disposable } from '../../../shared/jsonrpc'
import type { Thread } from '../../../shared/models'
import type { NotificationOf } from '../../../shared/methods'
import type { AgentDelivery } from '../agent/send-to-agent'
import type { Transcript } from '../agent/transcript'
import type { CiHost } from '../ci/ci-host'
import type { GitRunner } from '../git/git-runner'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { ReviewService } from '../review/review-service'
import type { SettingsStore } from '../store/settings-store'
import type { ThreadService } from '../threads/thread-service'
import type { RpcServer } from '../rpc/rpc-server'
import { PrActions } from './pr-actions'
import { registerPrHandlers } from './pr-handlers'
import { prProviderFactory } from './pr-factory'
import { PrHttp, type PrHttpOptions } from './pr-http'
import { PrService, type PrScheduleOptions } from './pr-service'
import { ReviewThreadsService } from './review-threads'

/** What the request service joins inside the core. */
export interface PrHostDeps {
  /** Where the `pr/*` methods are served. */
  rpc: RpcServer
  git: GitRunner
  bus: NotificationBus
  logger: Logger
  settings: SettingsStore
  threads: ThreadService
  thread: (id: string) => Thread | undefined
  ci: CiHost
  review: ReviewService
  transcript: Transcript
  /** How review threads reach the agent. */
  delivery: AgentDelivery
  /** Whether some client has the thread's Changes tab open (its review threads are read with the request's polling then). */
  changesWatched?: (threadId: string) => boolean
  env?: NodeJS.ProcessEnv
  http?: PrHttpOptions
  schedule?: PrScheduleOptions
}

/** The request service, its actions and its transport, as the core holds them; disposing stops following and polling. */
export interface PrHost extends Disposable {
  service: PrService
  actions: PrActions
  reviewThreads: ReviewThreadsService
  http: PrHttp
}

/** The pull and merge requests of threads, following CI's news and the threads' lives, served as `pr/*`. */
export function createPrHost(d: PrHostDeps): PrHost {
  const http = new PrHttp(d.http)
  const service = new PrService({
    thread: d.thread,
    git: d.git,
    providers: prProviderFactory({ http, env: d.env }),
    http,
    override: (repoId) => d.settings.ci(repoId).override ?? null,
    ciStatus: (id) => d.ci.service.status(id),
    notify: (threadId, status) => d.bus.publish('pr/updated', { threadId, status }),
    isVisible: (id) => d.threads.isViewed(id),
    polled: (id, changed) =>
      void reviewThreads.prUpdated(id, changed).catch((cause: unknown) => d.logger.error('Reading review threads failed', cause)),
    logger: d.logger,
    schedule: d.schedule
  })
  const reviewThreads = new ReviewThreadsService({
    thread: d.thread,
    git: d.git,
    status: (id) => service.status(id),
    provider: (id) => service.provider(id),
    deliver: (t, text) => d.delivery.deliver(t, text),
    notify: (threads) => d.bus.publish('pr/threadsUpdated', threads),
    watching: d.changesWatched
  })
  const follow = d.bus.subscribe((name, p) => {
    if (name === 'ci/updated') service.ciUpdated((p as NotificationOf<'ci/updated'>).status)
    else if (name === 'thread/removed') {
      service.forget((p as NotificationOf<'thread/removed'>).threadId)
      reviewThreads.forget((p as NotificationOf<'thread/removed'>).threadId)
    } else if (name === 'thread/updated') {
      const t = (p as NotificationOf<'thread/updated'>).thread
      if (t.status === 'archived') {
        service.forget(t.id)
        reviewThreads.forget(t.id)
      }
    }
  })
  const actions = new PrActions({
    service,
    thread: d.thread,
    git: d.git,
    push: (id) => d.review.push(id),
    pushed: (id) => void d.ci.pushed(id),
    items: (id) => d.transcript.items(id),
    commits: (id) => d.review.commits(id),
    retries: http.retries,
    retryBaseMs: http.retryBaseMs
  })
  registerPrHandlers(d.rpc, { threads: d.threads, service, actions, reviewThreads })
  return {
    service,
    actions,
    reviewThreads,
    http,
    dispose: () => {
      follow.dispose()
      service.dispose()
    }
  }
}
