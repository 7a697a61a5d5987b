import type { AgentState, DeliveryOutcome, Item, Thread } from '../../../shared/models'
import type { Result } from '../../../shared/result'
import type { Disposable } from '../../../shared/jsonrpc'
import { forkLaunch, sessionPoint } from '../agents/cli-session'
import type { Transcript } from '../agent/transcript'
import type { GitRunner } from '../git/git-runner'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { SettingsStore } from '../store/settings-store'
import type { ThreadService } from '../threads/thread-service'
import { CheckpointService } from './checkpoint-service'
import { checkpointBeforeDelivery, checkpointBeforeTurn, checkpointOnAgentStart } from './checkpoint-triggers'
import { forkThread, type ForkRequest } from './fork'
import { rewindThread, type RewindRequest } from './rewind'

/** What the checkpoints need from the rest of the core. */
export interface CheckpointHostDeps {
  git: GitRunner
  bus: NotificationBus
  logger: Logger
  settings: SettingsStore
  transcript: Transcript
  thread(id: string): Thread | undefined
  repoPath(repoId: string): string | null
  /** The pty host's agent-state events (a CLI agent starting work is checkpointed). */
  onAgentState(listener: (threadId: string, agent: AgentState) => void): Disposable
}

/** The checkpoint service with its triggers: before built-in turns, before deliveries, and as CLI agents start working. */
export interface CheckpointHost extends Disposable {
  readonly service: CheckpointService
  beforeTurn(threadId: string, turnId: string, text: string): Promise<string | null>
  beforeDeliver(threadId: string, text: string): Promise<void>
}

/** Starts the checkpoint service and its CLI-agent trigger. */
export function createCheckpointHost(d: CheckpointHostDeps): CheckpointHost {
  const items = (id: string): Promise<Item[]> => d.transcript.items(id)
  const service = new CheckpointService({
    git: d.git,
    bus: d.bus,
    logger: d.logger,
    settings: d.settings,
    thread: d.thread,
    repoPath: d.repoPath,
    items,
    sessionPoint: async (t) => (t.agent?.session ? sessionPoint(t.agent.session, t.worktreePath) : null)
  })
  const onStart = checkpointOnAgentStart(d.onAgentState, service, d.logger)
  return {
    service,
    beforeTurn: (threadId, turnId, text) => checkpointBeforeTurn(service, items, threadId, turnId, text),
    beforeDeliver: (threadId, text) => checkpointBeforeDelivery(service, d.logger, threadId, text),
    dispose: () => {
      onStart.dispose()
      service.dispose()
    }
  }
}

/** Rewind and fork over a thread's checkpoints, once the agent and delivery exist. */
export function checkpointActions(
  d: CheckpointHostDeps & {
    checkpoints: CheckpointService
    threads: ThreadService
    startTurn(threadId: string, text: string): Promise<Result<unknown>>
    deliver(thread: Thread, text: string): Promise<Result<DeliveryOutcome>>
  }
): { fork(o: ForkRequest): ReturnType<typeof forkThread>; rewind(o: RewindRequest): ReturnType<typeof rewindThread> } {
  const common = { git: d.git, bus: d.bus, checkpoints: d.checkpoints, transcript: d.transcript, thread: d.thread }
  return {
    fork: (o) =>
      forkThread(
        {
          ...common,
          logger: d.logger,
          threads: d.threads,
          startTurn: d.startTurn,
          deliver: d.deliver,
          forkLaunch: (p, cwd) => forkLaunch(p, cwd)
        },
        o
      ),
    rewind: (o) => rewindThread(common, o)
  }
}
