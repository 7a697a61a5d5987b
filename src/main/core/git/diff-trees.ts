import type { GitRunner } from './git-runner'

/** A path that differs between two trees (no rename pairing); a side without the path has mode 000000. */
export interface TreeChange {
  /** Byte string (latin1), as git printed it. */
  path: string
  oldMode: string
  newMode: string
  oldId: string
  newId: string
  /** A(dded), D(eleted), M(odified) or T(ype changed: file, symlink or submodule). */
  status: 'A' | 'D' | 'M' | 'T'
}

/** Every path that differs between trees `from` and `to`, recursively, with both modes and blob ids. */
export async function diffTrees(git: GitRunner, cwd: string, from: string, to: string): Promise<TreeChange[]> {
  if (from === to) return []
  const out = await git.withInput(cwd, ['diff-tree', '-r', '-z', '--no-renames', '--raw', '--no-abbrev', from, to], Buffer.alloc(0))
  if (out.exitCode !== 0) throw new Error(`git diff-tree ${from} ${to} failed: ${out.stderr.trim()}`)
  const parts = out.stdout.toString('latin1').split('\0')
  const changes: TreeChange[] = []
  for (let i = 0; i + 1 < parts.length; i += 2) {
    // ":oldmode newmode oldid newid status" then the path.
    const [oldMode, newMode, oldId, newId, status] = parts[i]!.slice(1).split(' ')
    changes.push({
      path: parts[i + 1]!,
      oldMode: oldMode!,
      newMode: newMode!,
      oldId: oldId!,
      newId: newId!,
      status: status![0] as TreeChange['status']
    })
  }
  return changes
}

/** `diff-tree --numstat` of the same two trees, as latin1 text for change-set's parser. */
export async function diffTreesNumstat(git: GitRunner, cwd: string, from: string, to: string): Promise<string> {
  if (from === to) return ''
  const out = await git.withInput(cwd, ['diff-tree', '-r', '-z', '--no-renames', '--numstat', from, to], Buffer.alloc(0))
  if (out.exitCode !== 0) throw new Error(`git diff-tree --numstat ${from} ${to} failed: ${out.stderr.trim()}`)
  return out.stdout.toString('latin1')
}
