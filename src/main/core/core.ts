import { mkdir } from 'node:fs/promises'
import type { Disposable, MessageTransport } from '../../shared/jsonrpc'
import { AgentDelivery } from './agent/send-to-agent'
import { AgentService } from './agent/agent-service'
import { ApiKeyStore } from './agent/api-key-store'
import { makeTools } from './agent/tool-set'
import { Transcript } from './agent/transcript'
import type { CheckpointService } from './checkpoints/checkpoint-service'
import { checkpointActions, createCheckpointHost } from './checkpoints/checkpoint-host'
import type { ForkRequest } from './checkpoints/fork'
import type { RewindOutcome, RewindRequest } from './checkpoints/rewind'
import type { Result } from '../../shared/result'
import type { Thread } from '../../shared/models'
import { ProfileService } from './agents/profile-service'
import { GitRunner } from './git/git-runner'
import { DisposableStore, toDisposable } from './lifecycle'
import { consoleLogger, type Logger } from './logger'
import { scrollbackFromEnv } from './pty/scrollback-env'
import { NotificationBus } from './notification-bus'
import { RepoService } from './repos/repo-service'
import { registerHandlers, type CoreHost } from './rpc/handlers'
import { RpcServer } from './rpc/rpc-server'
import { listenOnSocket } from './rpc/socket-transport'
import { PtyHost } from './pty/pty-host'
import { DEFAULT_PORTS_PER_THREAD, PortRanges } from './ports/port-ranges'
import { RunService } from './run/run-service'
import { HandoffService } from './handoff/handoff-service'
import { CiHost } from './ci/ci-host'
import { createPrHost, type PrHost } from './pr/pr-host'
import { DiskService } from './disk/disk-service'
import { ChangeWatchService } from './review/change-watch'
import { SummaryService } from './summary/summary-service'
import { ReviewService } from './review/review-service'
import { PtyStore } from './pty/pty-store'
import { PtyRecords, reapLeftovers } from './pty/pty-records'
import { startupNotices } from './startup-notices'
import { DataDir } from './store/data-dir'
import { secureHome } from './store/home-permissions'
import { SandboxService } from './sandbox/sandbox-service'
import { SettingsStore } from './store/settings-store'
import { RepoStore } from './store/repo-store'
import { ThreadStore } from './store/thread-store'
import { CreateIntents } from './threads/create-intents'
import { ThreadService } from './threads/thread-service'
import { WorktreeManager } from './threads/worktree-manager'
import { EnvironmentService } from './environment/environment-service'
import { SKEIN_VERSION } from './version'
import { createAutopilotHost } from './autopilot/autopilot-host'
import type { AutopilotService } from './autopilot/autopilot-service'
import { createSearchHost, type SearchHost } from './search/search-host'
import { checkAfterStart } from './threads/after-start'

/** When the first scan for pushed branches runs: after the first clients have loaded. */
const CI_FIRST_SCAN_MS = 3000

/** How to start a core. */
export interface CoreOptions {
  /** SKEIN_HOME; defaults to the environment's, then ~/.skein. */
  home?: string
  logger?: Logger
  host?: CoreHost
  /** Listen on SKEIN_HOME/skein.sock for the CLI (default true). */
  listenSocket?: boolean
  /** How much output each terminal keeps (characters); default about 2 MB. */
  scrollbackChars?: number
}

