import { existsSync } from 'node:fs'
import type { GitRunner } from './git-runner'
import { listWorktrees } from './worktree-list'

/** One commit that a merge would bring into the base. */
export interface MergeCommit {
  sha: string
  short: string
  subject: string
}

/** One file a merge would change in the base, with line counts (null for binary files). */
export interface MergeFile {
  path: string
  status: 'added' | 'modified' | 'deleted' | 'type-changed'
  additions: number | null
  deletions: number | null
}

/** Everything needed to ask the person before merging a thread branch into its base. Read-only. */
export interface MergePlan {
  baseRef: string
  base: string
  head: string
  /** The base already contains the branch: nothing would land. */
  upToDate: boolean
  /** Up to date, and the branch has commits of its own since it was created: its work is in the base. */
  merged: boolean
  /** The base is an ancestor of the branch, so the base only moves forward. */
  fastForward: boolean
  commits: MergeCommit[]
  /** More commits exist than `commits` lists. */
  moreCommits: number
  files: MergeFile[]
  /** Files both sides changed in ways git cannot combine (from `git merge-tree --write-tree`). */
  conflicts: string[]
  /** The tree the merge would produce; null when it conflicts. */
  tree: string | null
  /** The worktree (often the person's own repository) where the base branch is checked out, if any. */
  checkedOutIn: string | null
  /** Dirty, untracked or ignored paths in that checkout that the merge would write: git would refuse, so Skein does not start. */
  localChanges: string[]
  /** That checkout is in the middle of a merge, rebase, cherry-pick or revert. */
  checkoutBusy: string | null
}

export type MergePreview = { kind: 'plan'; plan: MergePlan } | { kind: 'not-a-branch'; baseRef: string }

const COMMIT_LIMIT = 200

/** Paths in `checkout` that are modified, staged, untracked or ignored (ignored folders end with `/`). */
async function localPaths(git: GitRunner, checkout: string): Promise<string[]> {
  const out = await git.run(checkout, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=matching'])
  const parts = out.split('\0')
  const paths: string[] = []
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!
    if (entry.length < 4) continue
    const xy = entry.slice(0, 2)
    paths.push(entry.slice(3))
    // A rename or copy is followed by its source path.
    if (xy.includes('R') || xy.includes('C')) paths.push(parts[++i] ?? '')
  }
  return paths.filter(Boolean)
}

