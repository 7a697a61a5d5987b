import { existsSync } from 'node:fs'
import { lstat, readdir, readFile, realpath, rm } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import type { CleanupCandidate } from '../../../shared/disk'
import type { Repo, Thread } from '../../../shared/models'
import { folderMatchesSnapshot } from '../archive/snapshot-verify'
import { resolveCommit } from '../git/branches'
import type { GitRunner } from '../git/git-runner'
import { pruneWorktrees, removeWorktree } from '../git/worktree-remove'
import type { DataDir } from '../store/data-dir'
import { snapshotRefFor } from '../threads/worktree-manager'
import { measureDisk } from './disk-walk'

/** A shared folder changed this recently may belong to a setup still running: it is never taken. */
export const SHARED_GRACE_MS = 10 * 60_000

/** What cleanup reaches. */
export interface CleanupDeps {
  git: GitRunner
  dataDir: DataDir
  repos: () => Repo[]
  /** Every thread, archived ones too. */
  threads: () => Thread[]
  /** Shared folders of a repository (in Skein's store, or linked from a live worktree). */
  sharedFolders: (repoId: string) => Promise<string[]>
  /** Measured again, so a link made since the last walk is seen. */
  linkedShared: (repoId: string) => Promise<Set<string>>
  now?: () => number
}

/** What a cleanup run did: removed folders, and the ones kept, each with why. */
export interface CleanupOutcome {
  removed: { path: string; bytes: number }[]
  kept: { path: string; reason: string }[]
}

/**
 * Leftover worktree folders (of archived threads, or of no thread) and shared folders no live
 * worktree links to. A worktree folder is removable only when a snapshot holds everything in it now,
 * checked the way an archive checks before it removes (snapshot-verify.ts); anything else is kept, with why.
 */
export async function planCleanup(d: CleanupDeps, repoId?: string): Promise<CleanupCandidate[]> {
  const out: CleanupCandidate[] = []
  for (const repo of d.repos().filter((r) => !repoId || r.id === repoId)) {
    out.push(...(await leftoverWorktrees(d, repo)), ...(await staleShared(d, repo)))
  }
  return out
}

/** Removes the given paths, each only if a fresh plan still finds it removable; the rest are kept with why. */
export async function runCleanup(d: CleanupDeps, paths: readonly string[]): Promise<CleanupOutcome> {
  const outcome: CleanupOutcome = { removed: [], kept: [] }
  const plans = new Map<string, CleanupCandidate>()
  for (const c of await planCleanup(d)) plans.set(c.path, c)
  for (const path of paths) {
    const c = plans.get(path)
    if (!c) {
      outcome.kept.push({
        path,
        reason: 'not a leftover worktree or shared folder of Skein (it is in use, or not Skein’s), so it was left alone'
      })
      continue
    }
    if (!c.removable) {
      outcome.kept.push({ path, reason: c.reason })
      continue
    }
    const repo = d.repos().find((r) => r.id === c.repoId)
    if (!repo || !(await insideStore(d, c))) {
      outcome.kept.push({ path, reason: 'it is not where Skein keeps worktrees and shared folders, so it was left alone' })
      continue
    }
    if (c.kind !== 'stale-shared' && (await registeredWorktree(d.git, repo.path, path))) {
      const removed = await removeWorktree(d.git, repo.path, path)
      if (!removed.ok) {
        outcome.kept.push({ path, reason: `git could not remove it: ${removed.detail}` })
        continue
      }
    }
    // rm never follows a symlink: a shared folder linked into this one stays where it is.
    await rm(path, { recursive: true, force: true })
    if (c.kind !== 'stale-shared') await pruneWorktrees(d.git, repo.path).catch(() => undefined)
    outcome.removed.push({ path, bytes: c.bytes })
  }
  return outcome
}

