import { useEffect, useRef, useState, type MutableRefObject, type ReactElement, type ReactNode } from 'react'
import type { ChangedFile, ChangeScope, FileDiff, ReviewComment } from '../../../shared/review'
import { errorMessage, request } from '../../state/rpc'
import { Icon } from '../../ui/Icon'
import { useChanges, type DiffLayout } from './changes-store'
import { CommentCard } from './CommentCards'
import { RemoteThreadCard } from './RemoteThreadCards'
import { useThreadsOf } from '../pr'
import { formatBytes, formatCount, splitPath, statusMark } from './file-format'
import { linesLabel } from './hunks'
import type { DiffApi, DiffStatus, HunkRequest } from './diff-types'
import { MonacoDiffView } from './MonacoDiffView'

/** Props of the diff pane. */
export interface DiffPaneProps {
  threadId: string
  file: ChangedFile
  scope?: ChangeScope
  comments?: readonly ReviewComment[]
  apiRef?: MutableRefObject<DiffApi | null>
  /** Absent where files cannot be reverted (local threads). */
  onRevertFile?: (file: ChangedFile) => void
  onRevertHunk?: (file: ChangedFile, hunk: HunkRequest) => void
  /**
   * Where both sides come from, when not the thread's change set (a checkpoint's rewind preview). Such a diff is
   * read-only: no comments and no reverts.
   */
  load?: (force: boolean) => Promise<FileDiff>
}

/** The last answer and which load it came from (every load gives the editor fresh models). */
type Loaded = { diff: FileDiff; load: number } | null

const noStatus: DiffStatus = { ready: false, changes: 0, current: -1, selection: null }
const NO_COMMENTS: readonly ReviewComment[] = []

const layoutIcons: Record<DiffLayout, string> = {
  'side-by-side': 'M2.5 3h11v10h-11zM8 3v10',
  inline: 'M2.5 3h11v10h-11zM5 6.5h6M5 9.5h6'
}

function LayoutSwitch({ layout }: { layout: DiffLayout }): ReactElement {
  const setLayout = useChanges((s) => s.setLayout)
  return (
    <div className="segmented layout-switch" role="radiogroup" aria-label="Diff layout">
      {(['side-by-side', 'inline'] as const).map((l) => {
        const label = l === 'side-by-side' ? 'Side by side' : 'Inline'
        return (
          <button
            key={l}
            type="button"
            role="radio"
            aria-checked={layout === l}
            aria-label={label}
            title={label}
            className="segment"
            onClick={() => setLayout(l)}
          >
            <svg
              width="14"
              height="14"
              viewBox="0 0 16 16"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.3"
              strokeLinejoin="round"
              aria-hidden="true"
            >
              <path d={layoutIcons[l]} />
            </svg>
          </button>
        )
      })}
    </div>
  )
}

/** A notice in place of the diff: binary, not UTF-8, too large, or a load error. */
function Notice({ icon, title, children }: { icon: 'info' | 'alert'; title: string; children?: ReactNode }): ReactElement {
  return (
    <div className="diff-notice" role="status">
      <Icon name={icon} size={22} />
      <h3>{title}</h3>
      {children}
    </div>
  )
}

const tooLargeWhy: Record<Extract<FileDiff, { kind: 'too-large' }>['reason'], string> = {
  bytes: 'Both sides together are larger than the diff view shows by default.',
  'long-line': 'It has a line too long to show comfortably.',
  'many-lines': 'It changes more lines than the diff view shows by default.',
  'hard-cap': 'It is too large to show here at all.'
}

