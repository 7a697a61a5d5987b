import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GitRunner } from './git-runner'
import { batches } from './hash-object'

/** One entry of a tree to build: a git mode (100644, 100755, 120000), an existing blob id and a path. */
export interface TreeEntry {
  mode: string
  id: string
  path: string
}

/** Writes a tree object holding exactly `entries`, through a scratch index (the real one is untouched). */
export async function buildTree(git: GitRunner, cwd: string, entries: readonly TreeEntry[]): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'skein-tree-'))
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') }
    // `mode,id,path` keeps commas and newlines in the path intact: git splits at the first two commas only.
    const args = entries.map((e) => `${e.mode},${e.id},${e.path}`)
    for (const batch of batches(args)) {
      await git.run(cwd, ['update-index', '--add', ...batch.flatMap((a) => ['--cacheinfo', a])], { env })
    }
    return (await git.run(cwd, ['write-tree'], { env })).trim()
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}
