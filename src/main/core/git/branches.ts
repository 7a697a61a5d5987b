import type { GitRunner } from './git-runner'

/** Local and remote-tracking branch names, local first, for base-ref completion. */
export async function listBranches(git: GitRunner, repoRoot: string): Promise<string[]> {
  const out = await git.run(repoRoot, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes'])
  const local: string[] = []
  const remote: string[] = []
  for (const ref of out.split('\n')) {
    if (ref.startsWith('refs/heads/')) local.push(ref.slice('refs/heads/'.length))
    else if (ref.startsWith('refs/remotes/') && !ref.endsWith('/HEAD')) remote.push(ref.slice('refs/remotes/'.length))
  }
  return [...local, ...remote]
}

/** Whether a ref name resolves to a commit. */
export async function resolveCommit(git: GitRunner, repoRoot: string, ref: string): Promise<string | null> {
  const out = await git.exec(repoRoot, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
  return out.exitCode === 0 ? out.stdout.trim() : null
}
