import type { ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { CopyButton } from '../../ui/CopyButton'
import { Icon } from '../../ui/Icon'
import { StatusBadge } from '../../ui/StatusBadge'
import { ImportedMeta } from '../handoff'
import { useRepo } from '../../state/derived'
import { openThreadMenu } from '../threads'
import { workingCopy } from '../../state/threads-store'
import { RunControls } from '../run'
import { AutopilotBadge } from '../autopilot'
import { PrHeaderChip } from '../pr'
import { ThreadTitle } from './ThreadTitle'

/** Title, status and where the thread works (branch, base, mode, worktree), plus its status message. */
export function ThreadHeader({ thread }: { thread: Thread }): ReactElement {
  const repo = useRepo(thread.repoId)
  const copy = workingCopy(thread)
  return (
    <header className="thread-header">
      <div className="thread-header-top">
        <span className="thread-repo" title={repo?.path}>
          {repo?.name ?? 'Unknown repository'}
          <span className="crumb-sep" aria-hidden="true">
            /
          </span>
        </span>
        <ThreadTitle thread={thread} />
        <StatusBadge
          status={thread.status}
          agent={thread.agent}
          conversation={thread.conversation}
          message={thread.statusMessage}
          setup={thread.setup}
        />
        <AutopilotBadge threadId={thread.id} />
        <span className="spacer" />
        <PrHeaderChip threadId={thread.id} />
        <RunControls thread={thread} />
        <button
          type="button"
          className="icon-btn"
          aria-label="Thread actions"
          aria-haspopup="menu"
          onClick={(e) => openThreadMenu(thread, { anchor: e.currentTarget })}
        >
          <Icon name="more" size={15} />
        </button>
      </div>
      <div className="thread-meta">
        {thread.imported && <ImportedMeta imported={thread.imported} />}
        <span className="meta-item" title="Branch">
          <Icon name="branch" />
          <code>{thread.branch ?? 'no branch'}</code>
        </span>
        <span className="meta-item" title="Base ref">
          <span className="meta-key">from</span>
          <code>{thread.baseRef}</code>
        </span>
        <span
          className="meta-item"
          title={thread.mode === 'worktree' ? 'Runs in its own worktree' : "Runs in the repository's own checkout"}
        >
          <span className={`mode-pill mode-${thread.mode}`}>{thread.mode === 'worktree' ? 'Worktree' : 'Local'}</span>
        </span>
        <span className="meta-item meta-path">
          <Icon name="folder" />
          {copy.path ? (
            <>
              <code className="path-text" title={`${copy.label}: ${copy.path}`}>
                {copy.path}
              </code>
              <CopyButton value={copy.path} label={`Copy ${copy.label.toLowerCase()} path`} />
            </>
          ) : (
            <span className="meta-key">{copy.note.toLowerCase()}</span>
          )}
        </span>
      </div>
      {thread.statusMessage && (
        <div
          className={`banner ${thread.status === 'error' ? 'banner-error' : 'banner-note'}`}
          role={thread.status === 'error' ? 'alert' : 'note'}
        >
          <Icon name={thread.status === 'error' ? 'alert' : 'info'} size={15} />
          <span>{thread.statusMessage}</span>
        </div>
      )}
    </header>
  )
}
