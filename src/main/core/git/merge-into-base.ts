import type { GitRunner } from './git-runner'
import { SKEIN_IDENTITY } from './skein-identity'
import { listWorktrees } from './worktree-list'

/** How merging a thread branch into its base went. The user's checkout is never touched. */
export type MergeResult =
  | { kind: 'fast-forward'; commit: string }
  | { kind: 'merged'; commit: string }
  | { kind: 'up-to-date' }
  | { kind: 'conflict'; files: string[] }
  | { kind: 'base-checked-out'; path: string }
  | { kind: 'not-a-branch'; baseRef: string }
  | { kind: 'dirty'; count: number }

/**
 * Merges the thread's HEAD into its base branch with refs only: a fast-forward with update-ref,
 * or a merge commit built by `git merge-tree --write-tree`. Refuses when the base branch is
 * checked out anywhere (moving it would change someone's working files) or the thread has
 * uncommitted work (it would not be part of the merge).
 */
export async function mergeIntoBase(git: GitRunner, worktree: string, baseBranch: string, message: string): Promise<MergeResult> {
  const ref = `refs/heads/${baseBranch}`
  const base = await git.exec(worktree, ['rev-parse', '--verify', '--quiet', ref])
  if (base.exitCode !== 0) return { kind: 'not-a-branch', baseRef: baseBranch }
  const baseSha = base.stdout.trim()
  const dirty = (await git.run(worktree, ['status', '--porcelain', '--untracked-files=all'])).split('\n').filter(Boolean)
  if (dirty.length) return { kind: 'dirty', count: dirty.length }
  const holder = (await listWorktrees(git, worktree)).find((w) => w.branch === baseBranch)
  if (holder) return { kind: 'base-checked-out', path: holder.path }
  const head = (await git.run(worktree, ['rev-parse', 'HEAD'])).trim()
  const mergeBase = (await git.exec(worktree, ['merge-base', baseSha, head])).stdout.trim()
  if (mergeBase === head) return { kind: 'up-to-date' }
  if (mergeBase === baseSha) {
    // The old value guards against the branch moving meanwhile.
    await git.run(worktree, ['update-ref', '-m', message, ref, head, baseSha])
    return { kind: 'fast-forward', commit: head }
  }
  const tree = await git.exec(worktree, ['merge-tree', '--write-tree', '--name-only', '--no-messages', baseSha, head])
  if (tree.exitCode === 1) {
    const [, ...files] = tree.stdout.trim().split('\n')
    return { kind: 'conflict', files: files.filter(Boolean) }
  }
  if (tree.exitCode !== 0) throw new Error(`git merge-tree failed: ${tree.stderr.trim()}`)
  const treeSha = tree.stdout.trim().split('\n')[0]!
  const commit = (await git.run(worktree, ['commit-tree', treeSha, '-p', baseSha, '-p', head, '-m', message], { env: SKEIN_IDENTITY })).trim()
  await git.run(worktree, ['update-ref', '-m', message, ref, commit, baseSha])
  return { kind: 'merged', commit }
}
