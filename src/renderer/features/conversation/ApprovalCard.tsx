import { memo, useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react'
import type { Item } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { isEditable } from '../../ui/keyboard'
import { DiffView } from './DiffView'
import { isPendingApproval } from './conversation-store'
import { respondToApproval } from './conversation-actions'

type Decision = 'once' | 'session' | 'deny'

const outcomeLabel: Record<Decision, string> = {
  once: 'Approved once',
  session: 'Approved for this session',
  deny: 'Denied'
}

/** True when focus sits in a text field that holds something typed (moving focus would lose the person's place). */
function typingSomewhere(): boolean {
  const el = document.activeElement
  return isEditable(el) && !!(el as HTMLInputElement | HTMLTextAreaElement).value
}

/**
 * An approval request. Pending: the summary, the command or file diff, and Approve / Approve for this
 * session / Deny (with an optional message). Enter approves; Escape goes to Deny. Answered: one line.
 */
export const ApprovalCard = memo(function ApprovalCard({ item }: { item: Item }): ReactElement | null {
  const approval = item.approval
  const pending = isPendingApproval(item)
  const [denying, setDenying] = useState(false)
  const [message, setMessage] = useState('')
  const [sending, setSending] = useState<Decision | null>(null)
  const approveRef = useRef<HTMLButtonElement>(null)
  const messageRef = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    if (pending && !typingSomewhere()) approveRef.current?.focus({ preventScroll: true })
  }, [pending])
  useEffect(() => {
    if (denying) messageRef.current?.focus()
  }, [denying])

  if (!approval) return null

  if (!pending) {
    const decision = approval.decision
    return (
      <div
        className={`approval-done${decision === 'deny' ? ' is-denied' : decision ? ' is-approved' : ''}`}
        role="group"
        aria-label={`Approval: ${approval.summary}`}
      >
        <Icon name={decision === 'deny' ? 'close' : decision ? 'check' : 'info'} size={12} />
        <span className="approval-outcome">{decision ? outcomeLabel[decision] : 'Not answered — the turn ended'}</span>
        <span className="approval-done-summary" title={approval.command ?? approval.path ?? approval.summary}>
          {approval.summary}
        </span>
        {approval.message && <span className="approval-done-message">“{approval.message}”</span>}
      </div>
    )
  }

  const answer = async (decision: Decision) => {
    if (sending) return
    setSending(decision)
    const ok = await respondToApproval(item.threadId, item.id, decision, decision === 'deny' ? message : undefined)
    if (!ok) setSending(null)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.nativeEvent.isComposing) return
    const target = e.target as HTMLElement
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      if (denying && target === messageRef.current) {
        setDenying(false)
        approveRef.current?.focus()
      } else setDenying(true)
    } else if (e.key === 'Enter' && !e.shiftKey) {
      if (target === messageRef.current) {
        e.preventDefault()
        void answer('deny')
      } else if (!(target instanceof HTMLButtonElement) && !isEditable(target)) {
        e.preventDefault()
        void answer('once')
      }
    }
  }

  return (
    <div
      className="approval-card"
      role="group"
      aria-label={`Approval needed: ${approval.summary}`}
      data-pending="true"
      onKeyDown={onKeyDown}
    >
      <div className="approval-head">
        <Icon name="alert" size={14} className="approval-icon" />
        <span className="approval-title">Approval needed</span>
        <span className="approval-summary">{approval.summary}</span>
      </div>
      {approval.command && (
        <pre className="approval-command" aria-label="Command">
          <span className="approval-prompt" aria-hidden="true">
            ${' '}
          </span>
          {approval.command}
        </pre>
      )}
      {approval.note && <p className="approval-note">{approval.note}</p>}
      {approval.path && !approval.summary.includes(approval.path) && (
        <div className="approval-path">
          <Icon name="pencil" size={12} />
          <code>{approval.path}</code>
        </div>
      )}
      {approval.diff && <DiffView diff={approval.diff} label={`Proposed changes${approval.path ? ` to ${approval.path}` : ''}`} />}
      {denying ? (
        <div className="approval-deny">
          <label className="field-label" htmlFor={`deny-${item.id}`}>
            Tell the agent why, or what to do instead (optional)
          </label>
          <textarea
            id={`deny-${item.id}`}
            ref={messageRef}
            className="input approval-message"
            rows={2}
            value={message}
            placeholder="e.g. Don't touch the lockfile; update package.json only"
            onChange={(e) => setMessage(e.target.value)}
          />
          <div className="approval-actions">
            <span className="footer-hint">
              <kbd>Enter</kbd> to deny · <kbd>Esc</kbd> to go back
            </span>
            <button type="button" className="btn btn-small" onClick={() => setDenying(false)}>
              Back
            </button>
            <button type="button" className="btn btn-small btn-danger" disabled={!!sending} onClick={() => void answer('deny')}>
              {sending === 'deny' ? 'Denying…' : 'Deny'}
            </button>
          </div>
        </div>
      ) : (
        <div className="approval-actions">
          <span className="footer-hint">
            <kbd>Enter</kbd> to approve · <kbd>Esc</kbd> to deny
          </span>
          <button type="button" className="btn btn-small" disabled={!!sending} onClick={() => setDenying(true)}>
            Deny…
          </button>
          <button type="button" className="btn btn-small" disabled={!!sending} onClick={() => void answer('session')}>
            Approve for this session
          </button>
          <button
            ref={approveRef}
            type="button"
            className="btn btn-small btn-primary"
            disabled={!!sending}
            onClick={() => void answer('once')}
          >
            {sending === 'once' ? 'Approving…' : 'Approve'}
          </button>
        </div>
      )}
    </div>
  )
})
