import { err, ok, type Result } from '../../../shared/result'
import { diffTrees } from '../git/diff-trees'
import type { GitRunner } from '../git/git-runner'
import { indexFileOf } from '../git/index-file'
import { spawnGit } from '../git/spawn-git'
import { applyFiles, applyIndex, indexLocked } from './checkpoint-apply'
import { readCheckpoints } from './checkpoint-meta'
import { planFiles } from './checkpoint-plan'

/**
 * Gives a fork's fresh worktree the exact state of checkpoint `commit`: tracked, staged, unstaged,
 * untracked and deleted files, exec bits and symlinks, and the index. The caller made the worktree
 * with `git worktree add -b <branch> <path> <checkpoint's head>`, so its files are HEAD's tree; only
 * the difference from there is written. HEAD is left as the caller set it. The worktree the
 * checkpoint came from is not touched (the objects are shared).
 */
export async function materializeCheckpoint(
  git: GitRunner,
  newWorktree: string,
  commit: string
): Promise<Result<{ files: number }, string>> {
  const [[target], head] = await Promise.all([
    readCheckpoints(git, newWorktree, [commit]),
    spawnGit(git, newWorktree, ['rev-parse', '--verify', '--quiet', 'HEAD^{tree}'])
  ])
  if (!target) return err(`${commit} is not a checkpoint`)
  const base = head.exitCode === 0 ? head.stdout.trim() : await emptyTree(git, newWorktree)
  const plan = await planFiles(newWorktree, await diffTrees(git, newWorktree, base, target.worktreeTree), [])
  if (plan.blocked.length > 0) return err(`the new worktree already holds files in the way: ${plan.blocked.map((b) => b.path).join(', ')}`)
  const indexFile = await indexFileOf(git, newWorktree)
  if (indexLocked(indexFile)) return err(`another git command is using the new worktree's index (${indexFile}.lock exists)`)
  const files = await applyFiles(git, newWorktree, plan)
  await applyIndex(git, newWorktree, indexFile, target)
  return ok({ files })
}

/** The empty tree's id in this repository's hash (written, so it can be diffed against). */
async function emptyTree(git: GitRunner, cwd: string): Promise<string> {
  const out = await git.withInput(cwd, ['hash-object', '-t', 'tree', '-w', '--stdin'], Buffer.alloc(0))
  if (out.exitCode !== 0) throw new Error(`git hash-object of the empty tree failed: ${out.stderr.trim()}`)
  return out.stdout.toString('utf8').trim()
}