/** The operation (merge, rebase…) a checkout is in the middle of, if any. */
async function busyWith(git: GitRunner, checkout: string): Promise<string | null> {
  for (const [name, what] of [
    ['MERGE_HEAD', 'a merge'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
    ['REVERT_HEAD', 'a revert'],
    ['rebase-merge', 'a rebase'],
    ['rebase-apply', 'a rebase or am']
  ] as const) {
    const p = (await git.run(checkout, ['rev-parse', '--path-format=absolute', '--git-path', name])).trim()
    if (existsSync(p)) return what
  }
  return null
}

/** The files between two tree-ish values, with status and line counts (renames shown as delete + add). */
async function changedFiles(git: GitRunner, cwd: string, from: string, to: string): Promise<MergeFile[]> {
  const status = (await git.run(cwd, ['diff-tree', '-r', '-z', '--no-renames', '--name-status', from, to])).split('\0')
  const files: MergeFile[] = []
  const byPath = new Map<string, MergeFile>()
  for (let i = 0; i + 1 < status.length; i += 2) {
    const code = status[i]!
    const path = status[i + 1]!
    if (!code) break
    const f: MergeFile = {
      path,
      status: code === 'A' ? 'added' : code === 'D' ? 'deleted' : code === 'T' ? 'type-changed' : 'modified',
      additions: null,
      deletions: null
    }
    files.push(f)
    byPath.set(path, f)
  }
  const numstat = (await git.run(cwd, ['diff-tree', '-r', '-z', '--no-renames', '--numstat', from, to])).split('\0')
  for (const entry of numstat) {
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(entry)
    const f = m && byPath.get(m[3]!)
    if (!f) continue
    f.additions = m[1] === '-' ? null : Number(m[1])
    f.deletions = m[2] === '-' ? null : Number(m[2])
  }
  return files
}

/**
 * Whether the worktree's branch moved since it was created (its oldest reflog entry), so an up-to-date
 * branch means merged work rather than a fresh thread. Without a reflog: whether it differs from the base.
 */
async function hasOwnCommits(git: GitRunner, worktree: string, head: string, base: string): Promise<boolean> {
  const branch = await git.exec(worktree, ['symbolic-ref', '--quiet', 'HEAD'])
  const log = branch.exitCode === 0 ? await git.exec(worktree, ['reflog', 'show', '--format=%H', branch.stdout.trim(), '--']) : null
  const created = log && log.exitCode === 0 ? log.stdout.trim().split('\n').filter(Boolean).pop() : undefined
  return created ? created !== head : head !== base
}

/** Whether `path` (a changed file) is written over by a local path (a file, or an ignored folder ending in `/`). */
function touches(changed: string, local: string): boolean {
  if (local.endsWith('/')) return changed.startsWith(local)
  return changed === local || changed.startsWith(`${local}/`) || local.startsWith(`${changed}/`)
}

/**
 * Works out what merging `head` (the thread's HEAD, in `worktree`) into `baseBranch` would do, changing nothing:
 * the commits and files that would land, whether it fast-forwards, conflicts (by `git merge-tree --write-tree`),
 * and, when the base is checked out somewhere, which local changes there stand in the way.
 */
export async function mergePreview(git: GitRunner, worktree: string, baseBranch: string): Promise<MergePreview> {
  const ref = `refs/heads/${baseBranch}`
  const baseOut = await git.exec(worktree, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
  if (baseOut.exitCode !== 0) return { kind: 'not-a-branch', baseRef: baseBranch }
  const base = baseOut.stdout.trim()
  const head = (await git.run(worktree, ['rev-parse', 'HEAD'])).trim()
  const mergeBase = (await git.exec(worktree, ['merge-base', base, head])).stdout.trim()
  const upToDate = mergeBase === head
  const fastForward = !upToDate && mergeBase === base
  const log = upToDate ? '' : await git.run(worktree, ['log', '-z', '--format=%H%x1f%h%x1f%s', `${base}..${head}`])
  const all = log
    .split('\0')
    .filter(Boolean)
    .map((l) => {
      const [sha, short, subject] = l.split('\x1f')
      return { sha: sha!, short: short!, subject: subject ?? '' }
    })
  let conflicts: string[] = []
  let tree: string | null = null
  if (upToDate) tree = (await git.run(worktree, ['rev-parse', `${base}^{tree}`])).trim()
  else if (fastForward) tree = (await git.run(worktree, ['rev-parse', `${head}^{tree}`])).trim()
  else {
    const mt = await git.exec(worktree, ['merge-tree', '--write-tree', '--name-only', '--no-messages', base, head])
    if (mt.exitCode === 1) conflicts = mt.stdout.split('\n').slice(1).filter(Boolean)
    else if (mt.exitCode !== 0) throw new Error(`git merge-tree failed: ${mt.stderr.trim()}`)
    else tree = mt.stdout.trim().split('\n')[0]!
  }
  // What the base would become: the merge result, or (when it conflicts) the branch's own changes since the fork.
  const files = upToDate ? [] : tree ? await changedFiles(git, worktree, base, tree) : await changedFiles(git, worktree, mergeBase, head)
  const holder = (await listWorktrees(git, worktree)).find((w) => w.branch === baseBranch && !w.bare)
  let localChanges: string[] = []
  let checkoutBusy: string | null = null
  if (holder && !upToDate) {
    const local = await localPaths(git, holder.path)
    localChanges = [...new Set(files.filter((f) => local.some((l) => touches(f.path, l))).map((f) => f.path))].sort()
    checkoutBusy = await busyWith(git, holder.path)
  }
  return {
    kind: 'plan',
    plan: {
      baseRef: baseBranch,
      base,
      head,
      upToDate,
      merged: upToDate && (await hasOwnCommits(git, worktree, head, base)),
      fastForward,
      commits: all.slice(0, COMMIT_LIMIT),
      moreCommits: Math.max(0, all.length - COMMIT_LIMIT),
      files,
      conflicts,
      tree,
      checkedOutIn: holder?.path ?? null,
      localChanges,
      checkoutBusy
    }
  }
}
