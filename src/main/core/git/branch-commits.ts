import type { GitRunner } from './git-runner'

/** One commit on a thread's branch that its base does not have. */
export interface BranchCommit {
  sha: string
  short: string
  subject: string
  author: string
  /** Author time, in ms since the epoch. */
  time: number
  /** Parent shas (two or more for a merge commit, none for a root commit). */
  parents: string[]
}

/** The branch's own commits, newest first, or why the base cannot be compared. */
export type BranchCommitsResult = { kind: 'ok'; commits: BranchCommit[]; more: number } | { kind: 'bad-base'; detail: string }

/** At most this many commits are listed; `more` says how many were left out. */
export const BRANCH_COMMIT_LIMIT = 200

/**
 * The commits `base..HEAD` in a worktree: what the branch has that its base ref has not (`git log`,
 * newest first, the first 200), with how many more there are. Reads only.
 */
export async function branchCommits(
  git: GitRunner,
  worktree: string,
  baseRef: string,
  limit = BRANCH_COMMIT_LIMIT
): Promise<BranchCommitsResult> {
  const base = await git.exec(worktree, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${baseRef}^{commit}`])
  if (base.exitCode !== 0) return { kind: 'bad-base', detail: `${baseRef} is not a commit here` }
  const range = `${base.stdout.trim()}..HEAD`
  const [log, count] = await Promise.all([
    git.run(worktree, ['log', '-z', `--max-count=${limit}`, '--format=%H%x1f%h%x1f%an%x1f%at%x1f%P%x1f%s', range, '--']),
    git.run(worktree, ['rev-list', '--count', range, '--'])
  ])
  const commits = log
    .split('\0')
    .filter(Boolean)
    .map((record): BranchCommit => {
      const [sha, short, author, at, parents, subject] = record.replace(/^\n/, '').split('\x1f')
      return {
        sha: sha!,
        short: short!,
        subject: subject ?? '',
        author: author ?? '',
        time: Number(at) * 1000,
        parents: parents ? parents.split(' ') : []
      }
    })
  return { kind: 'ok', commits, more: Math.max(0, Number(count.trim()) - commits.length) }
}
