import { useState, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import type { ChangeScope, ChangeSet } from '../../../shared/review'
import { shortcutLabel } from '../../ui/keyboard'
import { isArchived } from '../../state/threads-store'
import { pushBranch } from './changes-actions'
import { formatCount } from './file-format'

/** Props of the toolbar. */
export interface ChangesToolbarProps {
  thread: Thread
  scope: ChangeScope
  set: ChangeSet | null
  onScope: (scope: ChangeScope) => void
  onCommit: () => void
  /** Opens the merge preview and confirmation. */
  onMerge: () => void
}

/** One git action button that shows its progress while the core works. */
function ActionButton({
  label,
  busyLabel,
  title,
  run,
  primary
}: {
  label: string
  busyLabel: string
  title: string
  run: () => Promise<void>
  primary?: boolean
}): ReactElement {
  const [busy, setBusy] = useState(false)
  return (
    <button
      type="button"
      className={`btn btn-small${primary ? ' btn-primary' : ''}`}
      title={title}
      disabled={busy}
      aria-busy={busy || undefined}
      onClick={async () => {
        setBusy(true)
        try {
          await run()
        } finally {
          setBusy(false)
        }
      }}
    >
      {busy && <span className="btn-spinner" aria-hidden="true" />}
      {busy ? busyLabel : label}
    </button>
  )
}

/** Scope switch (since the base, or uncommitted only), the change set's totals, and the git actions. */
export function ChangesToolbar({ thread, scope, set, onScope, onCommit, onMerge }: ChangesToolbarProps): ReactElement {
  const additions = set?.files.reduce((n, f) => n + (f.additions ?? 0), 0) ?? 0
  const deletions = set?.files.reduce((n, f) => n + (f.deletions ?? 0), 0) ?? 0
  const ownBranch = thread.mode === 'worktree' && thread.branch !== null && !isArchived(thread)
  return (
    <div className="changes-toolbar">
      <div className="segmented" role="radiogroup" aria-label="Compare">
        <button
          type="button"
          role="radio"
          aria-checked={scope === 'base'}
          aria-label={`Since ${thread.baseRef}`}
          className="segment"
          title={`Everything the thread changed since it branched from ${thread.baseRef}`}
          onClick={() => onScope('base')}
        >
          Since <code>{thread.baseRef}</code>
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={scope === 'uncommitted'}
          className="segment"
          title="Only what is not committed yet"
          onClick={() => onScope('uncommitted')}
        >
          Uncommitted only
        </button>
      </div>
      {set && set.files.length > 0 && (
        <span className="changes-summary" aria-label={`${set.files.length} files changed, ${additions} additions, ${deletions} deletions`}>
          <span>
            {formatCount(set.files.length)} file{set.files.length === 1 ? '' : 's'}
          </span>
          <span className="count-add">+{formatCount(additions)}</span>
          <span className="count-del">−{formatCount(deletions)}</span>
        </span>
      )}
      <span className="spacer" />
      <span className="changes-keys" aria-hidden="true">
        <kbd>[</kbd>
        <kbd>]</kbd> files · <kbd>N</kbd> changes · <kbd>{shortcutLabel('Enter')}</kbd> send review
      </span>
      {ownBranch && (
        <div className="git-actions" role="group" aria-label="Git actions">
          <button type="button" className="btn btn-small" title="Stage and commit everything in the worktree" onClick={onCommit}>
            Commit…
          </button>
          <ActionButton label="Push" busyLabel="Pushing…" title={`Push ${thread.branch} to its remote`} run={() => pushBranch(thread.id)} />
          <button
            type="button"
            className="btn btn-small"
            title={`Preview merging ${thread.branch} into ${thread.baseRef}, then confirm`}
            onClick={onMerge}
          >
            Merge into base…
          </button>
        </div>
      )}
    </div>
  )
}
