import type { GitRunner } from './git-runner'

/** A checkout's own git folder and the repository's shared one (the same for a main checkout). */
export interface GitDirs {
  gitDir: string
  commonDir: string
}

/** Where a checkout keeps its git data, or null when the folder is not in a repository. */
export async function gitDirs(git: GitRunner, cwd: string): Promise<GitDirs | null> {
  const out = await git.exec(cwd, ['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir'])
  if (out.exitCode !== 0) return null
  const [gitDir, commonDir] = out.stdout.trim().split('\n')
  return gitDir && commonDir ? { gitDir, commonDir } : null
}
