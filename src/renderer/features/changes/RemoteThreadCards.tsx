import { useState, type ReactElement } from 'react'
import type { RemoteThread } from '../../../shared/pr-threads'
import { formatAgo, formatDateTime, useNow } from '../../ui/clock'
import { Icon } from '../../ui/Icon'
import { Markdown } from '../conversation'
import { loadRemoteThreads, replyToThread, resolveThread, sendThreadsToAgent, useThreadsOf } from '../pr'
import { CommentForm } from './CommentCards'
import { linesLabel } from './hunks'

const service = (t: RemoteThread) => (t.provider === 'gitlab' ? 'GitLab' : 'GitHub')

/** Where a thread is: its lines (and file, in lists of several files), or that it was on a removed line or is outdated. */
function placeLabel(t: RemoteThread, withPath: boolean): string {
  const lines = t.line === null ? 'file' : linesLabel(t.startLine ?? t.line, t.line)
  const where = t.outdated ? `was on ${lines}` : t.side === 'left' ? `removed ${lines}` : lines.replace(/^l/, 'L')
  return withPath ? `${t.path}, ${where}` : where
}

/** One review thread from GitHub or GitLab: its comments (Markdown), Reply, Resolve or Unresolve, and a link to it on the website. */
export function RemoteThreadCard({
  threadId,
  thread,
  withPath = false
}: {
  threadId: string
  thread: RemoteThread
  withPath?: boolean
}): ReactElement {
  const now = useNow()
  const [replying, setReplying] = useState(false)
  const [busy, setBusy] = useState(false)
  const state = thread.outdated ? 'outdated' : thread.resolved ? 'resolved' : 'open'
  const toggle = async () => {
    setBusy(true)
    await resolveThread(threadId, thread.id, !thread.resolved)
    setBusy(false)
  }
  return (
    <article
      className={`comment-card remote-thread is-${state}`}
      aria-label={`${service(thread)} review thread on ${thread.path} ${placeLabel(thread, false)}`}
      data-remote-thread={thread.id}
    >
      <header className="comment-head">
        <span className="remote-service">{service(thread)}</span>
        <span className="comment-lines">{placeLabel(thread, withPath)}</span>
        {thread.outdated && <span className="comment-status is-outdated">Outdated</span>}
        {thread.resolved && <span className="comment-status is-resolved">Resolved</span>}
        <span className="spacer" />
        {!replying && (
          <button type="button" className="btn-link comment-action" onClick={() => setReplying(true)}>
            Reply
          </button>
        )}
        {thread.resolvable && (
          <button type="button" className="btn-link comment-action" disabled={busy} onClick={() => void toggle()}>
            {thread.resolved ? 'Unresolve' : 'Resolve'}
          </button>
        )}
        {thread.url && (
          <a
            className="btn-link comment-action"
            href={thread.url}
            target="_blank"
            rel="noopener noreferrer"
            title={`Open on ${service(thread)}`}
          >
            <Icon name="open" size={12} />
          </a>
        )}
      </header>
      {thread.comments.map((c) => (
        <div key={c.id} className="remote-comment">
          <div className="remote-comment-head">
            <strong>{c.author}</strong>
            <time dateTime={new Date(c.createdAt).toISOString()} title={formatDateTime(c.createdAt)}>
              {formatAgo(c.createdAt, now)}
            </time>
          </div>
          <div className="remote-comment-body">
            <Markdown text={c.body} />
          </div>
        </div>
      ))}
      {replying && (
        <CommentForm
          label={`Reply on ${service(thread)} to the thread on ${thread.path} ${placeLabel(thread, false)}`}
          submitLabel="Reply"
          onCancel={() => setReplying(false)}
          onSubmit={async (body) => {
            const refusal = await replyToThread(threadId, thread.id, body)
            if (!refusal) setReplying(false)
            return refusal
          }}
        />
      )}
    </article>
  )
}

/** The bar above the files: how many review threads the request has, why they may be stale, Refresh and *Send unresolved threads to agent*. */
export function RemoteThreadsBar({ threadId }: { threadId: string }): ReactElement | null {
  const threads = useThreadsOf(threadId)
  const [sending, setSending] = useState(false)
  if (!threads || (threads.threads.length === 0 && !threads.problem)) return null
  const unresolved = threads.threads.filter((t) => !t.resolved).length
  const resolved = threads.threads.length - unresolved
  const name = threads.threads[0] ? service(threads.threads[0]) : 'the service'
  return (
    <div className="review-bar remote-threads-bar" role="region" aria-label="Review threads">
      <Icon name="pull-request" size={13} />
      <span>
        {threads.threads.length} review thread{threads.threads.length === 1 ? '' : 's'} from {name}: {unresolved} unresolved
        {resolved ? `, ${resolved} resolved` : ''}
      </span>
      {threads.problem && <span className="review-outdated">{threads.problem}</span>}
      <span className="spacer" />
      <button type="button" className="btn btn-small" onClick={() => void loadRemoteThreads(threadId, true)}>
        Refresh
      </button>
      <button
        type="button"
        className="btn btn-small btn-primary"
        disabled={sending || unresolved === 0}
        onClick={() => {
          setSending(true)
          void sendThreadsToAgent(threadId).finally(() => setSending(false))
        }}
      >
        Send unresolved threads to agent
      </button>
    </div>
  )
}