/** The running engine: services, the RPC server, and the local socket. */
export interface Core extends Disposable {
  readonly dataDir: DataDir
  readonly rpc: RpcServer
  readonly bus: NotificationBus
  readonly repos: RepoService
  readonly threads: ThreadService
  readonly ptys: PtyHost
  readonly agent: AgentService
  readonly review: ReviewService
  readonly reviewWatch: ChangeWatchService
  /** Dashboard summaries: last line, +/- counts, pending approval. */
  readonly summaries: SummaryService
  readonly handoff: HandoffService
  readonly ci: CiHost
  /** Each thread's pull or merge request: read on CI's schedule (slower), created and merged on request. */
  readonly pr: PrHost
  readonly disk: DiskService
  /** Each live thread's port range (PORT, SKEIN_PORT_0…N-1), for every process started in a thread. */
  readonly ports: PortRanges
  /** Each thread's run command (its dev server). */
  readonly run: RunService
  /** Every thread's conversation items (shared by the agent, the handoff and forks). */
  readonly transcript: Transcript
  /** Each thread's checkpoints (taken at every turn, for every agent). */
  readonly checkpoints: CheckpointService
  /** Forks a thread from a checkpoint, a turn or now into new worktree threads. */
  fork(o: ForkRequest): Promise<Result<{ threads: Thread[] }>>
  /** Puts a thread back to a checkpoint or turn: code, conversation or both. */
  rewind(o: RewindRequest): Promise<Result<RewindOutcome>>
  /** Records the browser-mode address (with token) so `skein` can print links to threads. */
  setWebUrl(url: string | null): void
  readonly profiles: ProfileService
  readonly environment: EnvironmentService
  /** Each thread's CI autopilot: failures to the agent, its fixes pushed, green merged. */
  readonly autopilot: AutopilotService
  /** Full-text search over every thread (SKEIN_HOME/search/index.db), kept in step with the logs. */
  readonly search: SearchHost
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
  // A home made by an older Skein, or by hand, may be readable by others: tighten it before use.
  await secureHome(dataDir, logger)
  // Everything the core starts is owned here and closed in the reverse order of construction: the
  // store, built first, is flushed last. A failure while starting closes what had started.
  const owned = new DisposableStore((e) => logger.error(`Closing the core: ${e instanceof Error ? e.message : String(e)}`))
  try {
    return await build(options, logger, dataDir, owned)
  } catch (e) {
    await owned.dispose()
    throw e
  }
}

