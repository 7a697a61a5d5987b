import { basename, dirname, resolve } from 'node:path'
import type { GitRunner } from './git-runner'

/** What `dir` is, as far as git is concerned. */
export type RepoInfo = { kind: 'repo'; root: string; commonDir: string } | { kind: 'bare' } | { kind: 'not-a-repo'; detail: string }

/** Finds the repository that holds `dir`; a linked worktree resolves to its main checkout. */
export async function readRepoInfo(git: GitRunner, dir: string): Promise<RepoInfo> {
  const out = await git.exec(dir, ['rev-parse', '--is-bare-repository', '--is-inside-git-dir', '--git-common-dir'])
  if (out.exitCode !== 0) return { kind: 'not-a-repo', detail: out.stderr.trim() }
  const [bare, insideGitDir, common] = out.stdout.trim().split('\n')
  if (bare === 'true') return { kind: 'bare' }
  const commonDir = resolve(dir, common ?? '.git')
  // The main checkout of a non-bare repository is the parent of its common `.git` dir.
  if (basename(commonDir) === '.git') return { kind: 'repo', root: dirname(commonDir), commonDir }
  if (insideGitDir === 'true') return { kind: 'not-a-repo', detail: `${dir} is inside a git metadata folder` }
  const top = await git.exec(dir, ['rev-parse', '--show-toplevel'])
  if (top.exitCode !== 0) return { kind: 'not-a-repo', detail: top.stderr.trim() }
  return { kind: 'repo', root: top.stdout.trim(), commonDir }
}
