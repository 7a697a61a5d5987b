import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react'
import { ErrorCode } from '../../../shared/errors'
import type { Thread } from '../../../shared/models'
import { DIFF_GUARD, type ChangedFile, type ReviewComment } from '../../../shared/review'
import { Icon } from '../../ui/Icon'
import { isArchived } from '../../state/threads-store'
import { hasPrimaryModifier, isEditable, shortcutLabel } from '../../ui/keyboard'
import { explainNoPendingComments, revertFile, revertHunk, submitReview } from './changes-actions'
import { changedLines, useChanges, useThreadChanges } from './changes-store'
import { unwatchChanges, watchChanges } from './changes-sync'
import { ChangesToolbar } from './ChangesToolbar'
import { CommitDialog, ConfirmDialog } from './ChangesDialogs'
import { CommitList } from './CommitList'
import { DiffPane } from './DiffPane'
import { RemoteThreadsBar } from './RemoteThreadCards'
import { loadRemoteThreads, usePrStatus } from '../pr'
import { MergeDialog, useMergedInto } from './MergeDialog'
import { archiveThread } from '../../state/thread-actions'
import { formatCount, matchesFilter } from './file-format'
import { FileList, type FileCommentCounts } from './FileList'
import { linesLabel } from './hunks'
import type { DiffApi, HunkRequest } from './diff-types'

type Confirm =
  { kind: 'file'; file: ChangedFile } | { kind: 'hunk'; file: ChangedFile; hunk: HunkRequest } | { kind: 'commit' } | { kind: 'merge' }

const NO_COMMENTS: ReviewComment[] = []

/** True when a key is typed into a text field: not Monaco's own input (the diff is read-only), but its find box is one. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.closest('.comment-zone')) return true
  if (target.classList.contains('native-edit-context') || target.classList.contains('inputarea')) return false
  return isEditable(target)
}

/** "2 pending comments — Send review": shown while there are comments on this thread. */
function ReviewBar({ comments, onSend }: { comments: readonly ReviewComment[]; onSend: () => Promise<void> }): ReactElement | null {
  const [busy, setBusy] = useState(false)
  const pending = comments.filter((c) => c.status === 'pending').length
  const sent = comments.filter((c) => c.status === 'sent').length
  const outdated = comments.filter((c) => c.status === 'outdated').length
  if (comments.length === 0) return null
  return (
    <div className={`review-bar${pending ? ' has-pending' : ''}`} role="region" aria-label="Review">
      <span className="review-count">
        <strong>{pending ? `${pending} pending comment${pending === 1 ? '' : 's'}` : 'No pending comments'}</strong>
        {sent > 0 && <span className="muted"> · {sent} sent</span>}
        {outdated > 0 && <span className="review-outdated"> · {outdated} outdated</span>}
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-small btn-primary"
        disabled={!pending || busy}
        onClick={async () => {
          setBusy(true)
          await onSend()
          setBusy(false)
        }}
      >
        {busy ? 'Sending…' : 'Send review'}
        <kbd className="btn-kbd">{shortcutLabel('Enter')}</kbd>
      </button>
    </div>
  )
}

