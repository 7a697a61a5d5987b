import type { GitRunner } from './git-runner'

/**
 * The raw bytes of many blobs through one `git cat-file --batch`, in the order asked; null where
 * an object is missing. One process instead of one per file: restoring 3,000 files this way takes
 * a fraction of a second instead of many.
 */
export async function catBlobs(git: GitRunner, cwd: string, ids: readonly string[]): Promise<Array<Buffer | null>> {
  if (ids.length === 0) return []
  const out = await git.withInput(cwd, ['cat-file', '--batch'], Buffer.from(ids.map((id) => `${id}\n`).join('')))
  if (out.exitCode !== 0) return ids.map(() => null)
  const found: Array<Buffer | null> = []
  let at = 0
  for (let i = 0; i < ids.length; i++) {
    const eol = out.stdout.indexOf(0x0a, at)
    if (eol < 0) return [...found, ...ids.slice(i).map(() => null)]
    // "<oid> <type> <size>" then the bytes and a newline, or "<name> missing".
    const header = out.stdout.subarray(at, eol).toString('latin1').split(' ')
    at = eol + 1
    if (header.length !== 3) {
      found.push(null)
      continue
    }
    const size = Number(header[2])
    found.push(header[1] === 'blob' ? Buffer.from(out.stdout.subarray(at, at + size)) : null)
    at += size + 1
  }
  return found
}
