import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { isMac, shortcutLabel } from '../../ui/keyboard'
import { AttachmentField } from './AttachmentField'
import { interruptTurn, startTurn, steerTurn } from './conversation-actions'
import { useItemUi } from './conversation-store'
import { useDrafts } from './drafts-store'

const NO_QUEUE: string[] = []

/** Two Escapes this close together (ms) stop the turn. */
const DOUBLE_ESCAPE_MS = 800

/**
 * The message box under the transcript. Enter (or ⌘/Ctrl+Enter) sends, Shift+Enter adds a line.
 * While a turn runs, sending steers it, and Stop (or Escape twice, or Ctrl+C on an empty box) interrupts.
 */
export function Composer({
  thread,
  disabledReason,
  idlePlaceholder
}: {
  thread: Thread
  disabledReason?: string
  idlePlaceholder?: string
}): ReactElement {
  const draft = useDrafts((s) => s.byThread[thread.id]) ?? { text: '', attachments: [] }
  const setDraft = useDrafts((s) => s.set)
  const queued = useDrafts((s) => s.queued[thread.id]) ?? NO_QUEUE
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [hint, setHint] = useState<string | null>(null)
  const lastEscape = useRef(0)
  const area = useRef<HTMLTextAreaElement>(null)
  const busy = thread.conversation.busy
  const disabled = !!disabledReason

  useEffect(() => {
    if (!hint) return
    const t = setTimeout(() => setHint(null), 1500)
    return () => clearTimeout(t)
  }, [hint])

  const send = async () => {
    const text = draft.text.trim()
    if (!text || sending || disabled) return
    setSending(true)
    setError(null)
    const problem = busy ? await steerTurn(thread.id, text) : await startTurn(thread.id, text, draft.attachments)
    setSending(false)
    if (problem) {
      setError(problem)
      return
    }
    if (busy) useDrafts.getState().queue(thread.id, text)
    setDraft(thread.id, { text: '', attachments: busy ? draft.attachments : [] })
    useItemUi.getState().follow(thread.id)
    area.current?.focus()
  }

  const stop = () => {
    setHint(null)
    void interruptTurn(thread.id)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      e.preventDefault()
      void send()
    } else if (e.key === 'Escape' && busy) {
      e.preventDefault()
      const now = Date.now()
      if (now - lastEscape.current < DOUBLE_ESCAPE_MS) {
        lastEscape.current = 0
        stop()
      } else {
        lastEscape.current = now
        setHint('Press Escape again to stop the agent')
      }
    } else if (busy && e.ctrlKey && !e.metaKey && !e.altKey && e.key.toLowerCase() === 'c' && !draft.text) {
      e.preventDefault()
      stop()
    }
  }

  const sendLabel = busy ? 'Steer' : 'Send'
  return (
    <div className={`composer${busy ? ' is-busy' : ''}`}>
      {queued.length > 0 && (
        <ul className="queued-steers" aria-label="Queued for the agent">
          {queued.map((text, i) => (
            <li key={i} className="queued-steer" title="The agent reads this at its next step">
              <span className="queued-label">Queued</span>
              <span className="queued-text">{text}</span>
            </li>
          ))}
        </ul>
      )}
      <AttachmentField
        attachments={draft.attachments}
        disabled={disabled}
        onChange={(attachments) => setDraft(thread.id, { ...draft, attachments })}
      />
      <div className="composer-box">
        <textarea
          ref={area}
          className="composer-input"
          aria-label="Message to the agent"
          aria-keyshortcuts="Enter"
          placeholder={
            disabledReason ??
            (busy ? 'Steer the agent: it reads this at its next step…' : (idlePlaceholder ?? 'Ask the agent to do something…'))
          }
          value={draft.text}
          disabled={disabled}
          rows={1}
          onChange={(e) => {
            setDraft(thread.id, { ...draft, text: e.target.value })
            if (error) setError(null)
          }}
          onKeyDown={onKeyDown}
        />
        <div className="composer-buttons">
          {busy && (
            <button
              type="button"
              className="btn btn-small composer-stop"
              onClick={stop}
              title="Stop the agent (Escape twice, or Ctrl+C in an empty box)"
            >
              <span className="stop-square" aria-hidden="true" />
              Stop
            </button>
          )}
          <button
            type="button"
            className="btn btn-small btn-primary composer-send"
            disabled={disabled || sending || !draft.text.trim()}
            title={`${sendLabel} (Enter or ${shortcutLabel('Enter')}); Shift+Enter for a new line`}
            aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
            onClick={() => void send()}
          >
            <Icon name="arrowUp" size={12} />
            {sendLabel}
          </button>
        </div>
      </div>
      <div className="composer-foot" aria-live="polite">
        {error ? (
          <span className="composer-error" role="alert">
            <Icon name="alert" size={12} />
            {error}
          </span>
        ) : hint ? (
          <span className="composer-hint">{hint}</span>
        ) : busy ? (
          <span className="composer-hint">
            The agent is working. <kbd>Enter</kbd> steers it · <kbd>Esc</kbd> <kbd>Esc</kbd> stops it
          </span>
        ) : (
          <span className="composer-hint">
            <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
          </span>
        )}
      </div>
    </div>
  )
}
