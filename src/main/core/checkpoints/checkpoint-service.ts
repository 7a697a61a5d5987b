import { existsSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import type { Checkpoint, CheckpointDiff, CheckpointSettings, CheckpointTrigger, SessionPoint } from '../../../shared/checkpoints'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Disposable } from '../../../shared/jsonrpc'
import type { Item, Thread } from '../../../shared/models'
import type { FileDiff } from '../../../shared/review'
import { err, ok, type Result } from '../../../shared/result'
import { visibleTurns } from '../agent/transcript'
import type { GitRunner } from '../git/git-runner'
import { KeyedLock } from '../keyed-lock'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import { checkpointFileSides, diffToCheckpoint } from './checkpoint-diff'
import { checkpointRef, deleteCheckpoints, listCheckpoints, pruneCheckpoints } from './checkpoint-refs'
import { toCheckpoint } from './checkpoint-meta'
import { writeCheckpoint } from './checkpoint-write'

/** What the checkpoint service needs from the rest of the core. */
export interface CheckpointDeps {
  git: GitRunner
  bus: NotificationBus
  logger: Logger
  settings: { checkpoints(): CheckpointSettings }
  thread(id: string): Thread | undefined
  /** The checkout of a repository (checkpoint refs live in the repository, shared by its worktrees). */
  repoPath(repoId: string): string | null
  items(threadId: string): Promise<Item[]>
  /** Where a thread's CLI agent session stands now (null: no CLI session, or not known). */
  sessionPoint?(thread: Thread): Promise<SessionPoint | null>
}

/** What a checkpoint is taken for. */
export interface TakeOptions {
  trigger: CheckpointTrigger
  label: string
  /** The built-in turn about to start (trigger 'turn'). */
  turnId?: string
  /** Reuse the newest checkpoint when nothing changed since (a CLI agent that starts and stops often). */
  skipIfUnchanged?: boolean
}

/**
 * A checkpoint of a thread's worktree at every turn, for every agent, as private git refs
 * (`refs/skein/checkpoints/<thread>/<n>`): taken through a temporary index, so the person's index,
 * HEAD and stash are never touched. One thread's checkpoints are taken one at a time; old ones are
 * pruned by count and age; a deleted thread's go with it (an archived thread keeps them).
 */
export class CheckpointService implements Disposable {
  private readonly lock = new KeyedLock()
  private readonly removedSub: Disposable

  constructor(private readonly deps: CheckpointDeps) {
    this.removedSub = deps.bus.subscribe((name, p) => {
      if (name !== 'thread/removed') return
      const { threadId, repoId } = p as { threadId: string; repoId: string }
      void this.forget(threadId, repoId)
    })
  }

  /** The thread's checkpoints, oldest first. */
  async list(threadId: string): Promise<Result<Checkpoint[]>> {
    const where = this.where(threadId)
    if (!where.ok) return where
    return ok(await listCheckpoints(this.deps.git, where.value.repo, threadId))
  }

  /** One checkpoint by number. */
  async get(threadId: string, n: number): Promise<Result<Checkpoint>> {
    const all = await this.list(threadId)
    if (!all.ok) return all
    const found = all.value.find((c) => c.n === n)
    return found
      ? ok(found)
      : err(appError(ErrorCode.InvalidParams, `Checkpoint ${n} of this thread does not exist (it may have been pruned).`))
  }

  /** Checkpoints the thread's worktree now; the newest is returned instead when `skipIfUnchanged` and nothing changed. */
  take(threadId: string, o: TakeOptions): Promise<Result<Checkpoint>> {
    return this.lock.run(threadId, () => this.takeLocked(threadId, o))
  }

  /** Runs `work` with the thread's checkpoints held still (a rewind or fork: nothing is taken or pruned meanwhile). */
  exclusive<T>(threadId: string, work: () => Promise<T>): Promise<T> {
    return this.lock.run(threadId, work)
  }

