import type { ReactElement } from 'react'
import { formatBytes } from '../../../shared/disk'
import type { Thread } from '../../../shared/models'
import { useRepoDisk, useWorktreeDisk } from './disk-store'

/** A worktree's own disk use for a dashboard card ("312 MB on disk"); nothing until measured. */
export function ThreadDiskChip({ thread }: { thread: Thread }): ReactElement | null {
  const w = useWorktreeDisk(thread.repoId, thread.id)
  if (!w) return null
  const shared =
    w.sharedLinks.length > 0
      ? `; links to ${w.sharedLinks.length} shared ${w.sharedLinks.length === 1 ? 'folder' : 'folders'}, counted once for the repository`
      : ''
  return (
    <span
      className="disk-chip"
      title={`Worktree disk use: ${formatBytes(w.bytes)} allocated, ${formatBytes(w.apparentBytes)} in ${w.files.toLocaleString('en-US')} files${shared}`}
      data-testid="thread-disk"
    >
      {formatBytes(w.bytes)}
    </span>
  )
}

/** The Overview's disk line: the worktree's own use, shared folders it links to, and the repository's total. */
export function ThreadDiskDetail({ thread }: { thread: Thread }): ReactElement {
  const repo = useRepoDisk(thread.repoId)
  const w = useWorktreeDisk(thread.repoId, thread.id)
  if (thread.mode === 'local') return <span className="muted">Works in your checkout, so it adds nothing</span>
  if (!w) {
    // Only a measurement made after the thread existed can say its folder is missing.
    const measuredSince = repo?.measuredAt != null && repo.measuredAt >= thread.createdAt
    const text = repo?.measuring !== false ? 'Measuring…' : measuredSince ? 'No worktree folder on disk' : 'Not measured yet'
    return <span className="muted">{text}</span>
  }
  const shared = repo?.shared.filter((s) => w.sharedLinks.includes(s.path)) ?? []
  return (
    <div className="disk-detail" data-testid="overview-disk">
      <span>
        <strong>{formatBytes(w.bytes)}</strong> in this worktree ({w.files.toLocaleString('en-US')} files)
      </span>
      {shared.map((s) => (
        <span key={s.path} className="muted">
          + shared <code>{s.path.split('/').pop()}</code> {formatBytes(s.bytes)}, counted once for {s.linkedBy.length}{' '}
          {s.linkedBy.length === 1 ? 'worktree' : 'worktrees'}
        </span>
      ))}
      {repo && (
        <span className="muted">
          Repository total {formatBytes(repo.totalBytes)}
          {repo.budgetBytes ? ` of a ${formatBytes(repo.budgetBytes)} budget` : ''}
        </span>
      )}
    </div>
  )
}

/** A repository's total for its sidebar header; nothing until measured. */
export function RepoDiskTotal({ repoId }: { repoId: string }): ReactElement | null {
  const repo = useRepoDisk(repoId)
  if (!repo || repo.measuredAt === null || repo.totalBytes === 0) return null
  const over = repo.budgetBytes !== null && repo.totalBytes > repo.budgetBytes
  return (
    <span
      className={`repo-disk${over ? ' is-over' : ''}`}
      title={`Worktrees of this repository use ${formatBytes(repo.totalBytes)} on disk${repo.budgetBytes ? ` (budget ${formatBytes(repo.budgetBytes)})` : ''}`}
      data-testid="repo-disk"
    >
      {formatBytes(repo.totalBytes)}
    </span>
  )
}
