import { existsSync } from 'node:fs'
import type { GitRunner } from './git-runner'
import { mergePreview, type MergePlan } from './merge-preview'
import { SKEIN_IDENTITY } from './skein-identity'

/** How merging a thread branch into its base went. */
export type MergeResult =
  /** `where` is 'ref' when only the branch ref moved, or the checkout path where git's own merge ran. */
  | { kind: 'fast-forward'; commit: string; where: 'ref' | string }
  | { kind: 'merged'; commit: string; where: 'ref' | string }
  | { kind: 'up-to-date' }
  | { kind: 'conflict'; files: string[] }
  /** Local changes in the checkout holding the base would be overwritten; nothing was changed. */
  | { kind: 'local-changes'; path: string; files: string[] }
  /** The checkout holding the base is mid-merge/rebase/…; nothing was changed. */
  | { kind: 'checkout-busy'; path: string; operation: string }
  /** git merge in the checkout failed anyway; the checkout was put back (merge --abort when this merge started one). */
  | { kind: 'merge-failed'; path: string; detail: string; aborted: boolean }
  /** The base or branch moved since the preview the person confirmed. */
  | { kind: 'changed'; detail: string }
  | { kind: 'not-a-branch'; baseRef: string }
  | { kind: 'dirty'; count: number }

/** The base and branch commits the person saw in the preview; the merge refuses if either moved. */
export interface MergeExpectation {
  base: string
  head: string
}

/**
 * Merges the thread's HEAD into its base branch.
 *
 * - Base not checked out anywhere: refs only. A fast-forward is `update-ref` with the old value as a guard;
 *   otherwise the merge commit is built from `git merge-tree --write-tree` with `commit-tree`, then `update-ref`.
 * - Base checked out (usually the person's own repository): only after merge-tree proved there is no conflict
 *   and no local change there touches a file the merge writes, git's own merge runs in that checkout:
 *   `git merge --ff-only <sha>` when the base is an ancestor of the branch, else `git merge --no-ff --no-edit -m`.
 *   git refuses to overwrite local changes itself; if it fails anyway, a merge state this call created is
 *   aborted, so no half-merged checkout is left.
 *
 * Always fast-forwards when possible (no merge commit for a linear history), on both paths.
 */
export async function mergeIntoBase(
  git: GitRunner,
  worktree: string,
  baseBranch: string,
  message: string,
  expect?: MergeExpectation
): Promise<MergeResult> {
  const preview = await mergePreview(git, worktree, baseBranch)
  if (preview.kind === 'not-a-branch') return preview
  const dirty = (await git.run(worktree, ['status', '--porcelain', '--untracked-files=all'])).split('\n').filter(Boolean)
  if (dirty.length) return { kind: 'dirty', count: dirty.length }
  const plan = preview.plan
  if (expect && (expect.base !== plan.base || expect.head !== plan.head)) {
    const what = expect.base !== plan.base ? `${baseBranch} moved` : 'the thread has new commits'
    return { kind: 'changed', detail: `${what} since the preview` }
  }
  if (plan.upToDate) return { kind: 'up-to-date' }
  if (plan.conflicts.length) return { kind: 'conflict', files: plan.conflicts }
  if (plan.checkedOutIn) return mergeInCheckout(git, plan, plan.checkedOutIn, message)
  const ref = `refs/heads/${baseBranch}`
  if (plan.fastForward) {
    // The old value guards against the branch moving meanwhile.
    await git.run(worktree, ['update-ref', '-m', message, ref, plan.head, plan.base])
    return { kind: 'fast-forward', commit: plan.head, where: 'ref' }
  }
  const commit = (
    await git.run(worktree, ['commit-tree', plan.tree!, '-p', plan.base, '-p', plan.head, '-m', message], { env: SKEIN_IDENTITY })
  ).trim()
  await git.run(worktree, ['update-ref', '-m', message, ref, commit, plan.base])
  return { kind: 'merged', commit, where: 'ref' }
}

async function mergeInCheckout(git: GitRunner, plan: MergePlan, checkout: string, message: string): Promise<MergeResult> {
  if (plan.checkoutBusy) return { kind: 'checkout-busy', path: checkout, operation: plan.checkoutBusy }
  if (plan.localChanges.length) return { kind: 'local-changes', path: checkout, files: plan.localChanges }
  // The checkout must still be on the base at the previewed commit.
  const at = await git.exec(checkout, ['rev-parse', '--verify', '--quiet', 'HEAD'])
  const on = await git.exec(checkout, ['symbolic-ref', '--quiet', 'HEAD'])
  if (at.stdout.trim() !== plan.base || on.stdout.trim() !== `refs/heads/${plan.baseRef}`)
    return { kind: 'changed', detail: `${checkout} is no longer on ${plan.baseRef} at ${plan.base.slice(0, 8)}` }
  const mergeHead = (await git.run(checkout, ['rev-parse', '--path-format=absolute', '--git-path', 'MERGE_HEAD'])).trim()
  const args = plan.fastForward
    ? ['merge', '--ff-only', '--no-edit', plan.head]
    : ['merge', '--no-ff', '--no-edit', '-m', message, plan.head]
  const r = await git.exec(checkout, args, { env: SKEIN_IDENTITY })
  if (r.exitCode !== 0) {
    // Only this merge's own state is undone; the preview proved none existed before.
    let aborted = false
    if (existsSync(mergeHead)) aborted = (await git.exec(checkout, ['merge', '--abort'])).exitCode === 0
    return { kind: 'merge-failed', path: checkout, detail: (r.stderr || r.stdout).trim(), aborted }
  }
  const commit = (await git.run(checkout, ['rev-parse', 'HEAD'])).trim()
  return { kind: plan.fastForward ? 'fast-forward' : 'merged', commit, where: checkout }
}
