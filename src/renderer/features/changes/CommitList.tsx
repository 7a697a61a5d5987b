import { useEffect, useState, type ReactElement } from 'react'
import type { BranchCommit, ChangedFile } from '../../../shared/review'
import { errorMessage, request } from '../../state/rpc'
import { formatDateTime, formatRelative, useNow } from '../../ui/clock'
import { Icon } from '../../ui/Icon'
import { describeFile, formatCount, splitPath, statusMark } from './file-format'

type Loaded = { commits: BranchCommit[]; more: number } | { error: string } | null

/** One commit's files, fetched when it is opened. */
function CommitFiles({ threadId, sha }: { threadId: string; sha: string }): ReactElement {
  const [files, setFiles] = useState<ChangedFile[] | string | null>(null)
  useEffect(() => {
    let live = true
    request('review/commitFiles', { threadId, sha }).then(
      (r) => live && setFiles(r.files),
      (e: unknown) => live && setFiles(errorMessage(e))
    )
    return () => {
      live = false
    }
  }, [threadId, sha])
  if (files === null) return <div className="commit-files muted">Loading files…</div>
  if (typeof files === 'string') return <div className="commit-files commit-error">{files}</div>
  return (
    <ul className="commit-files" aria-label="Files in this commit">
      {files.map((f) => {
        const { dir, name } = splitPath(f.path)
        return (
          <li key={f.path} className="commit-file" aria-label={describeFile(f)} title={f.oldPath ? `${f.oldPath} → ${f.path}` : f.path}>
            <span className={`file-status status-${f.status}`}>{statusMark[f.status].letter}</span>
            <span className="file-path">
              <span className="file-dir">{dir}</span>
              <span className="file-name">{name}</span>
            </span>
            {f.binary ? (
              <span className="file-binary">BIN</span>
            ) : (
              <span className="file-counts">
                <span className="count-add">+{formatCount(f.additions ?? 0)}</span>
                <span className="count-del">−{formatCount(f.deletions ?? 0)}</span>
              </span>
            )}
          </li>
        )
      })}
    </ul>
  )
}

/**
 * The branch's own commits (base..HEAD) under the file list: short sha, subject and age; a click shows that
 * commit's files. Reloaded when `refresh` changes (the change set, the thread's activity) and when the window regains focus.
 */
export function CommitList({ threadId, baseRef, refresh }: { threadId: string; baseRef: string; refresh: unknown }): ReactElement | null {
  const [loaded, setLoaded] = useState<Loaded>(null)
  const [collapsed, setCollapsed] = useState(false)
  const [open, setOpen] = useState<string | null>(null)
  const now = useNow()
  // A commit that leaves the change set as it was (the agent committing its edits) moves nothing above, so
  // coming back to the window reads the list again too.
  const [focusCount, setFocusCount] = useState(0)
  useEffect(() => {
    const onFocus = () => setFocusCount((n) => n + 1)
    window.addEventListener('focus', onFocus)
    return () => window.removeEventListener('focus', onFocus)
  }, [])

  useEffect(() => {
    let live = true
    request('review/commits', { threadId }).then(
      (r) => live && setLoaded(r),
      (e: unknown) => live && setLoaded({ error: errorMessage(e) })
    )
    return () => {
      live = false
    }
  }, [threadId, refresh, focusCount])

  if (!loaded || ('commits' in loaded && loaded.commits.length === 0)) return null
  const count = 'commits' in loaded ? loaded.commits.length + loaded.more : 0
  return (
    <section className={`commit-list${collapsed ? ' is-collapsed' : ''}`} aria-label="Commits on this branch">
      <button type="button" className="commit-list-head" aria-expanded={!collapsed} onClick={() => setCollapsed(!collapsed)}>
        <Icon name="chevron" size={12} className="commit-chevron" />
        <span>Commits</span>
        <span className="commit-count">{count}</span>
        <span className="commit-range" title={`Commits on this branch that ${baseRef} does not have`}>
          since {baseRef}
        </span>
      </button>
      {!collapsed &&
        ('error' in loaded ? (
          <div className="commit-error">{loaded.error}</div>
        ) : (
          <ol className="commit-rows">
            {loaded.commits.map((c) => (
              <li key={c.sha} className={`commit-row${open === c.sha ? ' is-open' : ''}`}>
                <button
                  type="button"
                  className="commit-button"
                  aria-expanded={open === c.sha}
                  title={`${c.subject}\n${c.author}, ${formatDateTime(c.time)}`}
                  onClick={() => setOpen(open === c.sha ? null : c.sha)}
                >
                  <code className="commit-sha">{c.short}</code>
                  <span className="commit-subject">{c.subject || '(no message)'}</span>
                  {c.parents.length > 1 && <span className="commit-merge">merge</span>}
                  <time className="commit-age" dateTime={new Date(c.time).toISOString()}>
                    {formatRelative(c.time, now)}
                  </time>
                </button>
                {open === c.sha && <CommitFiles threadId={threadId} sha={c.sha} />}
              </li>
            ))}
            {loaded.more > 0 && <li className="commit-more muted">and {formatCount(loaded.more)} older</li>}
          </ol>
        ))}
    </section>
  )
}
