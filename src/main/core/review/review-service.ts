import { existsSync } from 'node:fs'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { computeChangeSet, type ChangedFile } from '../git/change-set'
import type { GitRunner } from '../git/git-runner'

/** The Changes tab's data: what a thread changed, against its base or uncommitted only. */
export class ReviewService {
  constructor(
    private readonly git: GitRunner,
    private readonly thread: (id: string) => Thread | undefined
  ) {}

  /** The thread's change set. */
  async changes(threadId: string, scope: 'base' | 'uncommitted'): Promise<Result<{ baseCommit: string; files: ChangedFile[] }>> {
    const t = this.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    if (!existsSync(t.worktreePath) || (t.mode === 'worktree' && !t.branch)) {
      return err(appError(ErrorCode.WorktreeMissing, `"${t.title}" has no worktree at ${t.worktreePath}, so it has no changes to show. Restore the thread first.`))
    }
    const r = await computeChangeSet(this.git, t.worktreePath, scope === 'uncommitted' ? { kind: 'uncommitted' } : { kind: 'base', baseRef: t.baseRef })
    if (r.kind === 'bad-base') return err(appError(ErrorCode.BaseRefNotFound, `The base ref "${t.baseRef}" cannot be compared with this thread: ${r.detail}`))
    return ok({ baseCommit: r.baseCommit, files: r.files })
  }
}
