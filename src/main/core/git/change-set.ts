import type { ChangedFile } from '../../../shared/review'
import type { CachedWorktree, ChangeSetCache, FileStat } from './change-set-cache'
import type { GitRunner } from './git-runner'
import { writeWorkingTree } from './working-tree'

/** What a change set is measured against: the branch's merge-base with its base ref, or HEAD (uncommitted only). */
export type ChangeScope = { kind: 'base'; baseRef: string } | { kind: 'uncommitted' }

/** The outcome of computing a change set. */
export type ChangeSetResult = { kind: 'ok'; baseCommit: string; files: ChangedFile[] } | { kind: 'bad-base'; detail: string }

const STATUS: Record<string, ChangedFile['status']> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'added',
  T: 'type-changed'
}

/** Past this many files without cached counts, or with a rename among them, --numstat runs on the whole tree. */
const MAX_PATHSPEC = 200

/**
 * The thread's changes: committed work on its branch, staged and unstaged edits, untracked files,
 * deletions, renames and binaries, compared with the merge-base of HEAD and the base ref (or with
 * HEAD for uncommitted changes only). Reads only; the worktree's index and files are untouched.
 * With a cache, a repeated call hashes only what changed and counts lines only of new versions.
 */
export async function computeChangeSet(
  git: GitRunner,
  worktree: string,
  scope: ChangeScope,
  cache?: ChangeSetCache
): Promise<ChangeSetResult> {
  if (cache) return cache.with(git, worktree, (cached) => compute(git, worktree, scope, cached))
  return compute(git, worktree, scope, null)
}

interface RawEntry {
  path: string
  oldPath: string | null
  letter: string
  version: string
}

async function compute(git: GitRunner, worktree: string, scope: ChangeScope, cached: CachedWorktree | null): Promise<ChangeSetResult> {
  const resolved = await resolveBase(git, worktree, scope)
  if (resolved.kind === 'bad-base') return resolved
  const base = resolved.commit
  const tree = await writeWorkingTree(git, worktree, cached ?? undefined)
  const raw = ['diff-tree', '-r', '-z', '-M', '--raw', '--abbrev=40', base, tree]
  const numstat = ['diff-tree', '-r', '-z', '-M', '--numstat', base, tree]
  let entries: RawEntry[]
  let stats: Map<string, FileStat>
  if (!cached) {
    const [names, counts] = await Promise.all([git.run(worktree, raw), git.run(worktree, numstat)])
    entries = parseRaw(names)
    stats = parseNumstat(counts)
  } else {
    entries = parseRaw(await git.run(worktree, raw))
    cached.useAttributes(
      entries
        .filter((e) => e.path === '.gitattributes' || e.path.endsWith('/.gitattributes'))
        .map((e) => `${e.path}@${e.version}`)
        .join('\n')
    )
    stats = new Map()
    const missing: RawEntry[] = []
    for (const e of entries) {
      const s = cached.stat(e.path, e.version)
      if (s) stats.set(e.path, s)
      else missing.push(e)
    }
    if (missing.length > 0) {
      // A few new versions (an agent's latest edits): count just those. Renames pair across the whole tree, so they need it all.
      const limited = missing.length <= MAX_PATHSPEC && missing.every((e) => e.oldPath === null)
      const fresh = parseNumstat(
        await git.run(worktree, limited ? [...numstat, '--', ...missing.map((e) => `:(literal)${e.path}`)] : numstat)
      )
      for (const e of missing) {
        const s = fresh.get(e.path)
        if (!s) continue
        stats.set(e.path, s)
        cached.remember(e.path, e.version, s)
      }
    }
  }
  const files: ChangedFile[] = entries.map((e) => {
    const s = stats.get(e.path)
    return {
      path: e.path,
      oldPath: e.letter === 'R' ? e.oldPath : null,
      status: STATUS[e.letter] ?? 'modified',
      binary: s?.binary ?? false,
      additions: s?.binary ? null : (s?.additions ?? 0),
      deletions: s?.binary ? null : (s?.deletions ?? 0),
      version: e.version
    }
  })
  return { kind: 'ok', baseCommit: base, files: files.sort((a, b) => a.path.localeCompare(b.path)) }
}

/** Parses `diff-tree -z --raw`: ":oldmode newmode oldblob newblob status" then the path(s). */
function parseRaw(names: string): RawEntry[] {
  const out: RawEntry[] = []
  const parts = names.split('\0')
  for (let i = 0; i < parts.length - 1;) {
    const header = parts[i++]!
    if (!header) continue
    const [, , oldBlob, newBlob, code] = header.slice(1).split(' ')
    const letter = code![0]!
    const renamed = letter === 'R' || letter === 'C'
    const oldPath = renamed ? parts[i++]! : null
    const path = parts[i++]!
    out.push({ path, oldPath, letter, version: `${oldBlob}..${newBlob}` })
  }
  return out
}

/** The commit a scope compares with: the merge-base of HEAD and the base ref, or HEAD itself. */
export async function resolveBase(
  git: GitRunner,
  worktree: string,
  scope: ChangeScope
): Promise<{ kind: 'ok'; commit: string } | { kind: 'bad-base'; detail: string }> {
  if (scope.kind === 'uncommitted') return { kind: 'ok', commit: (await git.run(worktree, ['rev-parse', 'HEAD'])).trim() }
  const mb = await git.exec(worktree, ['merge-base', 'HEAD', '--end-of-options', scope.baseRef])
  if (mb.exitCode !== 0) return { kind: 'bad-base', detail: mb.stderr.trim() || `${scope.baseRef} has no common history with HEAD` }
  return { kind: 'ok', commit: mb.stdout.trim() }
}

/** Line counts by path from `diff-tree -z --numstat` output (binary files flagged, renames under their new path). */
export function parseNumstat(out: string): Map<string, FileStat> {
  const stats = new Map<string, FileStat>()
  const parts = out.split('\0')
  for (let i = 0; i < parts.length; i++) {
    const field = parts[i]!
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(field)
    if (!m) continue
    // A rename leaves the path empty here, followed by the old and new paths.
    const path = m[3] ? m[3] : ((i += 2), parts[i]!)
    const binary = m[1] === '-'
    stats.set(path, { additions: binary ? 0 : Number(m[1]), deletions: binary ? 0 : Number(m[2]), binary })
  }
  return stats
}
