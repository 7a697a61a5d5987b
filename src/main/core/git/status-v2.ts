import type { GitRunner } from './git-runner'

/** One entry of `git status --porcelain=v2`; paths are byte strings (latin1), as git printed them. */
export type StatusEntry =
  | { kind: 'changed'; xy: string; path: string; origPath: string | null }
  | { kind: 'unmerged'; xy: string; path: string }
  | { kind: 'untracked'; path: string }

/** A status scan: HEAD (null on an unborn branch), the branch (null when detached) and the entries. */
export interface StatusScan {
  head: string | null
  branch: string | null
  entries: StatusEntry[]
}

/**
 * Runs `git status --porcelain=v2 -z` over every untracked file (ignored ones left out), against
 * `indexFile` when given. `--no-optional-locks` keeps git from writing any index while it looks;
 * rename pairing and ahead/behind counts are skipped, as nothing here needs them.
 */
export async function statusScan(git: GitRunner, worktree: string, indexFile?: string): Promise<StatusScan> {
  const args = ['--no-optional-locks', 'status', '--porcelain=v2', '-z', '--branch', '--no-ahead-behind']
  args.push('--untracked-files=all', '--ignored=no', '--no-renames', '--ignore-submodules=dirty')
  const out = await git.withInput(worktree, args, Buffer.alloc(0), indexFile ? { env: { GIT_INDEX_FILE: indexFile } } : {})
  if (out.exitCode !== 0) throw new Error(`git status failed in ${worktree}: ${out.stderr.trim()}`)
  return parseStatus(out.stdout.toString('latin1'))
}

/** Splits off `n` space-separated fields; the rest (which may hold spaces) is the path. */
function afterFields(rec: string, n: number): string {
  let at = 0
  for (let i = 0; i < n; i++) at = rec.indexOf(' ', at) + 1
  return rec.slice(at)
}

/** Parses `status --porcelain=v2 -z --branch` output (latin1 text). */
export function parseStatus(text: string): StatusScan {
  const scan: StatusScan = { head: null, branch: null, entries: [] }
  const recs = text.split('\0')
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i]!
    if (rec.startsWith('# branch.oid ')) {
      const oid = rec.slice(13)
      scan.head = oid === '(initial)' ? null : oid
    } else if (rec.startsWith('# branch.head ')) {
      const name = rec.slice(14)
      scan.branch = name === '(detached)' ? null : Buffer.from(name, 'latin1').toString('utf8')
    } else if (rec.startsWith('1 ')) {
      scan.entries.push({ kind: 'changed', xy: rec.slice(2, 4), path: afterFields(rec, 8), origPath: null })
    } else if (rec.startsWith('2 ')) {
      scan.entries.push({ kind: 'changed', xy: rec.slice(2, 4), path: afterFields(rec, 9), origPath: recs[++i] ?? null })
    } else if (rec.startsWith('u ')) {
      scan.entries.push({ kind: 'unmerged', xy: rec.slice(2, 4), path: afterFields(rec, 10) })
    } else if (rec.startsWith('? ')) {
      scan.entries.push({ kind: 'untracked', path: rec.slice(2) })
    }
  }
  return scan
}
