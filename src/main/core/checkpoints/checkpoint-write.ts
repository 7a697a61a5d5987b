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
 * Submodules are saved as the commit they point at, not their contents; files pass git's filters
 * (clean/smudge, end-of-line) as with `git add`. A tree cannot hold index flags: intent-to-add
 * marks are kept in the meta, assume-unchanged and skip-worktree marks are not (except in a
 * raw conflicted index, which keeps everything).
 */
import { err, ok, type Result } from '../../../shared/result'
import { commitTree } from '../git/commit-tree'
import type { GitRunner } from '../git/git-runner'
import { spawnGit } from '../git/spawn-git'
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
  const reading = o.previous ? readCheckpoints(git, worktree, [o.previous]).then((r) => r[0] ?? null) : Promise.resolve(null)
  reading.catch(() => undefined)
  // The index commit is made while the files are still being read; the previous one serves when index and HEAD are the same.
  const onIndex =
    o.ref === null
      ? undefined
      : async (indexTree: string, head: string | null, indexBlob: string | null): Promise<string> => {
          const p = await reading
          if (p && p.indexTree === indexTree && p.head === head) return p.indexCommit
          return commitIndex(git, worktree, indexTree, head, indexBlob)
        }
  const [state, previous] = await Promise.all([scanWorktree(git, worktree, limits, onIndex), reading])
  const meta = storedMeta(o.meta, state)
  if (
    o.skipIfUnchanged &&
    previous &&
    previous.worktreeTree === state.worktreeTree &&
    previous.indexTree === state.indexTree &&
    previous.head === state.head &&
    previous.meta.intentToAdd.join('\0') === state.intentToAdd.join('\0')
  ) {
    return ok({ reused: true, commit: previous.commit, ref: null, state, meta: previous.meta })
  }
  if (o.ref === null || state.indexCommit === null) return ok({ reused: false, commit: null, ref: null, state, meta })
  const commit = await commitTree(git, worktree, state.worktreeTree, [state.indexCommit], checkpointMessage(meta))
  // An empty old value makes the update create-only: a checkpoint number is never overwritten.
  const set = await spawnGit(git, worktree, ['update-ref', '-m', `skein checkpoint: ${meta.trigger}`, o.ref, commit, ''])
  if (set.exitCode !== 0) return err(`could not create ${o.ref}: ${set.stderr.trim()}`)
  return ok({ reused: false, commit, ref: o.ref, state, meta })
}

/** The index commit: the index's tree (or the raw-index tree) with HEAD as parent. */
function commitIndex(git: GitRunner, worktree: string, indexTree: string, head: string | null, indexBlob: string | null): Promise<string> {
  const message = indexBlob
    ? `index of a checkpoint\n\nThe index had unmerged entries, so it has no tree: its raw bytes are the blob ${indexBlob} (\`index\` here), with every blob it names under blobs/.\n`
    : 'index of a checkpoint\n'
  return commitTree(git, worktree, indexTree, head ? [head] : [], message)
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