  /** `take` for callers already inside `exclusive`. */
  async takeLocked(threadId: string, o: TakeOptions): Promise<Result<Checkpoint>> {
    const where = this.where(threadId, true)
    if (!where.ok) return where
    const { thread, repo } = where.value
    const existing = await listCheckpoints(this.deps.git, repo, threadId)
    const previous = existing[existing.length - 1] ?? null
    const n = (previous?.n ?? 0) + 1
    const items = await this.deps.items(threadId)
    const running = thread.conversation.busy ? runningTurn(items) : null
    const turnIds = visibleTurns(items).filter((t) => t !== running && t !== o.turnId)
    const session = (await this.deps.sessionPoint?.(thread).catch(() => null)) ?? null
    const written = await writeCheckpoint(this.deps.git, thread.worktreePath, {
      ref: checkpointRef(threadId, n),
      previous: previous?.commit ?? null,
      skipIfUnchanged: o.skipIfUnchanged === true,
      meta: { trigger: o.trigger, label: o.label, turnId: o.turnId ?? null, turnIds, session, createdAt: Date.now() }
    })
    if (!written.ok) return err(appError(ErrorCode.GitFailed, `Could not checkpoint "${thread.title}": ${written.error}`))
    if (written.value.reused && previous) return ok(previous)
    const { commit, ref } = written.value
    if (!commit || !ref) return err(appError(ErrorCode.GitFailed, `Checkpoint ${n} of "${thread.title}" was not written.`))
    // Built from what was just written: listing every ref again before each turn would be a second read for nothing.
    const made = toCheckpoint(threadId, n, ref, commit, written.value.meta)
    this.deps.bus.publish('checkpoint/created', { checkpoint: made })
    await this.prune(threadId, repo)
    return ok(made)
  }

  /** What rewinding the code to checkpoint `n` would change. Changes nothing. */
  async diff(threadId: string, n: number): Promise<Result<CheckpointDiff>> {
    const where = this.where(threadId, true)
    if (!where.ok) return where
    const c = await this.get(threadId, n)
    if (!c.ok) return c
    try {
      const d = await diffToCheckpoint(this.deps.git, where.value.thread.worktreePath, c.value.commit)
      return ok({ checkpoint: c.value, ...d })
    } catch (e) {
      return err(appError(ErrorCode.GitFailed, `Could not compare the worktree with checkpoint ${n}: ${(e as Error).message}`))
    }
  }

  /** One file as it is now (original) and in checkpoint `n` (modified). */
  async file(threadId: string, n: number, path: string, force: boolean): Promise<Result<FileDiff>> {
    const where = this.where(threadId, true)
    if (!where.ok) return where
    const c = await this.get(threadId, n)
    if (!c.ok) return c
    if (isAbsolute(path) || path.split('/').some((part) => part === '..' || part === '' || part === '.git'))
      return err(appError(ErrorCode.InvalidParams, `${path} is not a path inside the worktree.`))
    return ok(await checkpointFileSides(this.deps.git, where.value.thread.worktreePath, c.value.commit, path, force))
  }

  /** Removes checkpoints beyond the settings' count and age (the newest 10 always stay). */
  async prune(threadId: string, repo: string): Promise<void> {
    const removed = await pruneCheckpoints(this.deps.git, repo, threadId, { ...this.deps.settings.checkpoints(), now: Date.now() }).catch(
      (e: Error) => {
        this.deps.logger.warn(`Could not prune the checkpoints of thread ${threadId}: ${e.message}`)
        return []
      }
    )
    if (removed.length) this.deps.bus.publish('checkpoint/removed', { threadId, ns: removed })
  }

  /** Removes every checkpoint of a deleted thread. */
  private async forget(threadId: string, repoId: string): Promise<void> {
    const repo = this.deps.repoPath(repoId)
    if (!repo || !existsSync(repo)) return
    await this.lock.run(threadId, async () => {
      const removed = await deleteCheckpoints(this.deps.git, repo, threadId).catch((e: Error) => {
        this.deps.logger.warn(`Could not remove the checkpoints of deleted thread ${threadId}: ${e.message}`)
        return []
      })
      if (removed.length) this.deps.bus.publish('checkpoint/removed', { threadId, ns: removed })
    })
  }

  /** The thread and its repository's checkout; with `live`, also a worktree that is there to read. */
  where(threadId: string, live = false): Result<{ thread: Thread; repo: string }> {
    const thread = this.deps.thread(threadId)
    if (!thread) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}. It may have been deleted.`))
    const repo = this.deps.repoPath(thread.repoId)
    if (!repo) return err(appError(ErrorCode.RepoNotFound, `The repository of "${thread.title}" is no longer in Skein.`))
    if (live && thread.status === 'archived')
      return err(appError(ErrorCode.InvalidThreadState, `"${thread.title}" is archived. Restore it to use its checkpoints.`))
    if (live && !existsSync(thread.worktreePath))
      return err(appError(ErrorCode.WorktreeMissing, `The folder of "${thread.title}" (${thread.worktreePath}) is missing.`))
    return ok({ thread, repo })
  }

  /** Stops following thread deletions. */
  dispose(): void {
    this.removedSub.dispose()
  }
}

/** The turn still running: the last one, when the built-in agent is busy. */
function runningTurn(items: readonly Item[]): string | null {
  return items.length ? items[items.length - 1]!.turnId : null
}
