import { err, ok, type Result } from '../../../shared/result'
import { diffTrees } from '../git/diff-trees'
import type { GitRunner } from '../git/git-runner'
import { indexFileOf } from '../git/index-file'
import { spawnGit } from '../git/spawn-git'
import { applyFiles, applyIndex, indexLocked } from './checkpoint-apply'
import { readCheckpoints } from './checkpoint-meta'
import { planFiles } from './checkpoint-plan'
import { scanWorktree } from './worktree-scan'

/** Options for a restore. */
export interface RestoreOptions {
  /**
   * A checkpoint of the worktree as it is now (the undo checkpoint the caller just wrote), so the
   * current state is not scanned a second time. It must be that fresh: files changed since are not seen.
   */
  current?: string
}

/**
 * Puts the worktree, its index and HEAD back exactly as checkpoint `commit` has them. Only the
 * paths that differ are written or removed (never a full checkout). Git-ignored files and files the
 * checkpoints left out are never touched: when one stands where the checkpoint needs to write or
 * delete, nothing is changed and the error names it. HEAD moves to the checkpoint's commit (moving
 * the checked-out branch, or a detached HEAD); a checkpoint taken on an unborn branch leaves HEAD.
 * What the worktree holds now is not saved here: write an undo checkpoint first and pass it as `current`.
 */
export async function restoreCheckpoint(
  git: GitRunner,
  worktree: string,
  commit: string,
  o: RestoreOptions = {}
): Promise<Result<{ files: number }, string>> {
  const [target, given] = await readCheckpoints(git, worktree, o.current ? [commit, o.current] : [commit])
  if (!target) return err(`${commit} is not a checkpoint`)
  if (o.current && !given) return err(`${o.current} is not a checkpoint`)
  const current = given
    ? { worktreeTree: given.worktreeTree, head: given.head, leftOut: given.meta.leftOut }
    : await scanWorktree(git, worktree)
  const plan = await planFiles(worktree, await diffTrees(git, worktree, current.worktreeTree, target.worktreeTree), current.leftOut)
  if (plan.blocked.length > 0) {
    const list = plan.blocked.map((b) => `${b.path} (${b.reason})`).join('; ')
    return err(`nothing was changed: the rewind would have to overwrite or remove files it must not touch: ${list}`)
  }
  const indexFile = await indexFileOf(git, worktree)
  if (indexLocked(indexFile)) return err(`nothing was changed: another git command is using the index (${indexFile}.lock exists)`)
  if (target.head && target.head !== current.head) {
    // The old value makes this fail, changing nothing, if HEAD moved since the current state was read.
    const args = ['update-ref', '-m', 'skein: rewind to a checkpoint', 'HEAD', target.head, current.head ?? '']
    const moved = await spawnGit(git, worktree, args)
    if (moved.exitCode !== 0) return err(`nothing was changed: HEAD could not be moved: ${moved.stderr.trim()}`)
  }
  const files = await applyFiles(git, worktree, plan)
  await applyIndex(git, worktree, indexFile, target)
  return ok({ files })
}
