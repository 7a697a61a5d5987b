import type { GitRunner } from './git-runner'

/** A commit object's parts. */
export interface CommitParts {
  id: string
  tree: string
  parents: string[]
  /** Everything after the headers. */
  message: string
}

/** Reads several commits (any revision syntax) through one `cat-file --batch`; null where one is missing or not a commit. */
export async function readCommits(git: GitRunner, cwd: string, revs: readonly string[]): Promise<Array<CommitParts | null>> {
  if (revs.length === 0) return []
  const out = await git.withInput(cwd, ['cat-file', '--batch'], Buffer.from(revs.map((r) => `${r}\n`).join('')))
  if (out.exitCode !== 0) return revs.map(() => null)
  const found: Array<CommitParts | null> = []
  let at = 0
  for (let i = 0; i < revs.length; i++) {
    const eol = out.stdout.indexOf(0x0a, at)
    if (eol < 0) return [...found, ...revs.slice(i).map(() => null)]
    // "<oid> <type> <size>" then the object and a newline, or "<rev> missing".
    const header = out.stdout.subarray(at, eol).toString('latin1').split(' ')
    at = eol + 1
    if (header.length !== 3) {
      found.push(null)
      continue
    }
    const size = Number(header[2])
    const body = out.stdout.subarray(at, at + size).toString('utf8')
    at += size + 1
    found.push(header[1] === 'commit' ? parseCommit(header[0]!, body) : null)
  }
  return found
}

function parseCommit(id: string, text: string): CommitParts {
  const end = text.indexOf('\n\n')
  const headers = (end < 0 ? text : text.slice(0, end)).split('\n')
  const parts: CommitParts = { id, tree: '', parents: [], message: end < 0 ? '' : text.slice(end + 2) }
  for (const h of headers) {
    if (h.startsWith('tree ')) parts.tree = h.slice(5)
    else if (h.startsWith('parent ')) parts.parents.push(h.slice(7))
  }
  return parts
}
