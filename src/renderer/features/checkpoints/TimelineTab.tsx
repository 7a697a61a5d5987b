import { useEffect, useMemo, type ReactElement } from 'react'
import type { Checkpoint } from '../../../shared/checkpoints'
import type { Thread } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { useNavigation } from '../../state/navigation-store'
import { isArchived } from '../../state/threads-store'
import { formatDateTime, formatRelative, useNow } from '../../ui/clock'
import { Icon } from '../../ui/Icon'
import { isMac } from '../../ui/keyboard'
import { profileLabel } from '../agents'
import { checkpointNow } from './checkpoint-actions'
import { files, leftOutLine, shortSha, triggerLabels } from './checkpoint-format'
import { useCheckpoints } from './checkpoints-store'
import { loadCheckpoints } from './checkpoints-sync'
import { useForks } from './fork-index'

/** The shortcut that takes a checkpoint, as a person reads it. */
export const CHECKPOINT_KEYS = isMac ? '⌘⇧K' : 'Ctrl+Shift+K'

/** What the timeline says it holds, for the thread's kind of agent. */
function intro(thread: Thread): string {
  if (thread.agent && thread.agent.profileId !== 'shell')
    return `Taken each time ${profileLabel(thread.agent.profileId)} starts working after waiting for you, when Skein sends it a prompt or review, and whenever you take one. Rewind puts the files back; Fork resumes its session from that point in a new worktree.`
  return 'Taken before each turn of the agent and whenever you take one. Rewind puts the files, the conversation or both back; Fork starts new threads from that point.'
}

function CheckpointRow({
  checkpoint,
  thread,
  forks,
  now,
  actionsOff
}: {
  checkpoint: Checkpoint
  thread: Thread
  forks: Thread[]
  now: number
  actionsOff: string | null
}): ReactElement {
  const open = useDialogs((s) => s.open)
  const c = checkpoint
  return (
    <li className={`checkpoint-row trigger-${c.trigger}`} aria-label={`Checkpoint ${c.n}: ${c.label}`} data-checkpoint={c.n}>
      <span className="checkpoint-n" aria-hidden="true">
        {c.n}
      </span>
      <div className="checkpoint-main">
        <div className="checkpoint-label">{c.label || triggerLabels[c.trigger]}</div>
        <div className="checkpoint-meta">
          <span className={`checkpoint-trigger trigger-${c.trigger}`}>{triggerLabels[c.trigger]}</span>
          <time dateTime={new Date(c.createdAt).toISOString()} title={formatDateTime(c.createdAt)}>
            {formatRelative(c.createdAt, now) === 'now' ? 'just now' : `${formatRelative(c.createdAt, now)} ago`}
          </time>
          <span title="Uncommitted files (staged, unstaged and untracked) it holds beyond HEAD">
            {c.dirtyFiles ? `${files(c.dirtyFiles)} uncommitted` : 'nothing uncommitted'}
          </span>
          {c.head && (
            <span className="checkpoint-head" title={`HEAD was ${c.head}${c.branch ? ` on ${c.branch}` : ''}`}>
              <Icon name="branch" size={11} />
              <code>{shortSha(c.head)}</code>
              {c.branch && <span className="muted">{c.branch}</span>}
            </span>
          )}
          {c.session && (
            <span title={`Session ${c.session.sessionId}`}>{c.session.source === 'claude' ? 'Claude Code' : 'Codex'} session saved</span>
          )}
        </div>
        {c.leftOut.length > 0 && (
          <ul className="checkpoint-left-out" aria-label="Left out of this checkpoint">
            {c.leftOut.map((f) => (
              <li key={f.path}>
                <Icon name="alert" size={11} />
                Left out <code>{leftOutLine(f)}</code>
              </li>
            ))}
          </ul>
        )}
        {forks.length > 0 && (
          <div className="checkpoint-forks">
            <Icon name="fork" size={11} />
            Forked into{' '}
            {forks.map((f, i) => (
              <span key={f.id}>
                {i > 0 && ', '}
                <button type="button" className="btn-link" onClick={() => useNavigation.getState().selectThread(f.id)}>
                  {f.title}
                </button>
              </span>
            ))}
          </div>
        )}
      </div>
      <div className="checkpoint-actions">
        <button
          type="button"
          className="btn btn-small"
          disabled={!!actionsOff}
          title={actionsOff ?? 'Put the files (and the conversation) back as they were here, after a preview'}
          aria-label={`Rewind to checkpoint ${c.n}…`}
          onClick={() => open({ kind: 'rewind', threadId: thread.id, point: { checkpoint: c.n } })}
        >
          <Icon name="restore" size={12} />
          Rewind…
        </button>
        <button
          type="button"
          className="btn btn-small"
          title="New threads in their own worktrees, starting from here"
          aria-label={`Fork from checkpoint ${c.n}…`}
          onClick={() => open({ kind: 'fork', threadId: thread.id, point: { checkpoint: c.n } })}
        >
          <Icon name="fork" size={12} />
          Fork…
        </button>
      </div>
    </li>
  )
}

