import type { GitRunner } from './git-runner'

/** Branch names that exist on some remote (from refs/remotes, no network): `origin/skein/x` gives `skein/x`. */
export async function remoteBranches(git: GitRunner, repoPath: string): Promise<Set<string>> {
  const out = await git.exec(repoPath, ['for-each-ref', '--format=%(refname)', 'refs/remotes'])
  const names = new Set<string>()
  if (out.exitCode !== 0) return names
  for (const ref of out.stdout.split('\n')) {
    const m = /^refs\/remotes\/[^/]+\/(.+)$/.exec(ref.trim())
    if (m && m[1] !== 'HEAD') names.add(m[1]!)
  }
  return names
}
