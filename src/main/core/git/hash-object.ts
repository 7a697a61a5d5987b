import type { GitRunner } from './git-runner'

// Keeps each command line far below ARG_MAX (and Windows' 32k) however many files there are.
const MAX_ARGS_CHARS = 24_000

/**
 * Writes files' raw bytes as blobs, with no clean filter and no end-of-line conversion, so a blob
 * always equals the file byte-for-byte. Returns the blob ids in the order of `paths`.
 */
export async function hashFilesRaw(git: GitRunner, cwd: string, paths: readonly string[]): Promise<string[]> {
  const ids: string[] = []
  for (const batch of batches(paths)) {
    const out = await git.run(cwd, ['hash-object', '-w', '--no-filters', '--', ...batch])
    const got = out.split('\n').filter(Boolean)
    if (got.length !== batch.length) throw new Error(`git hash-object returned ${got.length} ids for ${batch.length} files`)
    ids.push(...got)
  }
  return ids
}

/** Splits arguments into runs whose joined length stays under the command-line budget. */
export function batches(args: readonly string[], budget = MAX_ARGS_CHARS): string[][] {
  const out: string[][] = []
  let cur: string[] = []
  let size = 0
  for (const a of args) {
    if (cur.length > 0 && size + a.length + 1 > budget) {
      out.push(cur)
      cur = []
      size = 0
    }
    cur.push(a)
    size += a.length + 1
  }
  if (cur.length > 0) out.push(cur)
  return out
}
