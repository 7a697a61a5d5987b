import type { GitRunner } from './git-runner'

/** One object read by `cat-file --batch`: its id, type and raw bytes. */
export interface CatObject {
  id: string
  type: string
  bytes: Buffer
}

/** Many objects (any revision syntax) through one `git cat-file --batch`, in the order asked; null where one is missing. */
export async function catObjects(git: GitRunner, cwd: string, names: readonly string[]): Promise<Array<CatObject | null>> {
  if (names.length === 0) return []
  const out = await git.withInput(cwd, ['cat-file', '--batch'], Buffer.from(names.map((n) => `${n}\n`).join('')))
  if (out.exitCode !== 0) return names.map(() => null)
  const found: Array<CatObject | null> = []
  let at = 0
  for (let i = 0; i < names.length; i++) {
    const eol = out.stdout.indexOf(0x0a, at)
    if (eol < 0) return [...found, ...names.slice(i).map(() => null)]
    // "<oid> <type> <size>" then the bytes and a newline, or "<name> missing".
    const header = out.stdout.subarray(at, eol).toString('latin1').split(' ')
    at = eol + 1
    if (header.length !== 3) {
      found.push(null)
      continue
    }
    const size = Number(header[2])
    found.push({ id: header[0]!, type: header[1]!, bytes: Buffer.from(out.stdout.subarray(at, at + size)) })
    at += size + 1
  }
  return found
}

/**
 * The raw bytes of many blobs through one `git cat-file --batch`, in the order asked; null where
 * an object is missing or not a blob. One process instead of one per file: restoring 3,000 files
 * this way takes a fraction of a second instead of many.
 */
export async function catBlobs(git: GitRunner, cwd: string, ids: readonly string[]): Promise<Array<Buffer | null>> {
  return (await catObjects(git, cwd, ids)).map((o) => (o && o.type === 'blob' ? o.bytes : null))
}
