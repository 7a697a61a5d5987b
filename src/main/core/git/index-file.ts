import { lstat, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { GitRunner } from './git-runner'
import { spawnGitOk } from './spawn-git'

/**
 * A checkout's index file, absolute: `.git/index`, or for a linked worktree the index in the git
 * dir its `.git` file names. Read from the `.git` entry when `worktree` is the top folder (no git
 * process); otherwise asked of git.
 */
export async function indexFileOf(git: GitRunner, worktree: string): Promise<string> {
  const dotGit = join(worktree, '.git')
  const st = await lstat(dotGit).catch(() => null)
  if (st?.isDirectory()) return join(dotGit, 'index')
  if (st?.isFile()) {
    const m = /^gitdir: (.+)$/m.exec(await readFile(dotGit, 'utf8').catch(() => ''))
    if (m) return resolve(worktree, m[1]!.trim(), 'index')
  }
  return resolve(worktree, (await spawnGitOk(git, worktree, ['rev-parse', '--git-path', 'index'])).trim())
}
