import type { GitOutput, GitRunner } from './git-runner'

/**
 * Runs git as a plain child process (GitRunner.withInput), for commands that print nothing or
 * little: simple-git waits 50 ms after any command that printed nothing (its completion check),
 * which would dominate update-ref, read-tree or update-index. stdout comes back as UTF-8 text.
 */
export async function spawnGit(git: GitRunner, cwd: string, args: readonly string[], env?: Record<string, string>): Promise<GitOutput> {
  const out = await git.withInput(cwd, args, Buffer.alloc(0), env ? { env } : {})
  return { exitCode: out.exitCode, stdout: out.stdout.toString('utf8'), stderr: out.stderr }
}

/** The same, throwing when git exits non-zero (for calls that cannot fail expectedly). */
export async function spawnGitOk(git: GitRunner, cwd: string, args: readonly string[], env?: Record<string, string>): Promise<string> {
  const out = await spawnGit(git, cwd, args, env)
  if (out.exitCode !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${out.stderr.trim()}`)
  return out.stdout
}
