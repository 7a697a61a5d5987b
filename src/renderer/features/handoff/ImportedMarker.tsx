import type { ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { formatDateTime } from '../../ui/clock'
import { CopyButton } from '../../ui/CopyButton'
import { Icon } from '../../ui/Icon'
import { isArchived } from '../../state/threads-store'
import { continueInCli, forkThread } from './handoff-actions'
import { importedLabel, sourceLabel } from './handoff-format'
import { ImportReportSummary } from './ImportReportSummary'
import { SourceMark } from './SourceMark'

type Imported = NonNullable<Thread['imported']>

/** The tooltip of an imported marker: the whole session id, and where and when it was read. */
const describe = (imported: Imported): string =>
  `${sourceLabel(imported.source)} session ${imported.sessionId}\nRan in ${imported.cwd}\nRead from ${imported.path}\nImported ${formatDateTime(imported.importedAt)}`

/** "Imported from Claude Code · 5f0c2a1e" in the thread header, with the full id on hover and a copy button. */
export function ImportedMeta({ imported }: { imported: Imported }): ReactElement {
  return (
    <span className="meta-item imported-meta">
      <SourceMark source={imported.source} compact />
      <span className="imported-label" title={describe(imported)} data-session-id={imported.sessionId}>
        {importedLabel(imported)}
      </span>
      <CopyButton value={imported.sessionId} label="Copy session id" />
    </span>
  )
}

/**
 * The strip above an imported conversation: where it came from, that writing below continues it
 * with Skein's built-in agent, and the ways to take it further (its own CLI, or a worktree fork).
 */
export function ImportedBanner({ thread }: { thread: Thread }): ReactElement | null {
  const imported = thread.imported
  if (!imported) return null
  const archived = isArchived(thread)
  const cli = sourceLabel(imported.source)
  return (
    <div className="imported-banner" role="note" aria-label="Imported session">
      <div className="imported-banner-text">
        <span className="imported-banner-title">
          <SourceMark source={imported.source} compact />
          <span title={describe(imported)} data-session-id={imported.sessionId}>
            {importedLabel(imported)}
          </span>
          <CopyButton value={imported.sessionId} label="Copy session id" />
        </span>
        {imported.report && <ImportReportSummary report={imported.report} className="imported-banner-report" />}
        <span className="imported-banner-hint">
          Writing below continues with Skein&apos;s built-in agent, with this transcript as its context. To pick up where {cli} left off,
          continue in {cli}.
        </span>
      </div>
      {!archived && (
        <div className="imported-banner-actions">
          <button
            type="button"
            className="btn btn-small"
            title={`Runs ${imported.resumeCommand} in this thread's terminal`}
            onClick={() => void continueInCli(thread)}
          >
            <Icon name="terminal" size={12} />
            Continue in {cli}
          </button>
          <button
            type="button"
            className="btn btn-small"
            title="A new thread in its own worktree and branch, with a copy of this conversation"
            onClick={() => void forkThread(thread)}
          >
            <Icon name="fork" size={12} />
            Fork into worktree
          </button>
        </div>
      )}
    </div>
  )
}
