import type { ReactElement, ReactNode } from 'react'
import { leftOutLines, savedLine } from '../../../shared/archive-report'
import type { Thread } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { formatAgo, formatDateTime, useNow } from '../../ui/clock'
import { CopyButton } from '../../ui/CopyButton'
import { Icon } from '../../ui/Icon'
import { StatusBadge } from '../../ui/StatusBadge'
import { builtInAgentLine, conversationRan } from '../../../shared/thread-state'
import { profileLabel } from '../agents'
import { SourceMark } from '../handoff'
import { useRepo } from '../../state/derived'
import { archiveThread, restoreThread } from '../../state/thread-actions'
import { canRecreateWorktree, isArchived, workingCopy } from '../../state/threads-store'
import { useThreadView } from '../../state/thread-view-store'
import { doneSummary } from '../environment'
import { ThreadDiskDetail } from '../disk'
import { RunSection } from '../run'
import { ForkDetails, forkCountOf } from '../checkpoints'

function Row({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="detail-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function When({ at, now }: { at: number; now: number }): ReactElement {
  return (
    <>
      <time dateTime={new Date(at).toISOString()}>{formatDateTime(at)}</time>
      <span className="muted"> · {formatAgo(at, now)}</span>
    </>
  )
}

/** The Overview tab: the thread's details and the actions that apply to it. */
export function OverviewTab({ thread }: { thread: Thread }): ReactElement {
  const now = useNow()
  const repo = useRepo(thread.repoId)
  const archived = isArchived(thread)
  const copy = workingCopy(thread)
  const open = useDialogs((s) => s.open)
  const showTerminal = () => useThreadView.getState().setTab(thread.id, 'terminal')

  return (
    <div className="overview">
      <section className="card-section" aria-labelledby="overview-details">
        <h2 id="overview-details" className="section-title">
          Details
        </h2>
        <dl className="details">
          <Row label="Status">
            <StatusBadge
              status={thread.status}
              agent={thread.agent}
              conversation={thread.conversation}
              message={thread.statusMessage}
              setup={thread.setup}
            />
          </Row>
          <Row label="Agent">
            {thread.agent && (
              <>
                <span>{profileLabel(thread.agent.profileId)}</span>
                <button type="button" className="btn-link" onClick={showTerminal}>
                  Open terminal
                </button>
              </>
            )}
            {/* A thread without a CLI agent is the built-in agent's, whether or not it has been sent anything yet. */}
            {(!thread.agent || thread.conversation.busy || conversationRan(thread.conversation)) && (
              <>
                <span data-testid="overview-builtin-agent">
                  {builtInAgentLine(thread.conversation)}
                  {!thread.conversation.busy && !conversationRan(thread.conversation) && <span className="muted"> · no messages yet</span>}
                </span>
                <button type="button" className="btn-link" onClick={() => useThreadView.getState().setTab(thread.id, 'conversation')}>
                  Open conversation
                </button>
              </>
            )}
          </Row>
          <Row label="Repository">
            <span>{repo?.name ?? 'Unknown repository'}</span>
            {repo && <code className="muted detail-path">{repo.path}</code>}
          </Row>
          <Row label="Mode">
            {thread.mode === 'worktree' ? (
              <span>Worktree — its own branch and checkout, outside your repository</span>
            ) : (
              <span>Local — works in the repository&apos;s own checkout</span>
            )}
          </Row>
          <Row label="Branch">
            <code>{thread.branch ?? 'none'}</code>
            {thread.branch && <CopyButton value={thread.branch} label="Copy branch name" />}
          </Row>
          <Row label="Base ref">
            <code>{thread.baseRef}</code>
          </Row>
          <Row label={copy.label}>
            {copy.path ? (
              <>
                <code className="detail-path">{copy.path}</code>
                <CopyButton value={copy.path} label={`Copy ${copy.label.toLowerCase()} path`} />
              </>
            ) : (
              <span className="muted">{copy.note}</span>
            )}
          </Row>
          {!archived && (
            <Row label="Disk use">
              <ThreadDiskDetail thread={thread} />
              {thread.mode === 'worktree' && (
                <button type="button" className="btn-link" onClick={() => open({ kind: 'disk', repoId: thread.repoId })}>
                  Details…
                </button>
              )}
            </Row>
          )}
          <Row label="Created">
            <When at={thread.createdAt} now={now} />
          </Row>
          <Row label="Last activity">
            <When at={thread.lastActivityAt} now={now} />
          </Row>
          {archived && thread.archivedAt !== null && (
            <Row label="Archived">
              <When at={thread.archivedAt} now={now} />
            </Row>
          )}
          {archived && (
            <Row label="Snapshot ref">
              {thread.snapshotRef ? (
                <>
                  <code>{thread.snapshotRef}</code>
                  <CopyButton value={thread.snapshotRef} label="Copy snapshot ref" />
                </>
              ) : (
                <span className="muted">None — there was no uncommitted work to save</span>
              )}
            </Row>
          )}
          {thread.imported && (
            <>
              <Row label="Imported from">
                <SourceMark source={thread.imported.source} />
                <code className="muted" title={thread.imported.path}>
                  {thread.imported.sessionId}
                </code>
                <CopyButton value={thread.imported.sessionId} label="Copy session id" />
              </Row>
              <Row label="Resume with">
                <code className="detail-path">{thread.imported.resumeCommand}</code>
                <CopyButton value={thread.imported.resumeCommand} label="Copy resume command" />
              </Row>
            </>
          )}
          {thread.setup && (
            <Row label="Setup">
              <span>
                {thread.setup.state === 'running' ? 'Running' : thread.setup.state === 'done' ? 'Finished' : 'Failed'}
                {thread.setup.endedAt !== null && (
                  <span className="muted"> in {Math.max(1, Math.round((thread.setup.endedAt - thread.setup.startedAt) / 1000))} s</span>
                )}
                {doneSummary(thread.setup) && <span className="muted"> · {doneSummary(thread.setup)}</span>}
                {thread.setup.failure && <span className="muted"> · {thread.setup.failure.message}</span>}
              </span>
            </Row>
          )}
          {thread.archiveReport && (
            <Row label={archived ? 'Snapshot' : 'Last snapshot'}>
              <div className="archive-summary">
                <span>{savedLine(thread.archiveReport)}</span>
                {leftOutLines(thread.archiveReport).map((l) => (
                  <span key={l} className="archive-left-out">
                    Left out {l}
                  </span>
                ))}
              </div>
            </Row>
          )}
          {(thread.forkedFrom || forkCountOf(thread) > 0) && (
            <Row label="Forks">
              <ForkDetails thread={thread} />
            </Row>
          )}
          <Row label="Thread id">
            <code className="muted">{thread.id}</code>
          </Row>
        </dl>
      </section>
      <section className="card-section" aria-labelledby="overview-actions">
        <h2 id="overview-actions" className="section-title">
          Actions
        </h2>
        <div className="action-list">
          <button type="button" className="btn" onClick={() => open({ kind: 'rename-thread', threadId: thread.id })}>
            <Icon name="pencil" />
            Rename
          </button>
          {archived ? (
            <button type="button" className="btn" onClick={() => void restoreThread(thread)}>
              <Icon name="restore" />
              Restore
            </button>
          ) : (
            <button type="button" className="btn" onClick={() => void archiveThread(thread)}>
              <Icon name="archive" />
              Archive
            </button>
          )}
          {!archived && (
            <button
              type="button"
              className="btn"
              title="New threads in their own worktrees from this thread as it is now, one per prompt"
              onClick={() => open({ kind: 'fork', threadId: thread.id, point: { now: true } })}
            >
              <Icon name="fork" />
              Fork…
            </button>
          )}
          {canRecreateWorktree(thread) && (
            <button type="button" className="btn" onClick={() => void restoreThread(thread)}>
              <Icon name="restore" />
              Recreate worktree
            </button>
          )}
          <button type="button" className="btn btn-danger-quiet" onClick={() => open({ kind: 'delete-thread', threadId: thread.id })}>
            <Icon name="trash" />
            Delete…
          </button>
        </div>
        <p className="field-hint">
          {thread.mode === 'local'
            ? 'Archiving a local thread only hides it; your checkout is never touched.'
            : archived
              ? 'Restoring recreates the worktree on its branch, with the work saved in the snapshot ref.'
              : 'Archiving saves everything in the worktree folder (ignored files, nested repositories and modes too) to a snapshot ref, checks it, then removes the folder. Restore brings it back byte for byte.'}
        </p>
      </section>
      <RunSection thread={thread} />
    </div>
  )
}
