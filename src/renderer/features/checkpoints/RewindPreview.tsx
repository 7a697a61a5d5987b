import { useEffect, useState, type ReactElement } from 'react'
import type { Checkpoint, CheckpointDiff } from '../../../shared/checkpoints'
import type { ChangedFile } from '../../../shared/review'
import { request } from '../../state/rpc'
import { Icon } from '../../ui/Icon'
import { describeFile, FileDiffPreview, formatCount, splitPath, statusMark } from '../changes'
import { files, leftOutLine, shortSha } from './checkpoint-format'

/** What rewinding the files does to one file, in the list's words (the diff runs from now to the checkpoint). */
const verbs: Record<ChangedFile['status'], string> = {
  added: 'Comes back',
  deleted: 'Removed',
  modified: 'Changed back',
  renamed: 'Renamed back',
  'type-changed': 'Type changed back'
}

function FileRow({ file, selected, onSelect }: { file: ChangedFile; selected: boolean; onSelect: () => void }): ReactElement {
  const { dir, name } = splitPath(file.path)
  const mark = statusMark[file.status]
  return (
    <li>
      <button
        type="button"
        className={`preview-file${selected ? ' is-selected' : ''}`}
        aria-current={selected || undefined}
        aria-label={describeFile(file)}
        title={`${verbs[file.status]}: ${file.oldPath ? `${file.oldPath} → ` : ''}${file.path}`}
        onClick={onSelect}
      >
        <span className={`file-status status-${file.status}`} aria-hidden="true">
          {mark.letter}
        </span>
        <span className="preview-file-path">
          <span className="file-dir">{dir}</span>
          <span className="file-name">{name}</span>
        </span>
        {file.binary ? (
          <span className="preview-file-counts muted">binary</span>
        ) : (
          <span className="preview-file-counts">
            <span className="count-add">+{formatCount(file.additions ?? 0)}</span>
            <span className="count-del">−{formatCount(file.deletions ?? 0)}</span>
          </span>
        )}
      </button>
    </li>
  )
}

/** Named paths in a banner: blocked files, or files the checkpoint left out. */
function PathBanner({ kind, title, lines }: { kind: 'error' | 'note'; title: string; lines: string[] }): ReactElement | null {
  if (lines.length === 0) return null
  return (
    <div className={`banner banner-${kind === 'error' ? 'error' : 'warning'} preview-paths`} role={kind === 'error' ? 'alert' : 'note'}>
      <Icon name="alert" size={14} />
      <div>
        <strong>{title}</strong>
        <ul>
          {lines.map((l) => (
            <li key={l}>
              <code>{l}</code>
            </li>
          ))}
        </ul>
      </div>
    </div>
  )
}

/** The summary line above the file list: how many files, lines, and whether the index or HEAD move too. */
function Summary({ diff }: { diff: CheckpointDiff }): ReactElement {
  const added = diff.files.reduce((n, f) => n + (f.additions ?? 0), 0)
  const removed = diff.files.reduce((n, f) => n + (f.deletions ?? 0), 0)
  const head = diff.checkpoint.head
  return (
    <div className="preview-summary" data-testid="rewind-summary">
      <span>
        {diff.files.length === 0 ? (
          'No file changes: the files are as they were then.'
        ) : (
          <>
            <strong>{files(diff.files.length)}</strong> will change <span className="count-add">+{formatCount(added)}</span>{' '}
            <span className="count-del">−{formatCount(removed)}</span>
          </>
        )}
      </span>
      {diff.headChanges && (
        <span className="preview-note">
          <Icon name="branch" size={12} />
          HEAD moves back to <code>{head ? shortSha(head) : 'its commit then'}</code>
          {diff.checkpoint.branch && (
            <>
              {' '}
              on <code>{diff.checkpoint.branch}</code>
            </>
          )}
        </span>
      )}
      {diff.indexChanges && (
        <span className="preview-note">
          <Icon name="info" size={12} />
          Staged changes go back to what was staged then
        </span>
      )}
      {diff.files.length > 0 && <span className="preview-note preview-sides">Diff: the file now → after the rewind</span>}
    </div>
  )
}

/**
 * What a code rewind would change, before it happens (`checkpoint/diff`): the files with their +/- counts, the
 * selected file's diff from now to the checkpoint (`checkpoint/file`), whether the index or HEAD move, the files
 * that block it and those the checkpoint left out.
 */
export function RewindPreview({
  threadId,
  checkpoint,
  diff,
  error
}: {
  threadId: string
  checkpoint: Checkpoint
  diff: CheckpointDiff | null
  error: string | null
}): ReactElement {
  const [selected, setSelected] = useState<string | null>(null)
  useEffect(() => {
    if (diff && !diff.files.some((f) => f.path === selected)) setSelected(diff.files[0]?.path ?? null)
  }, [diff, selected])

  if (error)
    return (
      <div className="banner banner-error" role="alert">
        <Icon name="alert" size={14} />
        <span>Could not work out what would change: {error}</span>
      </div>
    )
  if (!diff)
    return (
      <div className="rewind-preview is-loading" aria-busy="true">
        <div className="spinner" aria-hidden="true" />
        <span className="muted">Comparing the files now with checkpoint {checkpoint.n}…</span>
      </div>
    )
  const file = diff.files.find((f) => f.path === selected) ?? null
  return (
    <div className="rewind-preview">
      <Summary diff={diff} />
      <PathBanner
        kind="error"
        title="These files would be lost or cannot be put back, so the files cannot be rewound:"
        lines={diff.blocked.map((b) => `${b.path}: ${b.reason}`)}
      />
      <PathBanner
        kind="note"
        title="Not saved in this checkpoint (left as they are now):"
        lines={diff.checkpoint.leftOut.map(leftOutLine)}
      />
      {diff.files.length > 0 && (
        <div className="preview-split">
          <ul className="preview-files" aria-label="Files the rewind changes">
            {diff.files.map((f) => (
              <FileRow key={f.path} file={f} selected={f.path === selected} onSelect={() => setSelected(f.path)} />
            ))}
          </ul>
          <div className="preview-diff">
            {file && (
              <FileDiffPreview
                threadId={threadId}
                file={file}
                load={(force) => request('checkpoint/file', { threadId, checkpoint: checkpoint.n, path: file.path, force })}
              />
            )}
          </div>
        </div>
      )}
    </div>
  )
}
