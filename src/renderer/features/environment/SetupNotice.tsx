import { useState, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { Icon } from '../../ui/Icon'

/** One line on what setup did with files and folders: "Copied 2 files · node_modules linked". */
export function doneSummary(setup: NonNullable<Thread['setup']>): string {
  const parts: string[] = []
  if (setup.copied.length)
    parts.push(
      `Copied ${setup.copied.length} ${setup.copied.length === 1 ? 'file' : 'files'} (${setup.copied.slice(0, 3).join(', ')}${setup.copied.length > 3 ? ', …' : ''})`
    )
  for (const s of setup.shared) parts.push(`${s.path} ${s.outcome}${s.note ? ` (${s.note})` : ''}`)
  return parts.join(' · ')
}

/**
 * The worktree's environment setup, above the thread's tabs: "Setting up…" while it runs, and a
 * failure naming the command with the end of its log (the whole log is the Setup terminal).
 */
export function SetupNotice({ thread, onShowLog }: { thread: Thread; onShowLog: (ptyId: string) => void }): ReactElement | null {
  const setup = thread.setup
  const [hidden, setHidden] = useState<number | null>(null)
  if (!setup || setup.state === 'done' || hidden === setup.startedAt) return null
  const summary = doneSummary(setup)
  const showLog = setup.ptyId ? (
    <button type="button" className="btn btn-small" onClick={() => onShowLog(setup.ptyId!)}>
      <Icon name="terminal" size={12} /> {setup.state === 'running' ? 'Show setup output' : 'Open the Setup terminal'}
    </button>
  ) : null
  if (setup.state === 'running') {
    return (
      <div className="setup-notice setup-running" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        <div className="setup-text">
          <strong>Setting up this worktree…</strong>
          <span className="setup-detail">
            {setup.ptyId ? 'Running the setup commands.' : 'Copying files and sharing folders.'}
            {summary ? ` ${summary}.` : ''}
            {thread.agent ? '' : ' The agent starts once setup has finished.'}
          </span>
        </div>
        {showLog}
      </div>
    )
  }
  const f = setup.failure
  return (
    <div className="setup-notice setup-failed" role="alert">
      <Icon name="alert" size={14} />
      <div className="setup-text">
        <strong>Setup failed. The thread is usable; the worktree may be missing what setup would have made.</strong>
        <span className="setup-detail">{f?.message}</span>
        {f?.command && f.command.includes('\n') && <pre className="setup-command">{f.command}</pre>}
        {f?.logTail && (
          <details className="setup-log">
            <summary>Last lines of the setup log</summary>
            <pre>{f.logTail.split('\n').slice(-30).join('\n')}</pre>
          </details>
        )}
        {setup.warnings.length > 0 && <span className="setup-detail">{setup.warnings.join(' ')}</span>}
      </div>
      <div className="setup-actions">
        {showLog}
        <button type="button" className="icon-btn" aria-label="Dismiss the setup notice" onClick={() => setHidden(setup.startedAt)}>
          <Icon name="close" size={12} />
        </button>
      </div>
    </div>
  )
}
