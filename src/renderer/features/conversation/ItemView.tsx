import { memo, useMemo, type ReactElement } from 'react'
import type { Item } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { Icon } from '../../ui/Icon'
import { ApprovalCard } from './ApprovalCard'
import { retryTurn } from './conversation-actions'
import { Markdown } from './Markdown'
import { shownItem, useItemOutput, type LoadedField } from './item-output'
import { ToolRow } from './ToolRow'
import { TruncatedNote } from './TruncatedNote'
import { describeUsage, formatCost, formatTokens } from './usage-format'

/** What the person wrote. */
function UserBubble({ item }: { item: Item }): ReactElement {
  return (
    <div className="msg-user">
      <div className="msg-user-bubble">{item.text}</div>
    </div>
  )
}

/** The agent's text, rendered as light markdown, with a caret while it streams and its usage on hover. */
function AssistantText({ item }: { item: Item }): ReactElement {
  const streaming = item.status === 'streaming'
  const text = item.text ?? ''
  const body = useMemo(() => <Markdown text={text} caret={streaming} />, [text, streaming])
  const u = item.usage
  return (
    <div
      className="msg-assistant"
      aria-busy={streaming || undefined}
      data-status={item.status}
      tabIndex={u ? 0 : undefined}
      title={u ? describeUsage(u) : undefined}
    >
      {body}
      {item.status === 'interrupted' && <span className="msg-stopped">Stopped</span>}
      {u && (
        <div className="msg-usage">
          {formatTokens(u.input)} in · {formatTokens(u.output)} out
          {u.cacheRead > 0 && ` · ${formatTokens(u.cacheRead)} cache read`}
          {u.cacheWrite > 0 && ` · ${formatTokens(u.cacheWrite)} cache write`} · {formatCost(u.costUsd)}
        </div>
      )}
    </div>
  )
}

/** A small centred line: instructions loaded, retries, "Interrupted". */
function NoticeLine({ item }: { item: Item }): ReactElement {
  const interrupted = /^interrupted\b/i.test(item.text ?? '')
  // The first line of an imported transcript says where it came from.
  const importedFrom = !!item.imported && /^Imported from /.test(item.text ?? '')
  return (
    <div className={`notice-line${interrupted ? ' is-interrupted' : ''}${importedFrom ? ' is-imported' : ''}`} role="note">
      <span className="notice-rule" aria-hidden="true" />
      <span className="notice-text">
        <Icon name={interrupted ? 'close' : importedFrom ? 'download' : 'info'} size={11} />
        {item.text}
      </span>
      <span className="notice-rule" aria-hidden="true" />
    </div>
  )
}

/** A failed turn: the core's message, and Retry when the core says it can be retried. */
function ErrorItem({ item, canRetry }: { item: Item; canRetry: boolean }): ReactElement {
  const aboutKey = /api key/i.test(item.text ?? '')
  return (
    <div className="msg-error" role="alert">
      <Icon name="alert" size={15} />
      <div className="msg-error-body">
        <span className="msg-error-title">The agent stopped with an error</span>
        <span className="msg-error-text">{item.text || 'Something went wrong.'}</span>
      </div>
      {aboutKey && canRetry && (
        <button type="button" className="btn btn-small" onClick={() => useDialogs.getState().open({ kind: 'settings' })}>
          <Icon name="settings" size={12} />
          Settings
        </button>
      )}
      {item.retryable && canRetry && (
        <button type="button" className="btn btn-small" onClick={() => void retryTurn(item.threadId)}>
          <Icon name="restore" size={12} />
          Retry
        </button>
      )}
    </div>
  )
}

/**
 * One transcript entry, by kind. `latest` marks the error that may offer Retry; `awaiting` a tool
 * call whose approval card is still unanswered.
 */
export const ItemView = memo(function ItemView({
  item: sent,
  latest,
  busy,
  awaiting
}: {
  item: Item
  latest: boolean
  busy: boolean
  awaiting: boolean
}): ReactElement | null {
  // Fields sent cut short show what was read of them so far (only truncated items look the store up).
  const loaded = useItemOutput((s) => (sent.truncated ? s.loaded : NONE))
  const item = useMemo(() => shownItem(sent, loaded), [sent, loaded])
  const body = ((): ReactElement | null => {
    switch (item.kind) {
      case 'user':
        return <UserBubble item={item} />
      case 'assistant':
        return <AssistantText item={item} />
      case 'tool':
        return <ToolRow item={item} awaiting={awaiting} />
      case 'approval':
        return <ApprovalCard item={item} />
      case 'notice':
        return <NoticeLine item={item} />
      case 'error':
        return <ErrorItem item={item} canRetry={latest && !busy} />
    }
  })()
  if (!item.truncated || item.kind === 'tool') return body
  return (
    <>
      {body}
      <TruncatedNote item={item} field="text" />
      <TruncatedNote item={item} field="approval.diff" />
    </>
  )
})

const NONE: Readonly<Record<string, LoadedField>> = {}