/** Builds the services in dependency order, each from one options object, and hands each to `owned`. */
async function build(options: CoreOptions, logger: Logger, dataDir: DataDir, owned: DisposableStore): Promise<Core> {
  const git = new GitRunner()
  const bus = new NotificationBus()
  // Only the logs the journal names are read now; the check of every log runs after ready (below).
  const threadStore = await ThreadStore.open(dataDir, logger, { reconcile: 'later' })
  const thread = (id: string) => threadStore.get(id)
  owned.add(toDisposable(() => threadStore.flush()))
  const repoStore = await RepoStore.open(dataDir, logger, () => threadStore.reposInLogs())
  const settings = await SettingsStore.open(dataDir, logger)
  const rpc = new RpcServer(bus, logger)
  owned.add(toDisposable(() => rpc.closeAll()))
  const profiles = new ProfileService(settings)
  const repos = new RepoService(git, repoStore, bus, (repoId) => threadStore.liveCount(repoId))
  const sandbox = new SandboxService(git, dataDir.home)
  // Before anything is served or spawned: end what a previous run that died (kill -9, a crash) left running.
  const ptyRecords = new PtyRecords(dataDir.ptyRecordsDir)
  const reaped = await reapLeftovers(ptyRecords, logger)
  const notices: string[] = startupNotices(reaped.reaped.length, [])
  const ports = await PortRanges.open({
    file: dataDir.portsFile,
    logger,
    count: () => settings.portsPerThread() ?? DEFAULT_PORTS_PER_THREAD
  })
  // Closed after the pty host (reverse order): its last releases are on disk before the core is gone.
  owned.add(toDisposable(() => ports.settled()))
  const ptys = owned.add(
    new PtyHost({
      ports,
      sandbox,
      store: new PtyStore(dataDir),
      records: ptyRecords,
      profiles,
      bus,
      logger,
      thread,
      scrollbackChars: options.scrollbackChars ?? scrollbackFromEnv(logger)
    })
  )
  const environment = new EnvironmentService({
    git,
    dir: dataDir,
    settings,
    bus,
    logger,
    repo: (id) => repos.get(id),
    thread,
    openPty: (threadId, o) => ptys.open(threadId, o),
    scrollback: (ptyId) => ptys.scrollbackText(ptyId)
  })
  const threads = owned.add(
    new ThreadService({
      git,
      store: threadStore,
      worktrees: new WorktreeManager(git, dataDir),
      bus,
      repos,
      logger,
      sessions: { open: ptys.open.bind(ptys), closeThread: (threadId) => ptys.closeThread(threadId) },
      profiles,
      intents: new CreateIntents(dataDir.createIntentsDir),
      environment
    })
  )
  // Not owned: it lives as long as the pty host, so terminals ended while quitting are still recorded as ended.
  ptys.onAgentState((threadId, agent, failure) => void threads.updateAgent(threadId, agent, failure))
  const transcript = new Transcript(threadStore, logger)
  const repoPath = (id: string) => {
    const r = repos.get(id)
    return r.ok ? r.value.path : null
  }
  const checkpointDeps = {
    git,
    bus,
    logger,
    settings,
    transcript,
    thread,
    repoPath,
    onAgentState: (l: Parameters<PtyHost['onAgentState']>[0]) => ptys.onAgentState(l)
  }
  const checkpointHost = owned.add(createCheckpointHost(checkpointDeps))
  const checkpoints = checkpointHost.service
  const agent = owned.add(
    new AgentService({
      threads,
      thread,
      transcript,
      tools: makeTools(git, ptys),
      keys: await ApiKeyStore.open(dataDir, options.host?.secrets ?? null),
      sandbox,
      bus,
      logger,
      setupDone: (threadId) => environment.whenReady(threadId),
      beforeTurn: (threadId, turnId, text) => checkpointHost.beforeTurn(threadId, turnId, text)
    })
  )
  // Archiving or deleting a thread stops its built-in agent's turn before its terminals close.
  threads.onWillCloseSessions((threadId) => agent.stopThread(threadId))
  const delivery = owned.add(
    new AgentDelivery(
      {
        writeToPty: (ptyId, data) => ptys.write(ptyId, data),
        sendToAgent: (threadId, text) => agent.steer(threadId, text),
        tapPty: (ptyId, listener) => ptys.tap(ptyId, listener),
        bracketedPaste: (ptyId) => ptys.bracketedPaste(ptyId),
        acceptsPrompt: (profileId, repoId) => profiles.acceptsPrompt(profileId, repoId),
        beforeDeliver: (threadId, text) => checkpointHost.beforeDeliver(threadId, text)
      },
      (message) => logger.warn(message)
    )
  )
  const review = owned.add(new ReviewService(git, thread, threadStore, delivery))
  const ci = new CiHost({ git, threads, thread, settings, bus, logger, delivery, home: dataDir.home })
  owned.add(toDisposable(() => ci.close()))
  // changesWatched: reviewWatch is declared below, and asked only once requests are polled.
  const changesWatched = (id: string) => reviewWatch.stats(id) !== undefined
  const pr = owned.add(createPrHost({ rpc, git, bus, logger, settings, threads, thread, ci, review, transcript, delivery, changesWatched }))
  const summaries = owned.add(
    new SummaryService({
      bus,
      thread,
      lastMatching: (id, wants) => transcript.lastMatching(id, wants),
      changes: (id) => review.changes(id, 'base'),
      tap: (ptyId, listener) => ptys.tap(ptyId, listener),
      outputTail: (threadId, ptyId, chars) => ptys.outputTail(threadId, ptyId, chars)
    })
  )
  // A change set an open Changes tab computes anyway keeps the dashboard's counts current for free.
  const reviewWatch = owned.add(
    new ChangeWatchService(
      git,
      thread,
      async (id, scope) => {
        const r = await review.changes(id, scope)
        if (r.ok && scope === 'base') summaries.noteChanges(id, r.value)
        return r
      },
      undefined,
      (id) => review.headAndBase(id)
    )
  )
  const handoff = new HandoffService({ repos, threads, transcript, ptys, bus })
  const allThreads = () => threads.list({ includeArchived: true })
  const disk = owned.add(new DiskService({ git, dataDir, bus, logger, repos: () => repos.list(), threads: allThreads, budgets: settings }))
  const cleanup = {
    git,
    dataDir,
    repos: () => repos.list(),
    threads: allThreads,
    sharedFolders: (id: string) => disk.sharedFolders(id),
    linkedShared: (id: string) => disk.linkedShared(id)
  }
  const run = new RunService({
    ptys,
    ports,
    settings,
    thread,
    // The repository's environment file (or its settings) comes first; a run command set in the app after.
    source: {
      fromEnvironment: async (thread) => {
        const resolved = await environment.resolve(thread.repoId)
        return resolved.ok ? (resolved.value.environment.run ?? null) : null
      }
    }
  })
  // A live thread holds its ports from creation (or restore) until it is archived or deleted.
  const portsFollow = bus.subscribe((name, p) => {
    if (name === 'thread/removed') void ports.release((p as { threadId: string }).threadId)
    else if (name === 'thread/updated') {
      const t = (p as { thread: { id: string; status: string } }).thread
      void (t.status === 'archived' ? ports.release(t.id) : ports.acquire(t.id))
    }
  })
  owned.add(toDisposable(() => portsFollow.dispose()))
  const { fork, rewind } = checkpointActions({
    ...checkpointDeps,
    checkpoints,
    threads,
    startTurn: (id, text) => agent.startTurn(id, text),
    deliver: (t, text) => delivery.deliver(t, text)
  })
  const autopilotDeps = { rpc, git, bus, logger, threads, thread, home: dataDir.home, ci, pr, delivery, agent }
  const autopilot = owned.add(await createAutopilotHost(autopilotDeps)).service
  let markStarted!: () => void
  const started = new Promise<void>((resolve) => (markStarted = resolve))
  const logSize = (id: string) => threadStore.logSize(id)
  const search = owned.add(
    await createSearchHost({ rpc, bus, logger, dataDir, threads: () => threadStore.list(), thread, started, logSize })
  )
  let webUrl: string | null = null
  registerHandlers(rpc, {
    version: SKEIN_VERSION,
    home: dataDir.home,
    repos,
    threads,
    ptys,
    profiles,
    agent,
    delivery,
    review,
    reviewWatch,
    summaries,
    handoff,
    transcript,
    ci,
    disk,
    cleanup,
    ports,
    run,
    settings,
    host: options.host ?? {},
    webUrl: () => webUrl,
    notices: () => notices,
    bus,
    environment,
    checkpoints,
    fork,
    rewind,
    store: threadStore
  })
  notices.push(...startupNotices(0, await threads.recoverInterruptedCreates(dataDir)))
  // A log that cannot be read (its error is logged) holds no approval to wait for: the start goes on.
  await threads.reconcileOnStart({ waitingApproval: (id) => agent.hasWaitingApproval(id).catch(() => false) })
  await ports.retain(new Set(threads.list({ includeArchived: false }).map((t) => t.id)))
  await environment.reconcileOnStart(threadStore.list(), (threadId, setup) => threads.setSetup(threadId, setup))
  ci.startAfter(CI_FIRST_SCAN_MS)
  if (options.listenSocket !== false) {
    const listening = await listenOnSocket(dataDir.socketPath, (t) => rpc.connect(t))
    if ('alreadyRunning' in listening) {
      logger.warn(`Another Skein core is already serving ${dataDir.home}; the CLI will talk to that one.`)
    } else {
      // Added last, so it closes first: no new CLI connection arrives while the rest shuts down.
      // It stops accepting at once; connections already open end with the RPC server's, later.
      owned.add(toDisposable(() => void listening.close()))
    }
  }

  owned.add(checkAfterStart({ store: threadStore, threads, bus, logger, transcript }))
  const close = () => owned.dispose()
  // Search catches up with every thread, archived ones included: once they are loaded.
  void threadStore.whenComplete().then(markStarted)
  return {
    dataDir,
    rpc,
    bus,
    repos,
    threads,
    ptys,
    profiles,
    environment,
    agent,
    review,
    reviewWatch,
    summaries,
    handoff,
    transcript,
    checkpoints,
    fork,
    rewind,
    ci,
    pr,
    disk,
    ports,
    run,
    autopilot,
    search,
    setWebUrl: (url) => void (webUrl = url),
    connect: (t) => rpc.connect(t),
    close,
    dispose: () => void close()
  }
}
