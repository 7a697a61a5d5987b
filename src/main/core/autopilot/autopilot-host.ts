import { join } from 'node:path'
import { ok } from '../../../shared/result'
import type { MethodName } from '../../../shared/methods'
import type { Handler, RpcServer } from '../rpc/rpc-server'
import type { ThreadService } from '../threads/thread-service'
import { AutopilotService, type AutopilotDeps } from './autopilot-service'
import { AutopilotStore } from './autopilot-store'

/** What the core hands the autopilot: its collaborators, and where the methods are served and the file kept. */
export interface AutopilotHostDeps extends Omit<AutopilotDeps, 'store'> {
  rpc: RpcServer
  threads: ThreadService
  /** SKEIN_HOME: the settings and attempts live in autopilot.json there. */
  home: string
}

/** Opens the autopilot's file, starts the service and serves `autopilot/*`. */
export async function createAutopilot(d: AutopilotHostDeps): Promise<AutopilotService> {
  const store = await AutopilotStore.open(join(d.home, 'autopilot.json'), d.logger)
  const service = new AutopilotService({ ...d, store })
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
  return service
}
