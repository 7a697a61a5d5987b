import type { GitRunner } from './git-runner'

/** Removes a worktree and its admin dir. Callers must have checked ownership and saved its work. */
export async function removeWorktree(
  git: GitRunner,
  repoRoot: string,
  path: string
): Promise<{ ok: true } | { ok: false; detail: string }> {
  const out = await git.exec(repoRoot, ['worktree', 'remove', '--force', '--force', '--', path])
  return out.exitCode === 0 ? { ok: true } : { ok: false, detail: out.stderr.trim() }
}

/** Drops admin entries of worktrees whose folders are gone. */
export async function pruneWorktrees(git: GitRunner, repoRoot: string): Promise<void> {
  await git.run(repoRoot, ['worktree', 'prune'])
}
