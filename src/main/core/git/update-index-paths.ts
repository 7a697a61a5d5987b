import type { GitRunner } from './git-runner'

/**
 * Records each path's version on disk in `indexFile` (never the real index): new files are added,
 * missing ones removed, a file that became a folder (or back) replaced; exec bits and symlinks are
 * kept as git keeps them. Paths are byte strings (latin1), fed NUL-separated on stdin.
 */
export async function updateIndexPaths(git: GitRunner, worktree: string, indexFile: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return
  const input = Buffer.from(paths.map((p) => `${p}\0`).join(''), 'latin1')
  const args = ['update-index', '--add', '--remove', '--replace', '-z', '--stdin']
  const out = await git.withInput(worktree, args, input, { env: { GIT_INDEX_FILE: indexFile } })
  if (out.exitCode !== 0) throw new Error(`git update-index failed in ${worktree}: ${out.stderr.trim()}`)
}
