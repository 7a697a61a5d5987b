import { existsSync } from 'node:fs'
import { lstat, readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, join, posix } from 'node:path'
import { randomBytes } from 'node:crypto'
import { appError, ErrorCode } from '../../../shared/errors'
import type { DeliveryOutcome, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { computeChangeSet, resolveBase } from '../git/change-set'
import { ChangeSetCache } from '../git/change-set-cache'
import { readBlob } from '../git/read-blob'
import { DIFF_GUARD, type ChangeScope, type ChangedFile, type FileDiff, type LineSpan } from '../../../shared/review'
import { commitAll } from '../git/commit-all'
import { mergeIntoBase } from '../git/merge-into-base'
import { mergePreview } from '../git/merge-preview'
import { branchCommits, type BranchCommit } from '../git/branch-commits'
import { commitFiles } from '../git/commit-files'
import { pushBranch } from '../git/push-branch'
import { rebaseOnto } from '../git/rebase-onto'
import { revertFile } from '../git/revert-file'
import type { GitRunner } from '../git/git-runner'
import { guardPath } from '../agent/path-guard'
import type { AgentDelivery } from '../agent/send-to-agent'
import type { ThreadStore } from '../store/thread-store'
import type { MergePlanView, ReviewComment } from '../../../shared/review'
import { loadFileDiff } from './file-diff'
import { revertHunk } from './hunk-revert'
import { formatReview, reanchor } from './review-comments'

/**
 * A changed file's path in the worktree, taken as git names it: the folders must resolve inside the
 * worktree, but the file itself is not followed, so a symlink shows as its target text, as git stores it.
 */
async function locate(
  worktree: string,
  path: string
): Promise<{ ok: true; path: string; relative: string } | { ok: false; reason: string }> {
  const name = basename(path)
  if (name === '..' || name === '.' || name === '') return { ok: false, reason: 'that is not a file path' }
  const dir = await guardPath(worktree, dirname(path))
  if (!dir.ok) return dir
  return {
    ok: true,
    path: join(dir.path, name),
    relative: dir.relative === '.' ? name : posix.join(dir.relative.split('\\').join('/'), name)
  }
}

/** The Changes tab's data: what a thread changed, against its base or uncommitted only. */
export class ReviewService {
  private readonly comments = new Map<string, ReviewComment[]>()

  // Kept between calls: reopening the Changes tab of a big change set redoes only what changed.
  private readonly changeCache = new ChangeSetCache()

  constructor(
    private readonly git: GitRunner,
    private readonly thread: (id: string) => Thread | undefined,
    private readonly store: ThreadStore,
    private readonly delivery: AgentDelivery
  ) {}

  /** The thread's review comments, re-anchored to the files as they are now. */
  async list(threadId: string): Promise<Result<ReviewComment[]>> {
    const t = this.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const all = await this.load(threadId)
    const next: ReviewComment[] = []
    for (const c of all) {
      const p = await guardPath(t.worktreePath, c.path).catch(() => null)
      const text = p?.ok ? await readFile(p.path, 'utf8').catch(() => null) : null
      const moved = reanchor(c, text)
      if (moved !== c) await this.save(threadId, moved)
      next.push(moved)
    }
    return ok(next)
  }

  /** Adds a pending comment on lines of a file in the worktree. */
  async add(threadId: string, o: { path: string; startLine: number; endLine: number; body: string }): Promise<Result<ReviewComment>> {
    const t = this.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const p = await guardPath(t.worktreePath, o.path)
    if (!p.ok) return err(appError(ErrorCode.InvalidParams, `Cannot comment on ${o.path}: ${p.reason}.`))
    const text = await readFile(p.path, 'utf8').catch(() => null)
    if (text === null) return err(appError(ErrorCode.InvalidParams, `${o.path} is not a readable file in the worktree.`))
    const lines = text.split('\n')
    if (o.endLine < o.startLine || o.endLine > lines.length)
      return err(appError(ErrorCode.InvalidParams, `Lines ${o.startLine}-${o.endLine} are outside ${o.path} (${lines.length} lines).`))
    const comment: ReviewComment = {
      id: `rc${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
      path: p.relative,
      startLine: o.startLine,
      endLine: o.endLine,
      body: o.body,
      code: lines.slice(o.startLine - 1, o.endLine).join('\n'),
      status: 'pending',
      createdAt: Date.now(),
      sentAt: null
    }
    return this.save(threadId, comment)
  }

  /** Edits a comment's text. */
  async edit(threadId: string, id: string, body: string): Promise<Result<ReviewComment>> {
    const c = (await this.load(threadId)).find((x) => x.id === id)
    if (!c) return err(appError(ErrorCode.InvalidParams, 'That comment does not exist any more.'))
    return this.save(threadId, { ...c, body })
  }

  /** Deletes a comment. */
  async remove(threadId: string, id: string): Promise<Result<void>> {
    const list = await this.load(threadId)
    if (!list.some((c) => c.id === id)) return err(appError(ErrorCode.InvalidParams, 'That comment does not exist any more.'))
    const r = await this.store.appendRaw(threadId, { type: 'review.comment.deleted', at: Date.now(), id })
    if (!r.ok) return r
    this.comments.set(
      threadId,
      list.filter((c) => c.id !== id)
    )
    return ok(undefined)
  }

  /** What merging the thread into its base would do (commits, files, fast-forward, conflicts, the checkout it would run in). Changes nothing. */
  async mergePreview(threadId: string): Promise<Result<MergePlanView>> {
    const own = await this.ownWorktree(threadId)
    if (!own.ok) return own
    const t = own.value
    const dirty = (await this.git.run(t.worktreePath, ['status', '--porcelain', '--untracked-files=all']))
      .split('\n')
      .filter(Boolean).length
    const r = await mergePreview(this.git, t.worktreePath, t.baseRef)
    if (r.kind === 'not-a-branch')
      return err(appError(ErrorCode.BaseRefNotFound, `The base "${t.baseRef}" is not a local branch, so there is nothing to merge into.`))
    const { tree: _tree, ...plan } = r.plan
    return ok({ ...plan, branch: t.branch!, uncommitted: dirty })
  }

  /**
   * Merges the thread's commits into its base branch: refs only when the base is not checked out, else git's
   * own merge in the checkout that has it, after a merge-tree check. `expect` is what the confirmed preview showed.
   */
  async mergeIntoBase(
    threadId: string,
    expect?: { base: string; head: string }
  ): Promise<Result<{ outcome: 'fast-forward' | 'merged' | 'up-to-date'; commit: string | null; checkout: string | null }>> {
    const own = await this.ownWorktree(threadId)
    if (!own.ok) return own
    const t = own.value
    const r = await mergeIntoBase(this.git, t.worktreePath, t.baseRef, `Merge ${t.branch} into ${t.baseRef} (Skein: ${t.title})`, expect)
    switch (r.kind) {
      case 'fast-forward':
      case 'merged':
        return ok({ outcome: r.kind, commit: r.commit, checkout: r.where === 'ref' ? null : r.where })
      case 'up-to-date':
        return ok({ outcome: 'up-to-date', commit: null, checkout: null })
      case 'dirty':
        return err(
          appError(
            ErrorCode.InvalidThreadState,
            `The thread has ${r.count} uncommitted change${r.count === 1 ? '' : 's'}, which a merge would leave out. Commit them first.`
          )
        )
      case 'local-changes':
        return err(
          appError(
            ErrorCode.InvalidThreadState,
            `${t.baseRef} is checked out in ${r.path} and it has local changes to ${r.files.length === 1 ? 'a file' : 'files'} the merge would change: ${r.files.join(', ')}. Nothing was changed. Commit or set those aside there, then merge again.`,
            { files: r.files }
          )
        )
      case 'checkout-busy':
        return err(
          appError(
            ErrorCode.InvalidThreadState,
            `${r.path} is in the middle of ${r.operation}. Nothing was changed. Finish or abort it there, then merge again.`
          )
        )
      case 'merge-failed':
        return err(
          appError(
            ErrorCode.GitFailed,
            `git merge in ${r.path} failed${r.aborted ? ' and was aborted' : ''}; the checkout is as it was. ${r.detail}`
          )
        )
      case 'changed':
        return err(appError(ErrorCode.InvalidThreadState, `Nothing was merged: ${r.detail}. Look at the preview again.`))
      case 'conflict':
        return err(
          appError(
            ErrorCode.GitFailed,
            `${t.branch} conflicts with ${t.baseRef} in ${r.files.join(', ')}. Nothing was changed. Rebase the thread onto ${t.baseRef} in its worktree and resolve the conflicts there.`,
            { files: r.files }
          )
        )
      case 'not-a-branch':
        return err(appError(ErrorCode.BaseRefNotFound, `The base "${t.baseRef}" is not a local branch, so there is nothing to merge into.`))
    }
  }

  /** Stages every change in the thread's worktree and commits it. */
  async commit(threadId: string, message: string): Promise<Result<{ commit: string }>> {
    const t = await this.ownWorktree(threadId)
    if (!t.ok) return t
    const r = await commitAll(this.git, t.value.worktreePath, message)
    if (r.kind === 'committed') return ok({ commit: r.commit })
    if (r.kind === 'nothing-to-commit')
      return err(appError(ErrorCode.InvalidThreadState, 'There is nothing to commit: the worktree has no changes.'))
    return err(appError(ErrorCode.GitFailed, `git could not commit: ${r.detail}`))
  }

  /** Puts a file back as the scope's base has it (the person confirmed it); a renamed file returns to its old path. */
  async revertFile(
    threadId: string,
    path: string,
    o: { oldPath?: string | null; scope?: ChangeScope } = {}
  ): Promise<Result<{ outcome: 'reverted' | 'removed' }>> {
    const t = await this.ownWorktree(threadId)
    if (!t.ok) return t
    const base = o.scope === 'base' ? await this.baseOf(t.value, 'base') : ok('HEAD')
    if (!base.ok) return base
    let outcome: 'reverted' | 'removed' = 'removed'
    for (const each of o.oldPath ? [o.oldPath, path] : [path]) {
      const p = await guardPath(t.value.worktreePath, each)
      if (!p.ok) return err(appError(ErrorCode.InvalidParams, `Cannot revert ${each}: ${p.reason}.`))
      const r = await revertFile(this.git, t.value.worktreePath, p.relative, base.value)
      if (r.kind === 'failed') return err(appError(ErrorCode.GitFailed, `git could not revert ${p.relative}: ${r.detail}`))
      if (each === path) outcome = o.oldPath ? 'reverted' : r.kind
    }
    return ok({ outcome })
  }

  /** Pushes the thread's branch. */
  async push(threadId: string): Promise<Result<{ remote: string }>> {
    const t = await this.ownWorktree(threadId)
    if (!t.ok) return t
    const r = await pushBranch(this.git, t.value.worktreePath, t.value.branch!)
    if (r.kind === 'pushed') return ok({ remote: r.remote })
    if (r.kind === 'no-remote')
      return err(appError(ErrorCode.GitFailed, 'This repository has no remote to push to. Add one with `git remote add origin <url>`.'))
    if (r.kind === 'rejected')
      return err(
        appError(
          ErrorCode.GitFailed,
          `The remote has commits this branch does not; it was not overwritten. Rebase the thread first. (${r.detail.split('\n')[0]})`
        )
      )
    return err(appError(ErrorCode.GitFailed, `git push failed: ${r.detail}`))
  }

  /** Rebases the thread's branch onto its base, in its own worktree; a conflict is aborted and reported. */
  async rebase(threadId: string): Promise<Result<{ outcome: 'rebased' | 'up-to-date' }>> {
    const t = await this.ownWorktree(threadId)
    if (!t.ok) return t
    const r = await rebaseOnto(this.git, t.value.worktreePath, t.value.baseRef)
    if (r.kind === 'rebased' || r.kind === 'up-to-date') return ok({ outcome: r.kind })
    if (r.kind === 'dirty')
      return err(appError(ErrorCode.InvalidThreadState, 'Commit or revert the uncommitted changes first; a rebase needs a clean worktree.'))
    if (r.kind === 'conflict')
      return err(
        appError(
          ErrorCode.GitFailed,
          `Rebasing onto ${t.value.baseRef} conflicts in ${r.files.join(', ')}. It was undone; the branch is as it was.`,
          { files: r.files }
        )
      )
    return err(appError(ErrorCode.GitFailed, `git rebase failed: ${r.detail}`))
  }

  private async ownWorktree(threadId: string): Promise<Result<Thread>> {
    const t = this.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    if (t.mode !== 'worktree' || !t.branch)
      return err(
        appError(
          ErrorCode.InvalidThreadState,
          `"${t.title}" runs in your own checkout; Skein only commits, reverts, merges, pushes and rebases in a thread's own worktree.`
        )
      )
    if (!existsSync(t.worktreePath))
      return err(appError(ErrorCode.WorktreeMissing, `The worktree ${t.worktreePath} is gone. Restore the thread first.`))
    // Someone (or the agent) may have switched the worktree away from the thread's branch.
    const head = await this.git.exec(t.worktreePath, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
    if (head.exitCode !== 0) {
      const sha = (await this.git.exec(t.worktreePath, ['rev-parse', '--short', 'HEAD'])).stdout.trim()
      return err(
        appError(
          ErrorCode.InvalidThreadState,
          `The worktree is on a detached HEAD (${sha || 'no commit'}), not on ${t.branch}. Run \`git switch ${t.branch}\` in it (keeping any commits you want), then try again.`
        )
      )
    }
    if (head.stdout.trim() !== t.branch)
      return err(
        appError(
          ErrorCode.InvalidThreadState,
          `The worktree is on ${head.stdout.trim()}, not on the thread's branch ${t.branch}. Run \`git switch ${t.branch}\` in it, then try again.`
        )
      )
    return ok(t)
  }

  /** Sends every pending comment to the thread's agent as one message and marks them sent; they stay pending when the agent cannot take them. */
  async submit(threadId: string): Promise<Result<{ sent: number; delivery: DeliveryOutcome }>> {
    const t = this.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const listed = await this.list(threadId)
    if (!listed.ok) return listed
    const pending = listed.value.filter((c) => c.status === 'pending')
    if (pending.length === 0) return err(appError(ErrorCode.InvalidThreadState, 'There are no pending comments to send.'))
    const sent = await this.delivery.deliver(t, formatReview(pending))
    if (!sent.ok) return sent
    if (!sent.value.delivered) return ok({ sent: 0, delivery: sent.value })
    const now = Date.now()
    for (const c of pending) await this.save(threadId, { ...c, status: 'sent', sentAt: now })
    return ok({ sent: pending.length, delivery: sent.value })
  }

  private async load(threadId: string): Promise<ReviewComment[]> {
    let list = this.comments.get(threadId)
    if (!list) {
      const byId = new Map<string, ReviewComment>()
      // Streamed, and only the comment lines parsed: a thread's log can be gigabytes of transcript.
      await this.store.scanEvents<{ type: string; comment?: ReviewComment; id?: string }>(threadId, '"review.comment', (ev) => {
        if (ev.type === 'review.comment' && ev.comment) byId.set(ev.comment.id, ev.comment)
        else if (ev.type === 'review.comment.deleted' && ev.id) byId.delete(ev.id)
      })
      list = [...byId.values()]
      this.comments.set(threadId, list)
    }
    return list
  }

  private async save(threadId: string, comment: ReviewComment): Promise<Result<ReviewComment>> {
    const r = await this.store.appendRaw(threadId, { type: 'review.comment', at: Date.now(), comment })
    if (!r.ok) return r
    const list = await this.load(threadId)
    const i = list.findIndex((c) => c.id === comment.id)
    if (i >= 0) list[i] = comment
    else list.push(comment)
    return ok(comment)
  }

  /** Both sides of one changed file (base or HEAD against the disk), or a notice when it cannot be shown as text. */
  async file(threadId: string, o: { path: string; oldPath: string | null; scope: ChangeScope; force: boolean }): Promise<Result<FileDiff>> {
    const t = this.readable(threadId)
    if (!t.ok) return t
    const base = await this.baseOf(t.value, o.scope)
    if (!base.ok) return base
    const p = await locate(t.value.worktreePath, o.path)
    if (!p.ok) return err(appError(ErrorCode.InvalidParams, `Cannot show ${o.path}: ${p.reason}.`))
    return ok(
      await loadFileDiff(this.git, t.value.worktreePath, {
        baseCommit: base.value,
        path: p.relative,
        oldPath: o.oldPath,
        absolutePath: p.path,
        force: o.force
      })
    )
  }

  /** Puts one hunk of a file back as the scope's base has it (the person confirmed it). */
  async revertHunk(
    threadId: string,
    o: { path: string; oldPath: string | null; scope: ChangeScope; original: LineSpan; modified: LineSpan; expected: string }
  ): Promise<Result<void>> {
    const t = this.readable(threadId)
    if (!t.ok) return t
    const base = await this.baseOf(t.value, o.scope)
    if (!base.ok) return base
    const p = await locate(t.value.worktreePath, o.path)
    if (!p.ok) return err(appError(ErrorCode.InvalidParams, `Cannot revert ${o.path}: ${p.reason}.`))
    if ((await lstat(p.path).catch(() => null))?.isSymbolicLink())
      return err(appError(ErrorCode.InvalidParams, `${p.relative} is a symbolic link; revert the whole file instead.`))
    const blob = await readBlob(this.git, t.value.worktreePath, base.value, o.oldPath ?? p.relative, DIFF_GUARD.hardCapBytes)
    const original = blob.kind === 'ok' ? blob.bytes.toString('utf8') : blob.kind === 'missing' ? '' : null
    const current = await readFile(p.path, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : null))
    if (original === null || current === null)
      return err(appError(ErrorCode.InvalidParams, `${p.relative} cannot be read to revert a hunk; revert the whole file instead.`))
    const r = revertHunk(current, original, o, o.expected)
    if (r.kind === 'stale')
      return err(appError(ErrorCode.InvalidThreadState, `The hunk was not reverted: ${r.detail}. Look at the diff again and retry.`))
    try {
      // Written in place, so the file keeps its mode and any editor watching it sees an ordinary change.
      await writeFile(p.path, r.text)
    } catch (e) {
      return err(appError(ErrorCode.InvalidParams, `Could not write ${p.relative}: ${(e as Error).message}`))
    }
    return ok(undefined)
  }

  private readable(threadId: string): Result<Thread> {
    const t = this.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    if (!existsSync(t.worktreePath) || (t.mode === 'worktree' && !t.branch)) {
      return err(
        appError(
          ErrorCode.WorktreeMissing,
          `"${t.title}" has no worktree at ${t.worktreePath}, so it has no changes to show. Restore the thread first.`
        )
      )
    }
    return ok(t)
  }

  private async baseOf(t: Thread, scope: ChangeScope): Promise<Result<string>> {
    const r = await resolveBase(
      this.git,
      t.worktreePath,
      scope === 'uncommitted' ? { kind: 'uncommitted' } : { kind: 'base', baseRef: t.baseRef }
    )
    if (r.kind === 'bad-base')
      return err(appError(ErrorCode.BaseRefNotFound, `The base ref "${t.baseRef}" cannot be compared with this thread: ${r.detail}`))
    return ok(r.commit)
  }

  /** The branch's own commits (`base..HEAD`), newest first. */
  async commits(threadId: string): Promise<Result<{ commits: BranchCommit[]; more: number }>> {
    const t = this.readable(threadId)
    if (!t.ok) return t
    const r = await branchCommits(this.git, t.value.worktreePath, t.value.baseRef)
    if (r.kind === 'bad-base')
      return err(appError(ErrorCode.BaseRefNotFound, `The base ref "${t.value.baseRef}" cannot be compared with this thread: ${r.detail}.`))
    return ok({ commits: r.commits, more: r.more })
  }

  /** The files one commit changed. */
  async commitFiles(threadId: string, sha: string): Promise<Result<{ files: ChangedFile[] }>> {
    const t = this.readable(threadId)
    if (!t.ok) return t
    const r = await commitFiles(this.git, t.value.worktreePath, sha)
    if (r.kind === 'missing') return err(appError(ErrorCode.InvalidParams, `There is no commit ${sha} in this thread.`))
    return ok({ files: r.files })
  }

  /** The thread's change set. */
  async changes(threadId: string, scope: ChangeScope): Promise<Result<{ baseCommit: string; files: ChangedFile[] }>> {
    const readable = this.readable(threadId)
    if (!readable.ok) return readable
    const t = readable.value
    const r = await computeChangeSet(
      this.git,
      t.worktreePath,
      scope === 'uncommitted' ? { kind: 'uncommitted' } : { kind: 'base', baseRef: t.baseRef },
      this.changeCache
    )
    if (r.kind === 'bad-base')
      return err(appError(ErrorCode.BaseRefNotFound, `The base ref "${t.baseRef}" cannot be compared with this thread: ${r.detail}`))
    return ok({ baseCommit: r.baseCommit, files: r.files })
  }

  /** The thread's HEAD and base commits (a live change set stays valid while they do), or null. */
  async headAndBase(threadId: string): Promise<string | null> {
    const t = this.thread(threadId)
    if (!t || t.baseRef.startsWith('-')) return null
    const r = await this.git.exec(t.worktreePath, ['rev-parse', 'HEAD', `${t.baseRef}^{commit}`])
    return r.exitCode === 0 ? r.stdout.trim() : null
  }

  /** Removes the scratch indexes kept for change sets. */
  dispose(): Promise<void> {
    return this.changeCache.dispose()
  }
}
