import type { ChangedFile } from '../../../shared/review'
import type { GitRunner } from './git-runner'
import { writeWorkingTree } from './working-tree'

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
  const resolved = await resolveBase(git, worktree, scope)
  if (resolved.kind === 'bad-base') return resolved
  const base = resolved.commit
  const tree = await writeWorkingTree(git, worktree)
  const [names, counts] = await Promise.all([
    git.run(worktree, ['diff-tree', '-r', '-z', '-M', '--raw', '--abbrev=40', base, tree]),
    git.run(worktree, ['diff-tree', '-r', '-z', '-M', '--numstat', base, tree])
  ])
  const stats = parseNumstat(counts)
  const files: ChangedFile[] = []
  const parts = names.split('\0')
  for (let i = 0; i < parts.length - 1; ) {
    // --raw: ":oldmode newmode oldblob newblob status" then the path(s).
    const header = parts[i++]!
    if (!header) continue
    const [, , oldBlob, newBlob, code] = header.slice(1).split(' ')
    const letter = code![0]!
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
      deletions: s?.binary ? null : (s?.deletions ?? 0),
      version: `${oldBlob}..${newBlob}`
    })
  }
  return { kind: 'ok', baseCommit: base, files: files.sort((a, b) => a.path.localeCompare(b.path)) }
}

/** The commit a scope compares with: the merge-base of HEAD and the base ref, or HEAD itself. */
export async function resolveBase(git: GitRunner, worktree: string, scope: ChangeScope): Promise<{ kind: 'ok'; commit: string } | { kind: 'bad-base'; detail: string }> {
  if (scope.kind === 'uncommitted') return { kind: 'ok', commit: (await git.run(worktree, ['rev-parse', 'HEAD'])).trim() }
  const mb = await git.exec(worktree, ['merge-base', 'HEAD', '--end-of-options', scope.baseRef])
  if (mb.exitCode !== 0) return { kind: 'bad-base', detail: mb.stderr.trim() || `${scope.baseRef} has no common history with HEAD` }
  return { kind: 'ok', commit: mb.stdout.trim() }
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