/**
 * The Timeline tab: every checkpoint of the thread, newest first, with its number, label, trigger, time,
 * uncommitted files, left-out files and HEAD, and Rewind… and Fork… on each; "Checkpoint now" on top.
 * For a CLI agent's thread it is the one place to rewind or fork.
 */
export function TimelineTab({ thread }: { thread: Thread }): ReactElement {
  const known = useCheckpoints((s) => s.byThread[thread.id])
  const now = useNow()
  const forks = useForks(thread)
  const archived = isArchived(thread)

  useEffect(() => {
    void loadCheckpoints(thread.id)
  }, [thread.id])

  const newestFirst = useMemo(() => [...(known?.list ?? [])].reverse(), [known?.list])
  const forksAt = useMemo(() => {
    const by = new Map<number, Thread[]>()
    for (const f of forks) {
      const n = f.forkedFrom?.checkpoint
      if (n) by.set(n, [...(by.get(n) ?? []), f])
    }
    return by
  }, [forks])
  const actionsOff = archived
    ? 'Restore the thread first'
    : thread.conversation.busy
      ? 'The agent is working: stop it before rewinding'
      : null

  return (
    <div className="timeline">
      <header className="timeline-header">
        <div className="timeline-heading">
          <h2 className="timeline-title">Checkpoints</h2>
          <p className="timeline-intro">{intro(thread)}</p>
        </div>
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          disabled={archived}
          title={archived ? 'Restore the thread first' : `Save the worktree as it is now (${CHECKPOINT_KEYS})`}
          aria-keyshortcuts={isMac ? 'Meta+Shift+K' : 'Control+Shift+K'}
          onClick={() => void checkpointNow(thread.id)}
        >
          <Icon name="plus" size={13} />
          Checkpoint now
          <kbd className="btn-kbd">{CHECKPOINT_KEYS}</kbd>
        </button>
      </header>
      {!known || !known.loaded ? (
        <div className="empty-state" aria-busy="true">
          <div className="spinner" aria-hidden="true" />
        </div>
      ) : known.error ? (
        <div className="empty-state">
          <div className="banner banner-error" role="alert">
            <Icon name="alert" size={15} />
            <span>{known.error}</span>
          </div>
          <button type="button" className="btn" onClick={() => void loadCheckpoints(thread.id)}>
            Try again
          </button>
        </div>
      ) : newestFirst.length === 0 ? (
        <div className="empty-state timeline-empty">
          <Icon name="restore" size={26} />
          <h2>No checkpoints yet</h2>
          <p>The first is taken when the agent starts its first turn, or when you take one.</p>
        </div>
      ) : (
        <ol className="timeline-list" aria-label={`Checkpoints of ${thread.title}`}>
          {newestFirst.map((c) => (
            <CheckpointRow key={c.n} checkpoint={c} thread={thread} forks={forksAt.get(c.n) ?? []} now={now} actionsOff={actionsOff} />
          ))}
        </ol>
      )}
    </div>
  )
}
