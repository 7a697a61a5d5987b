import type { ReactElement } from 'react'
import type { Item } from '../../../shared/models'
import { useNavigation } from '../../state/navigation-store'
import { formatDateTime } from '../../ui/clock'
import { CopyButton } from '../../ui/CopyButton'
import { Icon } from '../../ui/Icon'
import { summarizeTool } from '../../lib/tool-summary'
import { useThread } from '../../state/derived'
import { sourceLabel } from './handoff-format'
import { ImportReportSummary } from './ImportReportSummary'
import { previewKey, useHandoff, type SessionSummary } from './handoff-store'
import { SourceMark } from './SourceMark'

/** Text without the markdown marks that only make sense rendered (bold, italics, inline code). */
const plain = (text: string | undefined): string => (text ?? '').replace(/(\*\*|__)(.+?)\1/g, '$2').replace(/`([^`\n]+)`/g, '$1')

const sameDay = (a: number, b: number): boolean => new Date(a).toDateString() === new Date(b).toDateString()
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })

/** When a session ran: "Nov 21, 2025, 7:05 PM – 7:29 PM", or two full dates when it spans days. */
const ranBetween = (from: number, to: number): string =>
  `${formatDateTime(from)} – ${sameDay(from, to) ? timeOnly.format(to) : formatDateTime(to)}`

/** One transcript item on one or a few lines: who said what, or which tool ran. */
function PreviewItem({ item, source }: { item: Item; source: SessionSummary['source'] }): ReactElement | null {
  switch (item.kind) {
    case 'user':
      return (
        <li className="pv pv-user">
          <span className="pv-who">You</span>
          <p className="pv-text">{item.text}</p>
        </li>
      )
    case 'assistant':
      return (
        <li className="pv pv-assistant">
          <span className="pv-who">{sourceLabel(source)}</span>
          <p className="pv-text">{plain(item.text)}</p>
        </li>
      )
    case 'tool': {
      if (!item.tool) return null
      const failed = !!item.tool.isError || (typeof item.tool.exitCode === 'number' && item.tool.exitCode !== 0)
      const s = summarizeTool(item.tool, 'done')
      return (
        <li className={`pv pv-tool${failed ? ' is-error' : ''}`}>
          <Icon name={failed ? 'alert' : s.icon} size={12} />
          <span className="pv-verb">{s.verb}</span>
          {s.target && (s.code ? <code className="pv-target">{s.target}</code> : <span className="pv-target">{s.target}</span>)}
        </li>
      )
    }
    case 'notice':
      return <li className="pv pv-notice">{(item.text ?? '').split('\n')[0]}</li>
    case 'error':
      return <li className="pv pv-error">{item.text}</li>
    default:
      return null
  }
}

/** The preview pane: the session's title and details, then its first items, compactly. */
export function SessionPreview({ session, onClose }: { session: SessionSummary | null; onClose: () => void }): ReactElement {
  const preview = useHandoff((s) => (session ? s.previews[previewKey(session)] : undefined))
  const thread = useThread(session?.threadId ?? null)

  if (!session) {
    return (
      <section className="session-preview is-empty" aria-label="Preview">
        <p className="muted">Pick a session to see how it went.</p>
      </section>
    )
  }
  const title = preview?.status === 'ready' ? preview.title : session.firstPrompt || session.sessionId
  return (
    <section className="session-preview" aria-label="Preview" aria-busy={!preview || preview.status === 'loading' || undefined}>
      <header className="preview-header">
        <h3 className="preview-title">{title}</h3>
        <dl className="preview-meta">
          <div>
            <dt>From</dt>
            <dd>
              <SourceMark source={session.source} />
            </dd>
          </div>
          <div>
            <dt>Session</dt>
            <dd>
              <code title={session.path}>{session.sessionId}</code>
              <CopyButton value={session.sessionId} label="Copy session id" />
            </dd>
          </div>
          <div>
            <dt>Folder</dt>
            <dd>
              <code className="preview-path">{session.cwd}</code>
            </dd>
          </div>
          <div>
            <dt>Ran</dt>
            <dd>{ranBetween(session.startedAt, session.updatedAt)}</dd>
          </div>
        </dl>
        {session.threadId && (
          <div className="banner banner-note preview-imported" role="note">
            <Icon name="info" size={14} />
            <span>
              Imported as <strong>{thread?.title ?? 'a thread'}</strong>. Updating brings in what happened in the session since.
            </span>
            <button
              type="button"
              className="btn-link"
              onClick={() => {
                if (session.threadId) useNavigation.getState().selectThread(session.threadId)
                onClose()
              }}
            >
              Open thread
            </button>
          </div>
        )}
      </header>
      {!preview || preview.status === 'loading' ? (
        <div className="preview-state">
          <div className="spinner" aria-hidden="true" />
          <span>Reading the session…</span>
        </div>
      ) : preview.status === 'error' ? (
        <div className="banner banner-error" role="alert">
          <Icon name="alert" size={14} />
          <span>{preview.message}</span>
        </div>
      ) : (
        <>
          <ImportReportSummary report={preview.report} className="preview-report" />
          <ol className="preview-items" aria-label="First items of the session">
            {preview.items.map((item) => (
              <PreviewItem key={item.id} item={item} source={session.source} />
            ))}
          </ol>
          <p className="preview-more">
            {preview.total > preview.items.length
              ? `… and ${preview.total - preview.items.length} more of ${preview.total} items`
              : `${preview.total} ${preview.total === 1 ? 'item' : 'items'} in all`}
          </p>
        </>
      )}
    </section>
  )
}