/** The open file (keyed by path, so another file starts afresh): its header (path, counts, change navigation, layout, revert) and its diff or a notice. */
export function DiffPane({
  threadId,
  file,
  scope = 'base',
  comments = NO_COMMENTS,
  apiRef: givenApiRef,
  onRevertFile,
  onRevertHunk,
  load
}: DiffPaneProps): ReactElement {
  const ownApiRef = useRef<DiffApi | null>(null)
  const apiRef = givenApiRef ?? ownApiRef
  const loadRef = useRef(load)
  loadRef.current = load
  const reviewing = !load
  const layout = useChanges((s) => s.layout)
  const [loaded, setLoaded] = useState<Loaded>(null)
  const [error, setError] = useState<string | null>(null)
  const [force, setForce] = useState(false)
  const [status, setStatus] = useState<DiffStatus>(noStatus)
  const latest = useRef(0)

  // Load both sides; again whenever the file's version changes (the old diff stays up meanwhile).
  useEffect(() => {
    const mine = ++latest.current
    setError(null)
    const source = loadRef.current
    ;(source ? source(force) : request('review/file', { threadId, path: file.path, oldPath: file.oldPath, scope, force })).then(
      (diff) => {
        if (latest.current === mine) setLoaded({ diff, load: mine })
      },
      (e: unknown) => {
        if (latest.current === mine) setError(errorMessage(e))
      }
    )
  }, [threadId, file.path, file.oldPath, file.version, scope, force])

  const { dir, name } = splitPath(file.path)
  const mark = statusMark[file.status]
  const outdated = comments.filter((c) => c.status === 'outdated')
  const anchored = comments.filter((c) => c.status !== 'outdated')
  const remote = useThreadsOf(threadId)?.threads.filter((t) => t.path === file.path && reviewing) ?? []
  const onLines = remote.filter((t) => !t.outdated && t.side === 'right' && t.line !== null)
  const offLines = remote.filter((t) => !onLines.includes(t))
  const diff = loaded?.diff
  const isText = diff?.kind === 'text'

  return (
    <section className="diff-pane" aria-label={`Diff of ${file.path}`}>
      <header className="diff-header">
        <span className={`file-status status-${file.status}`} title={mark.label}>
          {mark.letter}
        </span>
        <h2 className="diff-title" title={file.oldPath ? `${file.oldPath} → ${file.path}` : file.path}>
          {file.oldPath && <span className="file-old">{file.oldPath} →</span>}
          <span className="file-dir">{dir}</span>
          <span className="file-name">{name}</span>
        </h2>
        {!file.binary && (
          <span className="file-counts">
            <span className="count-add">+{formatCount(file.additions ?? 0)}</span>
            <span className="count-del">−{formatCount(file.deletions ?? 0)}</span>
          </span>
        )}
        <span className="spacer" />
        {isText && (
          <>
            <div className="change-nav" role="group" aria-label="Changes in this file">
              <span className="change-count" aria-live="polite">
                {!status.ready
                  ? 'Comparing…'
                  : status.changes === 0
                    ? 'No changes'
                    : status.current >= 0
                      ? `Change ${status.current + 1} of ${status.changes}`
                      : `${status.changes} change${status.changes === 1 ? '' : 's'}`}
              </span>
              <button
                type="button"
                className="icon-btn"
                aria-label="Previous change"
                title="Previous change (Shift+N, Shift+F7)"
                disabled={!status.changes}
                onClick={() => apiRef.current?.step(-1)}
              >
                <Icon name="arrowUp" size={13} />
              </button>
              <button
                type="button"
                className="icon-btn"
                aria-label="Next change"
                title="Next change (N, F7)"
                disabled={!status.changes}
                onClick={() => apiRef.current?.step(1)}
              >
                <Icon name="arrowDown" size={13} />
              </button>
            </div>
            {reviewing && status.selection && file.status !== 'deleted' && (
              <button
                type="button"
                className="btn btn-small"
                title="Comment on the selected lines (C)"
                onClick={() => apiRef.current?.commentOnSelection()}
              >
                Comment on {linesLabel(status.selection.start, status.selection.end)}
              </button>
            )}
            <LayoutSwitch layout={layout} />
          </>
        )}
        {onRevertFile && (
          <button
            type="button"
            className="btn btn-small btn-danger-quiet"
            title="Throw away this file's changes"
            onClick={() => onRevertFile(file)}
          >
            Revert file…
          </button>
        )}
      </header>
      {outdated.length > 0 && (
        <div className="outdated-comments" role="region" aria-label="Outdated comments">
          <div className="outdated-title">
            <Icon name="alert" size={13} />
            {outdated.length} outdated comment{outdated.length === 1 ? '' : 's'}: their lines have changed since
          </div>
          {outdated.map((c) => (
            <CommentCard key={c.id} threadId={threadId} comment={c} showCode />
          ))}
        </div>
      )}
      {offLines.length > 0 && (
        <div className="outdated-comments" role="region" aria-label="Review threads not on a line">
          <div className="outdated-title">
            <Icon name="pull-request" size={13} />
            {offLines.length} review thread{offLines.length === 1 ? '' : 's'} not on a line of the file now (outdated, or on removed lines)
          </div>
          {offLines.map((t) => (
            <RemoteThreadCard key={t.id} threadId={threadId} thread={t} />
          ))}
        </div>
      )}
      <div className="diff-pane-body">
        {error ? (
          <Notice icon="alert" title="Could not load this diff">
            <p>{error}</p>
          </Notice>
        ) : !diff ? (
          <div className="empty-state" aria-busy="true">
            <div className="spinner" aria-hidden="true" />
          </div>
        ) : diff.kind === 'binary' ? (
          <Notice icon="info" title="Binary file">
            <p>
              {file.status === 'added'
                ? `Added, ${formatBytes(diff.modifiedBytes)}.`
                : file.status === 'deleted'
                  ? `Deleted, was ${formatBytes(diff.originalBytes)}.`
                  : `${formatBytes(diff.originalBytes)} → ${formatBytes(diff.modifiedBytes)}.`}
            </p>
            <p className="muted">Skein does not show the contents of binary files.</p>
          </Notice>
        ) : diff.kind === 'not-utf8' ? (
          <Notice icon="info" title="Not UTF-8; open it in your editor">
            <p>
              {diff.side === 'both' ? 'Neither side' : diff.side === 'original' ? 'The base side' : 'The file on disk'} is not valid UTF-8
              text (Latin-1 or UTF-16, perhaps), so it is not shown rather than shown garbled.
            </p>
            <p className="muted">
              {formatBytes(diff.originalBytes)} → {formatBytes(diff.modifiedBytes)}
            </p>
          </Notice>
        ) : diff.kind === 'too-large' ? (
          <Notice icon="info" title="This diff is large">
            <p>{tooLargeWhy[diff.reason]}</p>
            <dl className="notice-facts">
              <dt>Size</dt>
              <dd>{formatBytes(diff.bytes)}</dd>
              <dt>Longest line</dt>
              <dd>{formatCount(diff.longestLine)} characters</dd>
              <dt>Changed lines</dt>
              <dd>{formatCount(diff.changedLines)}</dd>
            </dl>
            {diff.canForce ? (
              <button type="button" className="btn" onClick={() => setForce(true)}>
                Open anyway
              </button>
            ) : (
              <p className="muted">Open it in your editor instead.</p>
            )}
          </Notice>
        ) : (
          <MonacoDiffView
            threadId={threadId}
            path={file.path}
            original={diff.original}
            modified={diff.modified}
            contentKey={String(loaded!.load)}
            layout={layout}
            comments={file.status === 'deleted' ? [] : anchored}
            remote={file.status === 'deleted' ? undefined : onLines}
            commentable={reviewing && file.status !== 'deleted'}
            apiRef={apiRef}
            onStatus={setStatus}
            onRevertHunk={reviewing ? (hunk) => onRevertHunk?.(file, hunk) : undefined}
            onError={setError}
          />
        )}
      </div>
    </section>
  )
}
