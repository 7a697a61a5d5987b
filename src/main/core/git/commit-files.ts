import type { ChangedFile } from '../../../shared/review'
import type { GitRunner } from './git-runner'

const STATUS: Record<string, ChangedFile['status']> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'added',
  T: 'type-changed'
}

/** The files one commit changed against its first parent (a root commit against nothing), with line counts. */
export async function commitFiles(
  git: GitRunner,
  cwd: string,
  sha: string
): Promise<{ kind: 'ok'; files: ChangedFile[] } | { kind: 'missing' }> {
  const parents = await git.exec(cwd, ['rev-list', '--parents', '-n', '1', '--end-of-options', sha])
  if (parents.exitCode !== 0) return { kind: 'missing' }
  const [commit, parent] = parents.stdout.trim().split(' ')
  const range = parent ? [parent, commit!] : ['--root', commit!]
  const [raw, numstat] = await Promise.all([
    git.run(cwd, ['diff-tree', '-r', '-z', '-M', '--raw', '--abbrev=40', '--no-commit-id', ...range]),
    git.run(cwd, ['diff-tree', '-r', '-z', '-M', '--numstat', '--no-commit-id', ...range])
  ])
  const counts = new Map<string, { additions: number; deletions: number; binary: boolean }>()
  const stat = numstat.split('\0')
  for (let i = 0; i < stat.length; i++) {
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(stat[i]!)
    if (!m) continue
    const path = m[3] ? m[3] : ((i += 2), stat[i]!) // a rename: the old and new paths follow
    counts.set(path, { additions: m[1] === '-' ? 0 : Number(m[1]), deletions: m[2] === '-' ? 0 : Number(m[2]), binary: m[1] === '-' })
  }
  const files: ChangedFile[] = []
  const parts = raw.split('\0')
  for (let i = 0; i < parts.length - 1;) {
    const header = parts[i++]!
    if (!header.startsWith(':')) continue
    const [, , oldBlob, newBlob, code] = header.slice(1).split(' ')
    const letter = code![0]!
    const oldPath = letter === 'R' || letter === 'C' ? parts[i++]! : null
    const path = parts[i++]!
    const c = counts.get(path)
    files.push({
      path,
      oldPath: letter === 'R' ? oldPath : null,
      status: STATUS[letter] ?? 'modified',
      binary: c?.binary ?? false,
      additions: c?.binary ? null : (c?.additions ?? 0),
      deletions: c?.binary ? null : (c?.deletions ?? 0),
      version: `${oldBlob}..${newBlob}`
    })
  }
  return { kind: 'ok', files: files.sort((a, b) => a.path.localeCompare(b.path)) }
}
