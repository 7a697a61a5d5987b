import type { GitRunner } from './git-runner'

/** The hash a repository names objects with: sha1, or sha256 for repositories made that way. */
export async function objectFormat(git: GitRunner, cwd: string): Promise<'sha1' | 'sha256'> {
  const out = await git.exec(cwd, ['rev-parse', '--show-object-format'])
  return out.exitCode === 0 && out.stdout.trim() === 'sha256' ? 'sha256' : 'sha1'
}
