import type { GitRunner } from './git-runner'
import { SKEIN_IDENTITY } from './skein-identity'

/** Makes a commit of `tree` with `parents`, as Skein, without touching any ref, index or file. */
export async function commitTree(git: GitRunner, cwd: string, tree: string, parents: readonly string[], message: string): Promise<string> {
  const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message]
  return (await git.run(cwd, args, { env: SKEIN_IDENTITY })).trim()
}
