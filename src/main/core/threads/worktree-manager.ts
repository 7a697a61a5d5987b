import { existsSync } from 'node:fs'
import { lstat, mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { appError, ErrorCode } from '../../../shared/errors'
import { err, ok, type Result } from '../../../shared/result'
import { resolveCommit } from '../git/branches'
import type { GitRunner } from '../git/git-runner'
import type { ArchiveReport } from '../../../shared/archive-report'
import { displayPath } from '../archive/manifest'
import { readManifest } from '../archive/snapshot-verify'
import { restoreFullSnapshot } from '../archive/snapshot-restore'
import { type SnapshotWriteOptions, writeFullSnapshot } from '../archive/snapshot-writer'
import { applySnapshot, readSnapshot } from '../git/snapshot'
import { addWorktree } from '../git/worktree-add'
import { pruneWorktrees, removeWorktree } from '../git/worktree-remove'
import type { DataDir } from '../store/data-dir'
import { nextFreeSlug } from './slug'

const OWNER_FILE = 'skein-thread'

/** A worktree Skein made for a thread. */
export interface CreatedWorktree {
  slug: string
  path: string
  branch: string
}

/** The outcome of making a worktree: made, or the base ref does not exist. */
export type CreateWorktreeResult = Result<CreatedWorktree> | { ok: false; badRef: string; detail: string }

/** How saving a worktree went: removed after a verified snapshot (with what it left out), or already gone. */
export type SaveOutcome = { kind: 'removed'; report: ArchiveReport } | { kind: 'missing' }

/** The ref that holds a thread's saved worktree. */
export const snapshotRefFor = (threadId: string) => `refs/skein/snapshots/${threadId}`

/** Creates, saves, removes and restores thread worktrees. Removes only the ones it made. */
export class WorktreeManager {
  constructor(
    private readonly git: GitRunner,
    private readonly dir: DataDir,
    /** Snapshot limits and test hooks. */
    private readonly snapshotOptions: Pick<SnapshotWriteOptions, 'limits' | 'beforeVerify'> = {}
  ) {}

  /**
   * Makes a worktree on a fresh `skein/<slug>` branch, picking the first slug whose branch and folder are free.
   * The branch starts at `startPoint` (a commit, for a fork) or else at `baseRef`.
   */
  async create(
    repoId: string,
    repoRoot: string,
    wantedSlug: string,
    baseRef: string,
    threadId: string,
    slugTaken: (s: string) => boolean,
    onAttempt?: (w: CreatedWorktree) => void,
    startPoint?: string
  ): Promise<CreateWorktreeResult> {
    if (!isSafeRef(baseRef)) return { ok: false, badRef: baseRef, detail: 'not a valid ref name' }
    if (startPoint !== undefined && !/^[0-9a-f]{40,64}$/.test(startPoint))
      return { ok: false, badRef: startPoint, detail: 'not a commit id' }
    await mkdir(this.dir.repoWorktrees(repoId), { recursive: true, mode: 0o700 })
    const refused = new Set<string>()
    const taken = (s: string) => refused.has(s) || slugTaken(s) || existsSync(join(this.dir.repoWorktrees(repoId), s))
    for (let attempt = 0; attempt < 50; attempt++) {
      const slug = nextFreeSlug(wantedSlug, taken)
      const path = join(this.dir.repoWorktrees(repoId), slug)
      const branch = `skein/${slug}`
      // Told before git makes anything, so a crash from here on leaves a record of what to clean up.
      onAttempt?.({ slug, path, branch })
      const added = await addWorktree(this.git, repoRoot, path, { newBranch: branch, from: startPoint ?? baseRef })
      if (added.kind === 'added') {
        await this.markOwned(path, threadId)
        return ok({ slug, path, branch })
      }
      if (added.kind === 'branch-exists' || added.kind === 'path-exists') {
        refused.add(slug)
        continue
      }
      if (added.kind === 'bad-ref') return { ok: false, badRef: baseRef, detail: added.detail }
      return err(appError(ErrorCode.GitFailed, `git could not create the worktree at ${path}: ${added.detail}`))
    }
    return err(appError(ErrorCode.GitFailed, `Could not find a free name for "${wantedSlug}" after 50 tries.`))
  }

  /** True only for a worktree under SKEIN_HOME/worktrees whose git admin dir carries this thread's mark. */
  async isOwned(path: string, threadId: string): Promise<boolean> {
    try {
      const root = await realpath(this.dir.worktreesDir)
      const real = await realpath(path)
      const rel = relative(root, real)
      if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).length !== 2) return false
      const admin = await this.adminDir(real)
      if (!admin) return false
      return (await readFile(join(admin, OWNER_FILE), 'utf8')).trim() === threadId
    } catch {
      return false
    }
  }

  /**
   * Saves the worktree under its snapshot ref, reads the snapshot back and checks it against the
   * folder, and only then removes it. Refuses a worktree Skein did not make. A folder already gone
   * is reported as `missing` (its branch still holds its commits).
   */
  async saveAndRemove(repoRoot: string, path: string, threadId: string, reason: string): Promise<Result<SaveOutcome>> {
    if (!existsSync(path)) {
      await pruneWorktrees(this.git, repoRoot).catch(() => undefined)
      return ok({ kind: 'missing' })
    }
    if (!(await this.isOwned(path, threadId))) {
      return err(
        appError(
          ErrorCode.NotSkeinWorktree,
          `Skein did not create ${path}, so it will not remove it. Move or delete it yourself if you no longer need it.`,
          { path }
        )
      )
    }
    let written
    try {
      written = await writeFullSnapshot(this.git, path, snapshotRefFor(threadId), `skein: ${reason} ${threadId}`, {
        ...this.snapshotOptions,
        gitDirSkip: [OWNER_FILE]
      })
    } catch (e) {
      return err(appError(ErrorCode.GitFailed, `Could not save the work in ${path}, so it was left in place: ${(e as Error).message}`))
    }
    if (!written.ok) {
      return err(
        appError(
          ErrorCode.GitFailed,
          `The snapshot of ${path} could not be verified (${written.error}), so the folder was left in place. Try again.`,
          { path }
        )
      )
    }
    const removed = await removeWorktree(this.git, repoRoot, path)
    if (!removed.ok)
      return err(appError(ErrorCode.GitFailed, `The work in ${path} is saved, but git could not remove the folder: ${removed.detail}`))
    const { manifest, commit } = written.value
    const files = manifest.worktree.filter((e) => e.type !== 'dir')
    const report: ArchiveReport = {
      snapshot: commit,
      savedFiles: files.length,
      savedBytes: files.reduce((n, e) => n + e.size, 0),
      leftOut: manifest.leftOut.map((l) => ({ path: displayPath(l), bytes: l.bytes, files: l.files, reason: l.reason }))
    }
    return ok({ kind: 'removed', report })
  }

  /** Brings a worktree back at `path` on `branch`, with its files exactly as saved when a snapshot exists. */
  async restore(repoRoot: string, path: string, branch: string, threadId: string): Promise<Result<void>> {
    if (existsSync(path)) {
      if (await this.isOwned(path, threadId)) return ok(undefined)
      const empty = (await lstat(path)).isDirectory() && (await readdir(path)).length === 0
      if (!empty)
        return err(appError(ErrorCode.WorktreePathTaken, `A folder already exists at ${path}. Move it away, then restore again.`, { path }))
    }
    await pruneWorktrees(this.git, repoRoot)
    const snapshot = await readSnapshot(this.git, repoRoot, snapshotRefFor(threadId))
    const branchExists = (await resolveCommit(this.git, repoRoot, `refs/heads/${branch}`)) !== null
    if (!snapshot) {
      if (!branchExists) {
        return err(
          appError(
            ErrorCode.InvalidThreadState,
            `Nothing to restore from: neither branch ${branch} nor a snapshot of this thread exists in ${repoRoot}.`
          )
        )
      }
      const added = await addWorktree(this.git, repoRoot, path, { existingBranch: branch })
      if (added.kind !== 'added')
        return err(
          appError(ErrorCode.GitFailed, `git could not recreate the worktree at ${path}: ${'detail' in added ? added.detail : added.kind}`)
        )
      await this.markOwned(path, threadId)
      return ok(undefined)
    }
    const source = branchExists ? { existingBranch: branch } : snapshot.head ? { newBranch: branch, from: snapshot.head } : null
    if (!source)
      return err(appError(ErrorCode.InvalidThreadState, `The snapshot of this thread has no base commit and branch ${branch} is gone.`))
    const added = await addWorktree(this.git, repoRoot, path, source, { checkout: false })
    if (added.kind !== 'added')
      return err(
        appError(ErrorCode.GitFailed, `git could not recreate the worktree at ${path}: ${'detail' in added ? added.detail : added.kind}`)
      )
    await this.markOwned(path, threadId)
    try {
      const manifest = await readManifest(this.git, repoRoot, snapshot.commit)
      // Snapshots from before manifests hold only what git tracks; they are restored the old way.
      const problem = manifest
        ? await restoreFullSnapshot(this.git, repoRoot, path, manifest, [OWNER_FILE])
        : await applySnapshot(this.git, path, snapshot).then(() => null)
      if (problem)
        return err(
          appError(
            ErrorCode.GitFailed,
            `The worktree is back at ${path}, but it does not match its snapshot: ${problem}. The saved state is still in ${snapshotRefFor(threadId)}.`
          )
        )
    } catch (e) {
      return err(
        appError(
          ErrorCode.GitFailed,
          `The worktree is back at ${path}, but its saved files could not be written: ${(e as Error).message}. They are still in ${snapshotRefFor(threadId)}.`
        )
      )
    }
    return ok(undefined)
  }

  /** The thread a Skein worktree was made for (its git admin dir's mark), or null. */
  async ownerOf(path: string): Promise<string | null> {
    const admin = await this.adminDir(path)
    if (!admin) return null
    return (await readFile(join(admin, OWNER_FILE), 'utf8').catch(() => '')).trim() || null
  }

  /** Marks a worktree Skein made (found after a crash, before it was marked) as this thread's. */
  adopt(path: string, threadId: string): Promise<void> {
    return this.markOwned(path, threadId)
  }

  private async markOwned(path: string, threadId: string): Promise<void> {
    const admin = await this.adminDir(path)
    if (admin) await writeFile(join(admin, OWNER_FILE), `${threadId}\n`)
  }

  /** The worktree's private admin dir, from its `.git` file; null when `.git` is not a linked-worktree file. */
  private async adminDir(path: string): Promise<string | null> {
    try {
      const text = await readFile(join(path, '.git'), 'utf8')
      const m = /^gitdir:\s*(.+)$/m.exec(text)
      return m ? resolve(path, m[1]!.trim()) : null
    } catch {
      return null
    }
  }
}

/** Rejects ref names that git would read as options or that cannot be refs. */
function isSafeRef(ref: string): boolean {
  return ref.length > 0 && !ref.startsWith('-') && !/[\s~^:?*[\\\x00-\x1f\x7f]/.test(ref.replace(/[~^]\d*$/, ''))
}
