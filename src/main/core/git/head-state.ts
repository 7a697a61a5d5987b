import type { GitRunner } from './git-runner'

/** A checkout's HEAD: the commit (null on an unborn branch) and the branch ref (null when detached). */
export interface HeadState {
  commit: string | null
  branch: string | null
}

/** Reads HEAD of a checkout without changing anything. */
export async function readHeadState(git: GitRunner, cwd: string): Promise<HeadState> {
  const commit = await git.exec(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])
  const branch = await git.exec(cwd, ['symbolic-ref', '--quiet', 'HEAD'])
  return { commit: commit.exitCode === 0 ? commit.stdout.trim() : null, branch: branch.exitCode === 0 ? branch.stdout.trim() : null }
}
