import { isAbsolute, join } from 'node:path'
import type { ChangedFile, FileDiff } from '../../../shared/review'
import { parseNumstat } from '../git/change-set'
import { diffTrees, diffTreesNumstat, type TreeChange } from '../git/diff-trees'
import type { GitRunner } from '../git/git-runner'
import { loadFileDiff } from '../review/file-diff'
import { readCheckpoints } from './checkpoint-meta'
import { type BlockedPath, planFiles } from './checkpoint-plan'
import { pathText } from './byte-paths'
import { scanWorktree } from './worktree-scan'

/** What rewinding to a checkpoint would change (current → checkpoint). */
export interface CheckpointChanges {
  files: ChangedFile[]
  /** Whether the staged state would change. */
  indexChanges: boolean
  /** Whether HEAD would move. */
  headChanges: boolean
  /** Present files the rewind must not touch but would have to: it would be refused. */
  blocked: BlockedPath[]
}

const STATUS: Record<TreeChange['status'], ChangedFile['status']> = { A: 'added', D: 'deleted', M: 'modified', T: 'type-changed' }

/**
 * What rewinding the worktree to checkpoint `commit` would change, file by file with line counts,
 * from the state now (scanned without writing anything) or from `current`, a checkpoint of it
 * just taken. Changes nothing. Throws when `commit` or `current` is not a checkpoint (a bug).
 */
export async function diffToCheckpoint(git: GitRunner, worktree: string, commit: string, current?: string): Promise<CheckpointChanges> {
  const [target, given] = await readCheckpoints(git, worktree, current ? [commit, current] : [commit])
  if (!target || (current && !given)) throw new Error(`${target ? current : commit} is not a checkpoint`)
  const now = given
    ? {
        worktreeTree: given.worktreeTree,
        indexTree: given.indexTree,
        head: given.head,
        leftOut: given.meta.leftOut,
        intentToAdd: given.meta.intentToAdd
      }
    : await scanWorktree(git, worktree)
  const [changes, numstat] = await Promise.all([
    diffTrees(git, worktree, now.worktreeTree, target.worktreeTree),
    diffTreesNumstat(git, worktree, now.worktreeTree, target.worktreeTree)
  ])
  const stats = parseNumstat(numstat)
  const files = changes.map((c): ChangedFile => {
    const s = stats.get(c.path)
    return {
      path: pathText(c.path),
      oldPath: null,
      status: STATUS[c.status],
      binary: s?.binary ?? false,
      additions: s?.binary ? null : (s?.additions ?? 0),
      deletions: s?.binary ? null : (s?.deletions ?? 0),
      version: `${c.oldId}..${c.newId}`
    }
  })
  const plan = await planFiles(worktree, changes, now.leftOut)
  return {
    files,
    indexChanges: now.indexTree !== target.indexTree || now.intentToAdd.join('\0') !== target.meta.intentToAdd.join('\0'),
    headChanges: target.head !== null && target.head !== now.head,
    blocked: plan.blocked
  }
}

/**
 * Both sides of one file for a rewind preview: the file on disk now (original) and as checkpoint
 * `commit` has it (modified), with the Changes tab's guards (binary, not UTF-8, too large unless
 * forced). `path` is worktree-relative and already checked to lie inside the worktree.
 */
export async function checkpointFileSides(
  git: GitRunner,
  worktree: string,
  commit: string,
  path: string,
  force: boolean
): Promise<FileDiff> {
  if (isAbsolute(path) || path.split('/').includes('..')) throw new Error(`${path} is not a worktree-relative path`)
  // The review loader compares a commit (original) with the disk (modified); here the sides are the other way round.
  const diff = await loadFileDiff(git, worktree, { baseCommit: commit, path, oldPath: null, absolutePath: join(worktree, path), force })
  switch (diff.kind) {
    case 'text':
      return { kind: 'text', original: diff.modified, modified: diff.original }
    case 'binary':
      return { kind: 'binary', originalBytes: diff.modifiedBytes, modifiedBytes: diff.originalBytes }
    case 'not-utf8': {
      const side = diff.side === 'original' ? 'modified' : diff.side === 'modified' ? 'original' : 'both'
      return { kind: 'not-utf8', side, originalBytes: diff.modifiedBytes, modifiedBytes: diff.originalBytes }
    }
    case 'too-large':
      return diff
  }
}
