import { join } from 'node:path'
import { ok } from '../../../shared/result'
import type { MethodName } from '../../../shared/methods'
import type { AgentService } from '../agent/agent-service'
import type { AgentDelivery } from '../agent/send-to-agent'
import type { CiHost } from '../ci/ci-host'
import type { AsyncDisposable } from '../lifecycle'
import type { PrHost } from '../pr/pr-host'
import type { Handler, RpcServer } from '../rpc/rpc-server'
import type { ThreadService } from '../threads/thread-service'
import { AutopilotService, type AutopilotDeps } from './autopilot-service'
import { AutopilotStore } from './autopilot-store'
import { prMergeWhenGreen } from './merge-when-green'

/** What the core hands the autopilot: its services, and where the methods are served and the file kept. */
export interface AutopilotHostDeps extends Omit<AutopilotDeps, 'store' | 'ci' | 'merge' | 'deliver' | 'interrupt'> {
  rpc: RpcServer
  threads: ThreadService
  /** SKEIN_HOME: the settings and attempts live in autopilot.json there. */
  home: string
  /** CI's status and failure text, told of the autopilot's pushes. */
  ci: Pick<CiHost, 'service' | 'pushed'>
  /** The request service whose merge is the autopilot's auto-merge. */
  pr: Pick<PrHost, 'actions'>
  delivery: Pick<AgentDelivery, 'deliver'>
  agent: Pick<AgentService, 'interrupt'>
}

/** The autopilot service, closed (its runs stopped, its file flushed) when the host is disposed. */
export interface AutopilotHost extends AsyncDisposable {
  readonly service: AutopilotService
}

/** Opens the autopilot's file, starts the service over CI, the request service and the agent, and serves `autopilot/*`. */
export async function createAutopilotHost({ ci, pr, delivery, agent, ...d }: AutopilotHostDeps): Promise<AutopilotHost> {
  const store = await AutopilotStore.open(join(d.home, 'autopilot.json'), d.logger)
  const service = new AutopilotService({
    ...d,
    store,
    ci: {
      status: (id) => ci.service.status(id),
      failureMessage: (id, check) => ci.service.failureMessage(id, check),
      pushed: (id) => ci.pushed(id)
    },
    // Auto-merge is the pull-request service's merge, under the autopilot's rules (whenReady).
    merge: prMergeWhenGreen((id, o) => pr.actions.merge(id, o)),
    deliver: (t, text) => delivery.deliver(t, text),
    interrupt: (id) => void agent.interrupt(id)
  })
  // As for every other method: only ids of threads the store holds get past here.
  const handle = <M extends MethodName>(method: M, handler: Handler<M>): void =>
    d.rpc.handle(method, (p, c) => {
      const threadId = (p as { threadId?: unknown }).threadId
      if (typeof threadId === 'string') {
        const found = d.threads.find(threadId)
        if (!found.ok) return found
      }
      return handler(p, c)
    })
  handle('autopilot/get', (p) => service.get(p.threadId))
  handle('autopilot/list', () => ok({ states: service.list() }))
  handle('autopilot/configure', ({ threadId, ...patch }) => service.configure(threadId, patch))
  return { service, dispose: () => service.close() }
}
