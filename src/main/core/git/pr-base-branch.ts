import type { GitRunner } from './git-runner'

/**
 * The branch on the remote a pull request from this worktree should merge into, from the thread's
 * base ref: `main`, `refs/heads/main`, `origin/main` and `refs/remotes/origin/main` all give `main`.
 * A base that is no branch (a commit, a tag, HEAD) gives the remote's default branch as this clone
 * last saw it (`refs/remotes/<remote>/HEAD`), else null. Reads local refs only, no network.
 */
export async function prBaseBranch(git: GitRunner, worktree: string, baseRef: string): Promise<string | null> {
  const remotes = (await git.exec(worktree, ['remote'])).stdout
    .split('\n')
    .map((r) => r.trim())
    .filter(Boolean)
  let name = baseRef.replace(/^refs\/heads\//, '')
  const tracking = /^refs\/remotes\/([^/]+)\/(.+)$/.exec(name)
  if (tracking) name = tracking[2]!
  else {
    const remote = remotes.find((r) => name.startsWith(`${r}/`))
    if (remote) name = name.slice(remote.length + 1)
  }
  const isBranch =
    name !== 'HEAD' &&
    !name.startsWith('-') &&
    ((await git.exec(worktree, ['show-ref', '--verify', '--quiet', `refs/heads/${name}`])).exitCode === 0 ||
      (remotes.length > 0 &&
        (await git.exec(worktree, ['for-each-ref', '--count=1', '--format=%(refname)', `refs/remotes/*/${name}`])).stdout.trim() !== ''))
  if (isBranch) return name
  const remote = remotes.includes('origin') ? 'origin' : remotes[0]
  if (!remote) return null
  const head = await git.exec(worktree, ['symbolic-ref', '--quiet', '--short', `refs/remotes/${remote}/HEAD`])
  const short = head.stdout.trim()
  return head.exitCode === 0 && short.startsWith(`${remote}/`) ? short.slice(remote.length + 1) : null
}
