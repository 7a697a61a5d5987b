import { ok } from '../../../shared/result'
import type { RepoService } from '../repos/repo-service'
import type { ThreadService } from '../threads/thread-service'
import type { RpcServer } from './rpc-server'

/** What the process hosting the core can do beyond the core itself (Electron adds a folder picker). */
export interface CoreHost {
  pickFolder?: (title?: string) => Promise<string | null>
}

/** Everything the handlers reach. */
export interface HandlerDeps {
  version: string
  home: string
  repos: RepoService
  threads: ThreadService
  host: CoreHost
}

/** Wires every protocol method to its service. */
export function registerHandlers(rpc: RpcServer, d: HandlerDeps): void {
  rpc.handle('core/hello', () =>
    ok({ version: d.version, home: d.home, platform: process.platform, capabilities: { pickFolder: Boolean(d.host.pickFolder) } })
  )
  const pickFolder = d.host.pickFolder
  if (pickFolder) rpc.handle('dialog/pickFolder', async (p) => ok({ path: await pickFolder(p.title) }))
  else rpc.markUnavailable('dialog/pickFolder', 'the native folder picker exists only in the desktop app; type the path instead')

  rpc.handle('repo/add', (p) => d.repos.add(p.path))
  rpc.handle('repo/list', () => ok({ repos: d.repos.list() }))
  rpc.handle('repo/remove', async (p) => {
    const r = await d.repos.remove(p.repoId)
    return r.ok ? ok({ ok: true as const }) : r
  })
  rpc.handle('repo/branches', (p) => d.repos.branches(p.repoId))

  rpc.handle('thread/create', (p) => d.threads.create(p))
  rpc.handle('thread/list', (p) => ok({ threads: d.threads.list(p) }))
  rpc.handle('thread/get', (p) => d.threads.get(p.threadId))
  rpc.handle('thread/rename', (p) => d.threads.rename(p.threadId, p.title))
  rpc.handle('thread/archive', (p) => d.threads.archive(p.threadId))
  rpc.handle('thread/restore', (p) => d.threads.restore(p.threadId))
  rpc.handle('thread/delete', async (p) => {
    const r = await d.threads.delete(p.threadId)
    return r.ok ? ok({ ok: true as const }) : r
  })
}
