/**
 * Checkpoints: the whole state of a thread's worktree at a moment, as ordinary git objects under a
 * private ref (the ghost-commit technique of Codex and Conductor):
 *
 *   refs/skein/checkpoints/<threadId>/<n> -> checkpoint commit C
 *     C^{tree}  W: the files on disk (committed, staged, unstaged and untracked; deleted ones absent),
 *               exec bits and symlinks as git records them
 *     C^1       index commit X, whose tree I is the index (staged state), parent HEAD (none on an
 *               unborn branch). When the index has unmerged entries (a conflicted merge) it has no
 *               tree: X's tree then holds the raw index file as `index` and every blob it names
 *               under `blobs/`, and C's meta names that blob (`indexBlob`) so it comes back byte for byte.
 *     C's message: the label as a subject for people, then one JSON line with the meta (trigger,
 *               label, turns, head, branch, dirty files, left-out files, session, createdAt,
 *               indexBlob, intent-to-add paths), so a checkpoint describes itself.
 *
 * It is made through scratch copies of the index: the person's index (its bytes), HEAD, branches,
 * stash and files are never touched. Commits are by a fixed identity, so no git config is needed.
 * Git-ignored files are neither saved nor looked at (a rewind never touches them either). Untracked
 * files over 10 MiB and wholly untracked folders of more than 200 files are left out, and listed.
 * Submodules are saved as the commit they point at, not their contents.
 */
import { err, ok, type Result } from '../../../shared/result'
import { commitTree } from '../git/commit-tree'
import type { GitRunner } from '../git/git-runner'
import { type CheckpointMeta, checkpointMessage, readCheckpoints, type StoredMeta } from './checkpoint-meta'
import { DEFAULT_LEAVE_OUT, type LeaveOutLimits, scanWorktree, type WorktreeState } from './worktree-scan'

/** Options for writing a checkpoint. */
export interface WriteCheckpointOptions {
  /** The ref to create (it must not exist yet); null for a dry run: the state is read, nothing is written or set. */
  ref: string | null
  meta: CheckpointMeta
  /** The thread's previous checkpoint commit, for `skipIfUnchanged`. */
  previous?: string | null
  /** Reuse `previous` when files, index and HEAD are all as it has them. */
  skipIfUnchanged?: boolean
  limits?: Partial<LeaveOutLimits>
}

/** What writing a checkpoint did. */
export interface WrittenCheckpoint {
  /** True when nothing changed since `previous`, which is returned as the commit; no ref was set. */
  reused: boolean
  /** The checkpoint commit; null in a dry run. */
  commit: string | null
  /** The ref set; null when reused or dry. */
  ref: string | null
  state: WorktreeState
  /** The meta stored in the commit (or that would be, in a dry run). */
  meta: StoredMeta
}

/**
 * Saves the worktree's whole state (files, index, HEAD) as a checkpoint commit under `o.ref`
 * without touching the worktree, its index, HEAD or stash. Err when the ref already exists.
 */
export async function writeCheckpoint(
  git: GitRunner,
  worktree: string,
  o: WriteCheckpointOptions
): Promise<Result<WrittenCheckpoint, string>> {
  const limits = { ...DEFAULT_LEAVE_OUT, ...o.limits }
  const [state, previous] = await Promise.all([
    scanWorktree(git, worktree, limits),
    o.skipIfUnchanged && o.previous ? readCheckpoints(git, worktree, [o.previous]).then((r) => r[0] ?? null) : null
  ])
  const meta = storedMeta(o.meta, state)
  if (
    previous &&
    previous.worktreeTree === state.worktreeTree &&
    previous.indexTree === state.indexTree &&
    previous.head === state.head &&
    previous.meta.intentToAdd.join('\0') === state.intentToAdd.join('\0')
  ) {
    return ok({ reused: true, commit: previous.commit, ref: null, state, meta: previous.meta })
  }
  if (o.ref === null) return ok({ reused: false, commit: null, ref: null, state, meta })
  const commit = await commitCheckpoint(git, worktree, state, meta)
  // An empty old value makes the update create-only: a checkpoint number is never overwritten.
  const set = await git.exec(worktree, ['update-ref', '-m', `skein checkpoint: ${meta.trigger}`, o.ref, commit, ''])
  if (set.exitCode !== 0) return err(`could not create ${o.ref}: ${set.stderr.trim()}`)
  return ok({ reused: false, commit, ref: o.ref, state, meta })
}

/** Writes the index commit and the checkpoint commit for a scanned state; sets no ref. */
export async function commitCheckpoint(git: GitRunner, worktree: string, state: WorktreeState, meta: StoredMeta): Promise<string> {
  const indexMessage = state.indexBlob
    ? `index of a checkpoint\n\nThe index had unmerged entries, so it has no tree: its raw bytes are the blob ${state.indexBlob} (\`index\` here), with every blob it names under blobs/.\n`
    : 'index of a checkpoint\n'
  const indexCommit = await commitTree(git, worktree, state.indexTree, state.head ? [state.head] : [], indexMessage)
  return commitTree(git, worktree, state.worktreeTree, [indexCommit], checkpointMessage(meta))
}

/** The meta a checkpoint commit carries for a scanned state. */
function storedMeta(m: CheckpointMeta, s: WorktreeState): StoredMeta {
  return {
    format: 'skein-checkpoint',
    version: 1,
    trigger: m.trigger,
    label: m.label,
    turnId: m.turnId,
    turnIds: m.turnIds,
    head: s.head,
    branch: s.branch,
    dirtyFiles: s.dirtyFiles,
    leftOut: s.leftOut,
    session: m.session,
    createdAt: m.createdAt,
    indexBlob: s.indexBlob,
    intentToAdd: s.intentToAdd
  }
}
