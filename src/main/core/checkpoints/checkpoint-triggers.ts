import type { Disposable } from '../../../shared/jsonrpc'
import type { AgentState, Item } from '../../../shared/models'
import { visibleTurns } from '../agent/transcript'
import { PROFILES } from '../agents/profiles'
import type { Logger } from '../logger'
import type { CheckpointService } from './checkpoint-service'

const quote = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim()
  return `"${line.length > 60 ? `${line.slice(0, 59)}…` : line}"`
}

/** Checkpoints before a built-in turn; resolves with why it could not (said in the conversation), or null. */
export async function checkpointBeforeTurn(
  checkpoints: CheckpointService,
  items: (threadId: string) => Promise<Item[]>,
  threadId: string,
  turnId: string,
  text: string
): Promise<string | null> {
  const k = visibleTurns(await items(threadId)).length + 1
  const taken = await checkpoints.take(threadId, { trigger: 'turn', turnId, label: `Before turn ${k}: ${quote(text)}` })
  return taken.ok ? null : taken.error.message
}

/** Checkpoints before Skein types a prompt or review into a CLI agent. */
export async function checkpointBeforeDelivery(checkpoints: CheckpointService, logger: Logger, threadId: string, text: string) {
  // Always a checkpoint of its own, changed or not: it marks what was sent, for the timeline.
  const taken = await checkpoints.take(threadId, { trigger: 'prompt', label: `Before a message from Skein: ${quote(text)}` })
  if (!taken.ok) logger.warn(taken.error.message)
}

/**
 * Checkpoints each time a thread's CLI agent starts working: when its session starts, and after it
 * waited for the person (a prompt typed in its terminal). Unchanged worktrees reuse the newest checkpoint.
 */
export function checkpointOnAgentStart(
  onAgentState: (listener: (threadId: string, agent: AgentState) => void) => Disposable,
  checkpoints: CheckpointService,
  logger: Logger
): Disposable {
  const last = new Map<string, AgentState['activity']>()
  return onAgentState((threadId, agent) => {
    const before = last.get(agent.ptyId)
    if (agent.activity === 'exited') last.delete(agent.ptyId)
    else last.set(agent.ptyId, agent.activity)
    if (agent.profileId === 'shell' || agent.activity !== 'running' || before === 'running') return
    void checkpoints
      .take(threadId, { trigger: 'agent-start', label: `${PROFILES[agent.profileId].label} started working`, skipIfUnchanged: true })
      .then((r) => (r.ok ? undefined : logger.warn(r.error.message)))
  })
}
