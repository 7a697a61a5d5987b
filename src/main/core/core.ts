import { mkdir } from 'node:fs/promises'
import type { Server } from 'node:net'
import type { Disposable, MessageTransport } from '../../shared/jsonrpc'
import { GitRunner } from './git/git-runner'
import { consoleLogger, type Logger } from './logger'
import { NotificationBus } from './notification-bus'
import { RepoService } from './repos/repo-service'
import { registerHandlers, type CoreHost } from './rpc/handlers'
import { RpcServer } from './rpc/rpc-server'
import { listenOnSocket } from './rpc/socket-transport'
import { DataDir } from './store/data-dir'
import { RepoStore } from './store/repo-store'
import { ThreadStore } from './store/thread-store'
import { ThreadService } from './threads/thread-service'
import { WorktreeManager } from './threads/worktree-manager'
import { SKEIN_VERSION } from './version'

/** How to start a core. */
export interface CoreOptions {
  /** SKEIN_HOME; defaults to the environment's, then ~/.skein. */
  home?: string
  logger?: Logger
  host?: CoreHost
  /** Listen on SKEIN_HOME/skein.sock for the CLI (default true). */
  listenSocket?: boolean
}

/** The running engine: services, the RPC server, and the local socket. */
export interface Core extends Disposable {
  readonly dataDir: DataDir
  readonly rpc: RpcServer
  readonly bus: NotificationBus
  readonly repos: RepoService
  readonly threads: ThreadService
  /** Serves one client over any transport. */
  connect(transport: MessageTransport): Disposable
  /** Flushes state and closes every connection and listener. */
  close(): Promise<void>
}

/** Starts the core: opens the store, reconciles worktrees, and listens for the CLI. */
export async function createCore(options: CoreOptions = {}): Promise<Core> {
  const logger = options.logger ?? consoleLogger()
  const dataDir = options.home ? new DataDir(options.home) : DataDir.fromEnv()
  await mkdir(dataDir.home, { recursive: true, mode: 0o700 })
  const git = new GitRunner()
  const bus = new NotificationBus()
  const threadStore = await ThreadStore.open(dataDir, logger)
  const repoStore = await RepoStore.open(dataDir, logger, () => threadStore.reposInLogs())
  // Repos and threads refer to each other: a repo with live threads cannot be removed.
  let liveCount: (repoId: string) => number = () => 0
  const repos = new RepoService(git, repoStore, bus, (id) => liveCount(id))
  const threads = new ThreadService(git, threadStore, new WorktreeManager(git, dataDir), bus, repos, logger)
  const rpc = new RpcServer(bus, logger)
  liveCount = (id) => threads.liveCount(id)
  registerHandlers(rpc, { version: SKEIN_VERSION, home: dataDir.home, repos, threads, host: options.host ?? {} })
  await threads.checkAllWorktrees()

  let socketServer: Server | null = null
  if (options.listenSocket !== false) {
    const listening = await listenOnSocket(dataDir.socketPath, (t) => rpc.connect(t))
    if ('alreadyRunning' in listening) {
      logger.warn(`Another Skein core is already serving ${dataDir.home}; the CLI will talk to that one.`)
    } else {
      socketServer = listening
    }
  }

  const close = async () => {
    threads.dispose()
    rpc.closeAll()
    if (socketServer) await new Promise<void>((resolve) => socketServer!.close(() => resolve()))
    await threadStore.flush()
  }
  return {
    dataDir,
    rpc,
    bus,
    repos,
    threads,
    connect: (t) => rpc.connect(t),
    close,
    dispose: () => void close()
  }
}
