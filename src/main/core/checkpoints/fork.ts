import type { Checkpoint, SessionPoint } from '../../../shared/checkpoints'
import { appError, ErrorCode } from '../../../shared/errors'
import type { DeliveryOutcome, Item, ProfileId, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { titleFromPrompt } from '../../../shared/thread-title'
import type { Transcript } from '../agent/transcript'
import type { GitRunner } from '../git/git-runner'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { ThreadService } from '../threads/thread-service'
import type { CheckpointService } from './checkpoint-service'
import { resolveTarget } from './checkpoint-target'
import { materializeCheckpoint } from './fork-worktree'

/** What a fork needs. */
export interface ForkDeps {
  git: GitRunner
  bus: NotificationBus
  logger: Logger
  checkpoints: CheckpointService
  transcript: Transcript
  threads: ThreadService
  thread(id: string): Thread | undefined
  /** Starts the built-in agent's first turn in a fork. */
  startTurn(threadId: string, text: string): Promise<Result<unknown>>
  /** Gives a prompt to a fork's CLI agent once it is up. */
  deliver(thread: Thread, text: string): Promise<Result<DeliveryOutcome>>
  /** The arguments that start a CLI session forked at a point (never changing the original session). */
  forkLaunch?(point: SessionPoint, cwd: string): Promise<Result<{ args: string[]; note: string }>>
}

/** What `thread/fork` asks for. */
export interface ForkRequest {
  threadId: string
  fromCheckpoint?: number
  fromTurnId?: string
  title?: string
  prompts: string[]
}

/**
 * Forks a thread into new worktree threads, one per prompt (or one): each on its own branch starting
 * exactly at a checkpoint's state (HEAD, index, uncommitted and untracked files), with the built-in
 * conversation up to that point and a CLI agent's session forked there. With no checkpoint or turn
 * given, the state now is checkpointed and used.
 */
export async function forkThread(d: ForkDeps, o: ForkRequest): Promise<Result<{ threads: Thread[] }>> {
  const where = d.checkpoints.where(o.threadId, true)
  if (!where.ok) return where
  const from = where.value.thread
  const items = await d.transcript.items(o.threadId)
  const all = await d.checkpoints.list(o.threadId)
  if (!all.ok) return all
  const target = resolveTarget(all.value, items, { checkpoint: o.fromCheckpoint, turnId: o.fromTurnId, busy: from.conversation.busy })
  if (!target.ok) return target
  let checkpoint: Checkpoint
  if (target.value.checkpoint === 'now') {
    const now = await d.checkpoints.take(o.threadId, { trigger: 'fork', label: 'Where a fork started', skipIfUnchanged: true })
    if (!now.ok) return now
    checkpoint = now.value
  } else checkpoint = target.value.checkpoint
  const keep = new Set(target.value.checkpoint === 'now' ? checkpoint.turnIds : target.value.keepTurns)
  const conversation = items.filter((i) => keep.has(i.turnId) && !i.rewound && isFinished(i))
  const prompts = o.prompts.length ? o.prompts : [null]
  // A CLI agent's session recorded with the checkpoint is forked there, whatever the thread runs now.
  const cli = checkpoint.session?.source ?? null
  const made: Thread[] = []
  for (const [i, prompt] of prompts.entries()) {
    const title = forkTitle(o.title ?? `${from.title} (fork)`, prompt, i, prompts.length)
    const fork = await forkOne(d, { from, checkpoint, title, cli, turnId: target.value.turnId })
    if (!fork.ok) {
      if (made.length === 0) return fork
      d.logger.warn(`Fork ${i + 1} of "${from.title}" failed: ${fork.error.message}`)
      break
    }
    await copyConversation(d.transcript, conversation, fork.value.id)
    made.push(fork.value)
    if (prompt && fork.value.status !== 'error') {
      const sent = cli ? await d.deliver(fork.value, prompt) : await d.startTurn(fork.value.id, prompt)
      if (!sent.ok) d.logger.warn(`The prompt of fork "${fork.value.title}" was not sent: ${sent.error.message}`)
    }
  }
  d.bus.publish('thread/forked', { threadId: o.threadId, forks: made.map((t) => t.id) })
  return ok({ threads: made.map((t) => d.thread(t.id) ?? t) })
}

async function forkOne(
  d: ForkDeps,
  o: { from: Thread; checkpoint: Checkpoint; title: string; cli: ProfileId | null; turnId: string | null }
): Promise<Result<Thread>> {
  const { from, checkpoint } = o
  const session = checkpoint.session
  const forkLaunch = d.forkLaunch
  const notes: string[] = []
  const made = await d.threads.create({
    repoId: from.repoId,
    title: o.title,
    mode: 'worktree',
    // A local thread's fork compares against the branch it was on; a worktree thread's keeps its base.
    baseRef: from.mode === 'worktree' ? from.baseRef : (from.branch ?? from.baseRef),
    startPoint: checkpoint.head ?? undefined,
    permissionMode: from.conversation.permissionMode,
    forkedFrom: { threadId: from.id, checkpoint: checkpoint.n, turnId: o.turnId },
    prepare: async (t) => {
      const done = await materializeCheckpoint(d.git, t.worktreePath, checkpoint.commit)
      return done.ok
        ? ok(undefined)
        : err(appError(ErrorCode.GitFailed, `The fork's worktree could not be set to checkpoint ${checkpoint.n}: ${done.error}`))
    },
    ...(o.cli ? { profileId: o.cli } : {}),
    // The session is forked in the new worktree's folder, known only once it exists.
    ...(o.cli && session && forkLaunch
      ? {
          agentArgs: async (t: Thread) => {
            const launch = await forkLaunch(session, t.worktreePath)
            if (launch.ok) notes.push(launch.value.note)
            return launch.ok ? ok(launch.value.args) : launch
          }
        }
      : {})
  })
  if (made.ok && notes.length) d.logger.info(`Fork "${made.value.title}": ${notes.join(' ')}`)
  return made
}

/** Items that finished (a turn still running stays with the original), re-homed to the fork. */
async function copyConversation(transcript: Transcript, items: readonly Item[], threadId: string): Promise<void> {
  for (const item of items) await transcript.save({ ...item, threadId })
}

const isFinished = (i: Item) => i.status !== 'streaming' && i.status !== 'running' && i.status !== 'pending'

/** "Title", or "Title · first words of the prompt" when several forks are made at once. */
function forkTitle(base: string, prompt: string | null, i: number, count: number): string {
  if (count === 1) return base
  const words = prompt ? titleFromPrompt(prompt) : ''
  return `${base} · ${words || `approach ${i + 1}`}`.slice(0, 200)
}
