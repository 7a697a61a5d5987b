import { existsSync } from 'node:fs'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Repo, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { WorktreeSetup } from './thread-service-deps'
import { snapshotRefFor, type WorktreeManager } from './worktree-manager'

/** What archiving and restoring a thread's worktree needs. */
export interface ArchiveDeps {
  worktrees: WorktreeManager
  repos: { get(id: string): Result<Repo> }
  environment: WorktreeSetup | null
}

/**
 * Archives a thread whose sessions are closed: runs the archive command, saves its worktree under a snapshot ref and
 * removes the folder. Returns the change to record on the thread.
 */
export async function archiveWorktree(d: ArchiveDeps, t: Thread): Promise<Result<Partial<Thread>>> {
  const repo = d.repos.get(t.repoId)
  // Reported, never blocking: the work is saved whatever the archive command did.
  const archiveNote = existsSync(t.worktreePath) ? ((await d.environment?.beforeArchive(t).catch(() => null)) ?? null) : null
  const now = Date.now()
  if (t.mode === 'local' || !t.branch || !repo.ok) return ok({ status: 'archived', archivedAt: now, statusMessage: archiveNote })
  const saved = await d.worktrees.saveAndRemove(repo.value.path, t.worktreePath, t.id, 'archive')
  if (!saved.ok) return saved
  if (saved.value.kind === 'missing') {
    const note = `The worktree folder was already gone when archived; branch ${t.branch} still holds its commits.`
    return ok({ status: 'archived', archivedAt: now, statusMessage: note })
  }
  return ok({
    status: 'archived',
    archivedAt: now,
    snapshotRef: snapshotRefFor(t.id),
    statusMessage: archiveNote,
    archiveReport: saved.value.report
  })
}

/** Restores an archived thread's worktree, or recreates one deleted behind Skein's back; returns the change to record. */
export async function restoreWorktree(d: ArchiveDeps, t: Thread): Promise<Result<Partial<Thread>>> {
  const missing = t.status === 'error' && t.mode === 'worktree' && t.branch !== null && !existsSync(t.worktreePath)
  if (t.status !== 'archived' && !missing) {
    return err(appError(ErrorCode.InvalidThreadState, `"${t.title}" is not archived, so there is nothing to restore.`))
  }
  const repo = d.repos.get(t.repoId)
  if (!repo.ok) return repo
  if (t.mode === 'worktree' && t.branch) {
    const restored = await d.worktrees.restore(repo.value.path, t.worktreePath, t.branch, t.id)
    if (!restored.ok) return restored
  }
  return ok({ status: 'idle', archivedAt: null, statusMessage: null, lastActivityAt: Date.now() })
}
