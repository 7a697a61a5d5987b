import type { Checkpoint, RewindScope } from '../../../shared/checkpoints'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Item, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { Transcript } from '../agent/transcript'
import type { GitRunner } from '../git/git-runner'
import type { NotificationBus } from '../notification-bus'
import { restoreCheckpoint } from './checkpoint-restore'
import type { CheckpointService } from './checkpoint-service'
import { resolveTarget } from './checkpoint-target'

/** What a rewind needs. */
export interface RewindDeps {
  git: GitRunner
  bus: NotificationBus
  checkpoints: CheckpointService
  transcript: Transcript
  /** The thread as it is now (after the rewind, for the answer). */
  thread(id: string): Thread | undefined
}

/** What `thread/rewind` asks for. */
export interface RewindRequest {
  threadId: string
  checkpoint?: number
  turnId?: string
  restore: RewindScope
}

/** What a rewind did. */
export interface RewindOutcome {
  thread: Thread
  undo: Checkpoint | null
  files: number
  prompt: string | null
}

/**
 * Puts a thread back to a checkpoint or the end of a built-in turn: its files (worktree, index and
 * HEAD exactly as saved), its built-in conversation (later turns marked rewound: kept and shown, out
 * of the agent's context), or both. The state before is checkpointed first, so this can be undone by
 * rewinding to that checkpoint. Refused while an agent works in the thread.
 */
export function rewindThread(d: RewindDeps, o: RewindRequest): Promise<Result<RewindOutcome>> {
  return d.checkpoints.exclusive(o.threadId, async () => {
    const where = d.checkpoints.where(o.threadId, true)
    if (!where.ok) return where
    const { thread } = where.value
    if (thread.conversation.busy)
      return err(appError(ErrorCode.InvalidThreadState, `The agent is working in "${thread.title}". Stop its turn before rewinding.`))
    const code = o.restore !== 'conversation'
    const conversation = o.restore !== 'code'
    if (code && thread.agent && thread.agent.activity === 'running' && thread.agent.profileId !== 'shell')
      return err(
        appError(
          ErrorCode.InvalidThreadState,
          `The agent in "${thread.title}" is working. Rewind its files once it waits for you, or stop it first.`
        )
      )
    const items = await d.transcript.items(o.threadId)
    const all = await d.checkpoints.list(o.threadId)
    if (!all.ok) return all
    const target = resolveTarget(all.value, items, { ...o, busy: false })
    if (!target.ok) return target
    if (conversation && !items.some((i) => i.kind === 'user'))
      return err(
        appError(
          ErrorCode.InvalidParams,
          `"${thread.title}" has no conversation with the built-in agent to rewind. Rewind its code only (--code), or fork from the checkpoint to resume a CLI session there.`
        )
      )
    const k = target.value.checkpoint
    const label = k === 'now' ? 'Before rewinding the conversation' : `Before rewinding to checkpoint ${k.n}`
    const undo = await d.checkpoints.takeLocked(o.threadId, { trigger: 'rewind', label })
    if (!undo.ok)
      return err(appError(ErrorCode.GitFailed, `Nothing was rewound: the state now could not be saved first. ${undo.error.message}`))
    let files = 0
    if (code && k !== 'now') {
      const restored = await restoreCheckpoint(d.git, thread.worktreePath, k.commit, { current: undo.value.commit })
      if (!restored.ok)
        return err(
          appError(
            ErrorCode.GitFailed,
            `The files were not rewound: ${restored.error} (checkpoint ${undo.value.n} holds them as they were).`
          )
        )
      files = restored.value.files
    }
    let prompt: string | null = null
    if (conversation) prompt = await rewindConversation(d, o.threadId, items, target.value.keepTurns)
    const n = k === 'now' ? undo.value.n : k.n
    d.bus.publish('thread/rewound', { threadId: o.threadId, checkpoint: n, restore: o.restore, undo: undo.value.n })
    return ok({ thread: d.thread(o.threadId) ?? thread, undo: undo.value, files, prompt })
  })
}

/** Rewinds every turn not kept and brings back kept ones; returns the text of the first turn newly rewound. */
async function rewindConversation(
  d: RewindDeps,
  threadId: string,
  items: readonly Item[],
  keep: readonly string[]
): Promise<string | null> {
  const kept = new Set(keep)
  const all = [...new Set(items.map((i) => i.turnId))]
  const wasRewound = new Set(items.filter((i) => i.rewound).map((i) => i.turnId))
  const drop = new Set(all.filter((t) => !kept.has(t)))
  const back = new Set(all.filter((t) => kept.has(t) && wasRewound.has(t)))
  const firstDropped = all.find((t) => drop.has(t) && !wasRewound.has(t))
  const prompt = firstDropped ? (items.find((i) => i.turnId === firstDropped && i.kind === 'user')?.text ?? null) : null
  const changed = [...(await d.transcript.setRewound(threadId, drop, true)), ...(await d.transcript.setRewound(threadId, back, false))]
  for (const item of changed) d.bus.publish('item/completed', { item, added: false })
  return prompt
}
