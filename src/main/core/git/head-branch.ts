import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { GitRunner } from './git-runner'

/**
 * The branch the repository's own checkout is on, or null when HEAD is detached.
 * Reads HEAD directly (one file read instead of a process); falls back to git for odd layouts.
 */
export async function readHeadBranch(git: GitRunner, repoRoot: string, commonDir: string): Promise<string | null> {
  try {
    const head = (await readFile(join(commonDir, 'HEAD'), 'utf8')).trim()
    if (head.startsWith('ref: refs/heads/')) return head.slice('ref: refs/heads/'.length)
    if (/^[0-9a-f]{40,64}$/.test(head)) return null
  } catch {
    // fall through to git
  }
  const out = await git.exec(repoRoot, ['symbolic-ref', '--short', 'HEAD'])
  return out.exitCode === 0 ? out.stdout.trim() : null
}
