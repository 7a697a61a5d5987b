import type { GitRunner } from './git-runner'

/** Ids of every blob the worktree's index refers to (all stages; submodule commits left out). */
export async function indexBlobIds(git: GitRunner, worktree: string): Promise<string[]> {
  const out = await git.run(worktree, ['ls-files', '--stage', '-z'])
  const ids = new Set<string>()
  for (const rec of out.split('\0')) {
    const m = /^(\d+) ([0-9a-f]+) \d\t/.exec(rec)
    if (m && m[1] !== '160000') ids.add(m[2]!)
  }
  return [...ids]
}