/** The Changes tab: what the thread changed (live), its diffs, review comments and git actions. */
export function ChangesTab({ thread }: { thread: Thread }): ReactElement {
  const state = useThreadChanges(thread.id)
  const patch = useChanges((s) => s.patch)
  const scope = state?.scope ?? 'base'
  const set = state?.set ?? null
  const filter = state?.filter ?? ''
  const comments = state?.comments ?? NO_COMMENTS
  const selected = state?.selected ?? null
  const [confirm, setConfirm] = useState<Confirm | null>(null)
  // Bumped by each merge so the tab asks again whether the work is in the base.
  const [mergeCount, setMergeCount] = useState(0)
  // Bumped by each commit from the dialog, so the commit list reloads.
  const [commitCount, setCommitCount] = useState(0)
  const merged = useMergedInto(
    thread,
    set !== null && set.files.length === 0 && scope === 'base',
    `${mergeCount}:${set?.files.length ?? -1}`
  )
  const diffApi = useRef<DiffApi | null>(null)
  const filterRef = useRef<HTMLInputElement>(null)
  const canRevert = thread.mode === 'worktree' && thread.branch !== null && !isArchived(thread)

  // Archiving removes the worktree and restoring brings it back: either way the watch starts again.
  const archived = isArchived(thread)
  useEffect(() => {
    void watchChanges(thread.id, scope)
    return () => unwatchChanges(thread.id)
  }, [thread.id, scope, archived])
  // Review threads are placed again on the files as they change (the core reads the service only now and then).
  const hasRequest = usePrStatus(thread.id) !== undefined
  useEffect(() => {
    if (hasRequest && set) void loadRemoteThreads(thread.id)
  }, [thread.id, hasRequest, set])

  const files = useMemo(() => (set ? set.files.filter((f) => matchesFilter(f, filter)) : []), [set, filter])
  const overGuard = set ? changedLines(set) > DIFF_GUARD.maxChangedLines : false
  const counts = useMemo(() => {
    const map = new Map<string, FileCommentCounts>()
    for (const c of comments) {
      const entry = map.get(c.path) ?? { open: 0, outdated: 0 }
      if (c.status === 'outdated') entry.outdated++
      else entry.open++
      map.set(c.path, entry)
    }
    return map
  }, [comments])
  const open = set?.files.find((f) => f.path === selected) ?? null

  // The first file opens by itself, unless the whole change set is over the size guard.
  useEffect(() => {
    if (!set || open) return
    const first = set.files[0]
    patch(thread.id, { selected: first && !overGuard ? first.path : null })
  }, [set, open, overGuard, thread.id, patch])

  const select = (path: string) => patch(thread.id, { selected: path })
  const stepFile = (direction: 1 | -1) => {
    if (files.length === 0) return
    const i = files.findIndex((f) => f.path === selected)
    select(files[i < 0 ? 0 : (i + direction + files.length) % files.length].path)
  }
  const send = async () => {
    await submitReview(thread.id)
  }

  const onKeyDownCapture = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.defaultPrevented || e.nativeEvent.isComposing) return
    // Dialogs and menus are portals: their keys pass through here in React's tree but are theirs.
    if (!e.currentTarget.contains(e.target as Node)) return
    const handled = () => {
      e.preventDefault()
      e.stopPropagation()
    }
    if (
      e.key === 'Enter' &&
      hasPrimaryModifier(e) &&
      !e.shiftKey &&
      !(e.target instanceof HTMLElement && e.target.closest('.comment-zone'))
    ) {
      handled()
      if (comments.some((c) => c.status === 'pending')) void send()
      else explainNoPendingComments()
      return
    }
    if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
    if (e.key === ']') {
      handled()
      stepFile(1)
    } else if (e.key === '[') {
      handled()
      stepFile(-1)
    } else if (e.key === 'n' || e.key === 'N' || e.key === 'F7') {
      handled()
      diffApi.current?.step(e.shiftKey ? -1 : 1)
    } else if (e.key === 'c' && !e.shiftKey) {
      handled()
      diffApi.current?.commentOnSelection(true)
    } else if (e.key === '/') {
      handled()
      filterRef.current?.focus()
    }
  }

  const error = state?.error
  return (
    <div className="changes" onKeyDownCapture={onKeyDownCapture}>
      <ChangesToolbar
        thread={thread}
        scope={scope}
        set={set}
        onScope={(s) => patch(thread.id, { scope: s })}
        onCommit={() => setConfirm({ kind: 'commit' })}
        onMerge={() => setConfirm({ kind: 'merge' })}
      />
      {error ? (
        <div className="empty-state">
          <div className="banner banner-error" role="alert">
            <Icon name="alert" size={15} />
            <span>{error.message}</span>
          </div>
          <div className="empty-actions">
            {error.code === ErrorCode.BaseRefNotFound && scope === 'base' && (
              <button type="button" className="btn" onClick={() => patch(thread.id, { scope: 'uncommitted' })}>
                Show uncommitted changes
              </button>
            )}
            <button type="button" className="btn" onClick={() => void watchChanges(thread.id, scope)}>
              Try again
            </button>
          </div>
        </div>
      ) : !set ? (
        <div className="empty-state" aria-busy="true">
          <div className="spinner" aria-hidden="true" />
        </div>
      ) : set.files.length === 0 && scope === 'base' && merged ? (
        <div className="empty-state changes-empty changes-merged">
          <Icon name="check" size={24} />
          <h2>Merged into {thread.baseRef}</h2>
          <p>
            Every commit of {thread.branch} is in {thread.baseRef}. Archive the thread to put its worktree away; it can be restored.
          </p>
          <div className="empty-actions">
            <button type="button" className="btn btn-primary" onClick={() => void archiveThread(thread)}>
              Archive thread
            </button>
          </div>
        </div>
      ) : set.files.length === 0 ? (
        <div className="empty-state changes-empty">
          <Icon name="check" size={24} />
          <h2>No changes yet…</h2>
          <p>
            {scope === 'base'
              ? `Nothing differs from ${thread.baseRef}. Files the agent edits, adds or deletes show up here as it works.`
              : 'Everything is committed. Edits in the worktree show up here as they happen.'}
          </p>
        </div>
      ) : (
        <>
          {overGuard && (
            <div className="banner banner-note changes-guard" role="note">
              <Icon name="info" size={15} />
              <span>
                This change set is large: {formatCount(changedLines(set))} changed lines in {formatCount(set.files.length)} files. Pick a
                file to see its diff.
              </span>
            </div>
          )}
          <ReviewBar comments={comments} onSend={send} />
          <RemoteThreadsBar threadId={thread.id} />
          <div className="changes-body">
            <aside className="changes-files" aria-label="Files">
              <div className="file-filter">
                <Icon name="search" size={13} />
                <input
                  ref={filterRef}
                  className="file-filter-input"
                  type="search"
                  aria-label="Filter files"
                  placeholder="Filter files"
                  value={filter}
                  onChange={(e) => patch(thread.id, { filter: e.target.value })}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape' && filter) {
                      e.preventDefault()
                      e.stopPropagation()
                      patch(thread.id, { filter: '' })
                    } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
                      e.preventDefault()
                      ;(document.querySelector<HTMLElement>('.file-row[tabindex="0"]') ?? undefined)?.focus()
                    }
                  }}
                />
                {filter && (
                  <span className="file-filter-count">
                    {files.length}/{set.files.length}
                  </span>
                )}
              </div>
              <FileList
                files={files}
                selected={selected}
                comments={counts}
                onOpen={select}
                onRevert={canRevert ? (file) => setConfirm({ kind: 'file', file }) : undefined}
              />
              <CommitList
                threadId={thread.id}
                baseRef={thread.baseRef}
                refresh={`${set.baseCommit}:${set.files.length}:${thread.lastActivityAt}:${mergeCount}:${commitCount}`}
              />
            </aside>
            {open ? (
              <DiffPane
                key={open.path}
                threadId={thread.id}
                file={open}
                scope={scope}
                comments={comments.filter((c) => c.path === open.path)}
                apiRef={diffApi}
                onRevertFile={canRevert ? (file) => setConfirm({ kind: 'file', file }) : undefined}
                onRevertHunk={canRevert ? (file, hunk) => setConfirm({ kind: 'hunk', file, hunk }) : undefined}
              />
            ) : (
              <div className="empty-state diff-placeholder">
                <p>Pick a file to see its diff.</p>
              </div>
            )}
          </div>
        </>
      )}
      {confirm?.kind === 'merge' && (
        <MergeDialog
          thread={thread}
          onClose={() => setConfirm(null)}
          onMerged={() => {
            setMergeCount((n) => n + 1)
            void watchChanges(thread.id, scope)
          }}
        />
      )}
      {confirm?.kind === 'commit' && (
        <CommitDialog
          threadId={thread.id}
          title={thread.title}
          files={set?.files.length ?? 0}
          onClose={() => {
            setConfirm(null)
            setCommitCount((n) => n + 1)
          }}
        />
      )}
      {confirm?.kind === 'file' && (
        <ConfirmDialog
          title={`Revert ${confirm.file.path}?`}
          description={
            <>
              {scope === 'base'
                ? `It goes back to how it is at the thread's base (${thread.baseRef})`
                : "Its uncommitted changes are thrown away: it goes back to how it is in the branch's last commit"}
              {confirm.file.oldPath ? `, under its old name ${confirm.file.oldPath}` : ''}, or is deleted if it is not there.
              {scope === 'base' && ' The branch keeps its commits; the revert is a new uncommitted change you can still commit or undo.'}
            </>
          }
          confirmLabel="Revert file"
          busyLabel="Reverting…"
          onConfirm={() => revertFile(thread.id, confirm.file.path, confirm.file.oldPath, scope)}
          onClose={() => setConfirm(null)}
        />
      )}
      {confirm?.kind === 'hunk' && (
        <ConfirmDialog
          title="Revert this change?"
          description={
            <>
              {confirm.hunk.modified.count === 0
                ? `Puts back ${confirm.hunk.original.count} deleted line${confirm.hunk.original.count === 1 ? '' : 's'}`
                : `Puts ${linesLabel(confirm.hunk.modified.start, confirm.hunk.modified.start + confirm.hunk.modified.count - 1)} back`}{' '}
              in <code>{confirm.file.path}</code> as {scope === 'base' ? `on ${thread.baseRef}` : 'last committed'}.
            </>
          }
          confirmLabel="Revert change"
          busyLabel="Reverting…"
          onConfirm={() => revertHunk(thread.id, { path: confirm.file.path, oldPath: confirm.file.oldPath, scope, ...confirm.hunk })}
          onClose={() => setConfirm(null)}
        >
          {confirm.hunk.expected && <pre className="confirm-code">{confirm.hunk.expected.split('\n').slice(0, 12).join('\n')}</pre>}
        </ConfirmDialog>
      )}
    </div>
  )
}
