// Paths inside the checkpoint layer are byte strings: git's output decoded as latin1, one char per
// byte, so a file name that is not UTF-8 survives the round trip to git and the file system.

/** A byte-string path as text for people (UTF-8 decoded). */
export const pathText = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8')

/** A text path (from a client, or stored as text) as a byte string. */
export const pathBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1')

/** The absolute file-system path of a worktree-relative byte-string path. */
export const absPath = (worktree: string, bytes: string): Buffer =>
  Buffer.concat([Buffer.from(`${worktree}/`), Buffer.from(bytes, 'latin1')])

/** The folders above a relative path, outermost first (`a/b/c` → `a`, `a/b`). */
export function parentsOf(path: string): string[] {
  const out: string[] = []
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i))
  return out
}
