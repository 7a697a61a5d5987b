import type { GitRunner } from './git-runner'
import { writeWorkingTree } from './working-tree'

/** One changed file of a thread. */
export interface ChangedFile {
  path: string
  /** The path before a rename. */
  oldPath: string | null
  status: 'added' | 'modified' | 'deleted' | 'renamed' | 'type-changed'
  binary: boolean
  /** Line counts; null for binary files. */
  additions: number | null
  deletions: number | null
}

/** What a change set is measured against: the branch's merge-base with its base ref, or HEAD (uncommitted only). */
export type ChangeScope = { kind: 'base'; baseRef: string } | { kind: 'uncommitted' }

/** The outcome of computing a change set. */
export type ChangeSetResult =
  | { kind: 'ok'; baseCommit: string; files: ChangedFile[] }
  | { kind: 'bad-base'; detail: string }

const STATUS: Record<string, ChangedFile['status']> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'added', T: 'type-changed' }

/**
 * The thread's changes: committed work on its branch, staged and unstaged edits, untracked files,
 * deletions, renames and binaries, compared with the merge-base of HEAD and the base ref (or with
 * HEAD for uncommitted changes only). Reads only; the worktree's index and files are untouched.
 */
export async function computeChangeSet(git: GitRunner, worktree: string, scope: ChangeScope): Promise<ChangeSetResult> {
  let base: string
  if (scope.kind === 'uncommitted') {
    base = (await git.run(worktree, ['rev-parse', 'HEAD'])).trim()
  } else {
    const mb = await git.exec(worktree, ['merge-base', 'HEAD', '--end-of-options', scope.baseRef])
    if (mb.exitCode !== 0) return { kind: 'bad-base', detail: mb.stderr.trim() || `${scope.baseRef} has no common history with HEAD` }
    base = mb.stdout.trim()
  }
  const tree = await writeWorkingTree(git, worktree)
  const [names, counts] = await Promise.all([
    git.run(worktree, ['diff-tree', '-r', '-z', '-M', '--name-status', base, tree]),
    git.run(worktree, ['diff-tree', '-r', '-z', '-M', '--numstat', base, tree])
  ])
  const stats = parseNumstat(counts)
  const files: ChangedFile[] = []
  const parts = names.split('\0')
  for (let i = 0; i < parts.length - 1; ) {
    const code = parts[i++]!
    if (!code) continue
    const letter = code[0]!
    const renamed = letter === 'R' || letter === 'C'
    const oldPath = renamed ? parts[i++]! : null
    const path = parts[i++]!
    const s = stats.get(path)
    files.push({
      path,
      oldPath: letter === 'R' ? oldPath : null,
      status: STATUS[letter] ?? 'modified',
      binary: s?.binary ?? false,
      additions: s?.binary ? null : (s?.additions ?? 0),
      deletions: s?.binary ? null : (s?.deletions ?? 0)
    })
  }
  return { kind: 'ok', baseCommit: base, files: files.sort((a, b) => a.path.localeCompare(b.path)) }
}

function parseNumstat(out: string): Map<string, { additions: number; deletions: number; binary: boolean }> {
  const stats = new Map<string, { additions: number; deletions: number; binary: boolean }>()
  const parts = out.split('\0')
  for (let i = 0; i < parts.length; i++) {
    const field = parts[i]!
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(field)
    if (!m) continue
    // A rename leaves the path empty here, followed by the old and new paths.
    const path = m[3] ? m[3] : (i += 2, parts[i]!)
    const binary = m[1] === '-'
    stats.set(path, { additions: binary ? 0 : Number(m[1]), deletions: binary ? 0 : Number(m[2]), binary })
  }
  return stats
}
