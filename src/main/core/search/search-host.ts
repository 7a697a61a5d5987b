import { join } from 'node:path'
import type { NotificationOf } from '../../../shared/methods'
import { ok } from '../../../shared/result'
import type { Thread } from '../../../shared/models'
import type { AsyncDisposable } from '../lifecycle'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { RpcServer } from '../rpc/rpc-server'
import type { DataDir } from '../store/data-dir'
import { SearchIndexer } from './search-indexer'

/** What search needs from the rest of the core. */
export interface SearchHostDeps {
  rpc: RpcServer
  bus: NotificationBus
  logger: Logger
  dataDir: DataDir
  /** Every thread the store holds, archived ones too. */
  threads(): Thread[]
  thread(id: string): Thread | undefined
  /** A thread's log size as the store knows it, if it tells (catch-up then asks the disk only for the others). */
  logSize?(threadId: string): number | undefined
  /** The core's start: the index catches up with the logs after it, never ahead of it. */
  started?: Promise<unknown>
  /** How long news waits to be indexed with what follows it (default 250 ms). */
  batchMs?: number
}

/** The search index, following the bus, served as `search/*`; disposing writes what waits and closes the file. */
export interface SearchHost extends AsyncDisposable {
  readonly indexer: SearchIndexer
  /** Writes what waits and closes the index. */
  close(): Promise<void>
}

/** Opens SKEIN_HOME/search/index.db (rebuilding it when lost), follows threads and items, and serves `search/query`. */
export async function createSearchHost(d: SearchHostDeps): Promise<SearchHost> {
  const indexer = new SearchIndexer({
    dir: join(d.dataDir.home, 'search'),
    logFile: (id) => d.dataDir.eventsFile(id),
    threads: d.threads,
    thread: d.thread,
    logSize: d.logSize,
    catchUpAfter: d.started,
    logger: d.logger,
    notify: (name, state) => d.bus.publish(name, state),
    batchMs: d.batchMs ?? batchFromEnv()
  })
  await indexer.start()
  const follow = d.bus.subscribe((name, p) => {
    if (name === 'item/completed') indexer.noteLog((p as NotificationOf<'item/completed'>).item.threadId)
    else if (name === 'thread/updated') indexer.noteThread((p as NotificationOf<'thread/updated'>).thread)
    else if (name === 'thread/removed') indexer.noteRemoved((p as NotificationOf<'thread/removed'>).threadId)
  })
  d.rpc.handle('search/query', (p) => indexer.query(p))
  d.rpc.handle('search/status', async () => ok(await indexer.recounted()))
  let closing: Promise<void> | null = null
  const close = () => {
    follow.dispose()
    closing ??= indexer.close()
    return closing
  }
  return { indexer, close, dispose: close }
}

/** SKEIN_SEARCH_BATCH_MS: how long news waits before it is indexed (tests and benches). */
function batchFromEnv(): number | undefined {
  const raw = process.env.SKEIN_SEARCH_BATCH_MS
  if (!raw) return undefined
  const n = Number(raw)
  return Number.isInteger(n) && n >= 0 && n <= 60_000 ? n : undefined
}
