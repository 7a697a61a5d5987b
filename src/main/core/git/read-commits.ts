import { catObjects } from './cat-blobs'
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
  return (await catObjects(git, cwd, revs)).map((o) => (o && o.type === 'commit' ? parseCommit(o.id, o.bytes.toString('utf8')) : null))
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
