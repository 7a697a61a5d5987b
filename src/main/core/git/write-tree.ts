import type { GitRunner } from './git-runner'
import { spawnGit } from './spawn-git'

/** The tree of an index file (a scratch copy: write-tree stores its cache in the index), or null when it has unmerged entries. */
export async function writeTreeOf(git: GitRunner, worktree: string, indexFile: string): Promise<string | null> {
  const out = await spawnGit(git, worktree, ['write-tree'], { GIT_INDEX_FILE: indexFile })
  return out.exitCode === 0 ? out.stdout.trim() : null
}
