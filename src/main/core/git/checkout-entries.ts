import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TreeEntry } from './build-tree'
import type { GitRunner } from './git-runner'

/**
 * Writes exactly `entries` (mode, blob id, byte-string path) into the worktree, replacing files in
 * the way, through a scratch index holding only them: the cost follows the entries, not the tree,
 * and the real index is untouched. Folders are made as needed; the repository's filters apply.
 */
export async function checkoutEntries(git: GitRunner, worktree: string, entries: readonly TreeEntry[]): Promise<void> {
  if (entries.length === 0) return
  const scratch = await mkdtemp(join(tmpdir(), 'skein-checkout-'))
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') }
    const info = Buffer.from(entries.map((e) => `${e.mode} ${e.id}\t${e.path}\0`).join(''), 'latin1')
    const staged = await git.withInput(worktree, ['update-index', '-z', '--index-info'], info, { env })
    if (staged.exitCode !== 0) throw new Error(`git update-index --index-info failed in ${worktree}: ${staged.stderr.trim()}`)
    const out = await git.withInput(worktree, ['checkout-index', '--all', '--force'], Buffer.alloc(0), { env })
    if (out.exitCode !== 0) throw new Error(`git checkout-index failed in ${worktree}: ${out.stderr.trim()}`)
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}