async function leftoverWorktrees(d: CleanupDeps, repo: Repo): Promise<CleanupCandidate[]> {
  const dir = d.dataDir.repoWorktrees(repo.id)
  const names = await readdir(dir).catch(() => [] as string[])
  const threads = d.threads().filter((t) => t.repoId === repo.id)
  const out: CleanupCandidate[] = []
  for (const name of names) {
    const path = join(dir, name)
    const st = await lstat(path).catch(() => null)
    if (!st?.isDirectory()) continue
    const thread = threads.find((t) => t.mode === 'worktree' && t.worktreePath === path)
    if (thread && thread.status !== 'archived') continue
    const admin = await adminDir(path)
    const owner =
      thread?.id ??
      (admin
        ? await readFile(join(admin, 'skein-thread'), 'utf8').then(
            (s) => s.trim(),
            () => null
          )
        : null)
    const ownerThread = owner ? (d.threads().find((t) => t.id === owner) ?? null) : null
    if (ownerThread && ownerThread.status !== 'archived') continue
    const bytes = (await measureDisk(path)).allocatedBytes
    const base = {
      kind: ownerThread ? ('archived-worktree' as const) : ('orphan-worktree' as const),
      repoId: repo.id,
      path,
      bytes,
      threadId: owner,
      title: ownerThread?.title ?? null
    }
    const verdict = await verdictFor(d.git, repo.path, path, owner, admin)
    out.push({ ...base, ...verdict })
  }
  return out
}

async function verdictFor(
  git: GitRunner,
  repoPath: string,
  path: string,
  owner: string | null,
  admin: string | null
): Promise<{ removable: boolean; reason: string }> {
  if (!owner)
    return {
      removable: false,
      reason:
        'Kept: Skein does not know which thread made this folder, and no snapshot holds it. Look inside, then delete it yourself if nothing is needed.'
    }
  const commit = await resolveCommit(git, repoPath, snapshotRefFor(owner))
  if (!commit)
    return {
      removable: false,
      reason: 'Kept: no snapshot holds this folder’s work. Restore the thread and archive it again to save it first.'
    }
  try {
    const problem = await folderMatchesSnapshot(git, repoPath, path, commit, admin && existsSync(admin) ? admin : null, ['skein-thread'])
    if (problem) return { removable: false, reason: `Kept: ${problem}; removing it would lose work no snapshot holds.` }
    return { removable: true, reason: `Everything in it is in the verified snapshot ${commit.slice(0, 10)} (${snapshotRefFor(owner)}).` }
  } catch (e) {
    return { removable: false, reason: `Kept: it could not be checked against its snapshot (${(e as Error).message}).` }
  }
}

async function staleShared(d: CleanupDeps, repo: Repo): Promise<CleanupCandidate[]> {
  const store = d.dataDir.repoShared(repo.id)
  const inStore = (await d.sharedFolders(repo.id)).filter((p) => dirname(p) === store)
  if (inStore.length === 0) return []
  const linked = await d.linkedShared(repo.id)
  const now = (d.now ?? Date.now)()
  const out: CleanupCandidate[] = []
  for (const path of inStore) {
    if (linked.has(path)) continue
    const st = await lstat(path).catch(() => null)
    if (!st) continue
    const bytes = (await measureDisk(path)).allocatedBytes
    const recent = now - st.mtimeMs < SHARED_GRACE_MS
    out.push({
      kind: 'stale-shared',
      repoId: repo.id,
      path,
      bytes,
      threadId: null,
      title: null,
      removable: !recent,
      reason: recent
        ? 'Kept for now: no live worktree links to it, but it changed in the last 10 minutes (a setup may be filling it).'
        : 'No live worktree links to it. It holds only shared dependencies, which a thread’s setup makes again.'
    })
  }
  return out
}

/** True when the candidate's real path is one level inside the repository's worktree or shared folder. */
async function insideStore(d: CleanupDeps, c: CleanupCandidate): Promise<boolean> {
  const parent = c.kind === 'stale-shared' ? d.dataDir.repoShared(c.repoId) : d.dataDir.repoWorktrees(c.repoId)
  const real = await realpath(c.path).catch(() => null)
  const root = await realpath(parent).catch(() => null)
  return real !== null && root !== null && dirname(real) === root && real.startsWith(root + sep)
}

async function registeredWorktree(git: GitRunner, repoPath: string, path: string): Promise<boolean> {
  const out = await git.exec(repoPath, ['worktree', 'list', '--porcelain', '-z'])
  return out.stdout.split('\0').some((l) => l === `worktree ${path}`)
}

/** The linked worktree's admin dir named by its `.git` file, or null. */
async function adminDir(path: string): Promise<string | null> {
  const text = await readFile(join(path, '.git'), 'utf8').catch(() => null)
  const m = text ? /^gitdir:\s*(.+)$/m.exec(text) : null
  return m ? resolve(path, m[1]!.trim()) : null
}
