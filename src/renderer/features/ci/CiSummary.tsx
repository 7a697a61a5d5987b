import { useState, type ReactElement, type ReactNode } from 'react'
import type { CiStatus } from '../../../shared/ci'
import type { Thread } from '../../../shared/models'
import { formatDateTime } from '../../ui/clock'
import { Icon, type IconName } from '../../ui/Icon'
import { isArchived } from '../../state/threads-store'
import { pushForCi, refreshCi } from './ci-actions'
import { ciTone, formatClockSeconds, isBlockingProblem, overallLabels, problemTitle, providerNames, shortSha } from './ci-format'

/** True when Skein can push the thread's branch (its own worktree, not archived). */
export const canPush = (thread: Thread): boolean => thread.mode === 'worktree' && thread.branch !== null && !isArchived(thread)

/** A button that runs an async action and shows its progress meanwhile. */
export function BusyButton(props: {
  label: string
  busyLabel: string
  run: () => Promise<unknown>
  icon?: IconName
  primary?: boolean
  title?: string
  ariaLabel?: string
}): ReactElement {
  const [busy, setBusy] = useState(false)
  return (
    <button
      type="button"
      className={`btn btn-small${props.primary ? ' btn-primary' : ''}`}
      title={props.title}
      aria-label={props.ariaLabel}
      disabled={busy}
      aria-busy={busy || undefined}
      onClick={async () => {
        setBusy(true)
        try {
          await props.run()
        } finally {
          setBusy(false)
        }
      }}
    >
      {busy ? <span className="btn-spinner" aria-hidden="true" /> : props.icon && <Icon name={props.icon} size={13} />}
      {busy ? props.busyLabel : props.label}
    </button>
  )
}

/** The core's sentence with its `backticked` commands shown as code. */
function withCode(text: string): ReactNode[] {
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))
}

/** The top bar of the CI tab: overall state, commit and provider, when it was updated, and the actions. */
export function CiSummary({
  thread,
  status,
  onSettings
}: {
  thread: Thread
  status: CiStatus | undefined
  onSettings: () => void
}): ReactElement {
  const tone = status ? ciTone(status) : 'none'
  const label = !status ? 'No CI yet' : tone === 'problem' ? 'Unavailable' : overallLabels[status.overall]
  return (
    <div className="ci-summary">
      <span
        className={`ci-overall ci-tone-${tone}`}
        role="status"
        aria-label={`CI ${label.toLowerCase()}`}
        data-overall={status?.overall ?? 'none'}
      >
        <span className={`ci-dot ci-tone-${tone}`} aria-hidden="true" />
        {label}
      </span>
      {status?.commit && (
        <span className="ci-meta">
          on <code title={status.commit}>{shortSha(status.commit)}</code>
        </span>
      )}
      {status?.provider && <span className="ci-meta">{providerNames[status.provider]}</span>}
      <span className="spacer" />
      {status && (
        <span className="ci-updated" title={`Last looked at ${formatDateTime(status.updatedAt)}`}>
          Updated {formatClockSeconds(status.updatedAt)}
        </span>
      )}
      {/* Before a first push, the panel offers a bigger "Push branch" instead. */}
      {canPush(thread) && status && status.problem?.kind !== 'not-pushed' && (
        <BusyButton
          label="Push"
          busyLabel="Pushing…"
          icon="upload"
          title={`Push ${thread.branch} to its remote`}
          run={() => pushForCi(thread.id)}
        />
      )}
      <BusyButton label="Refresh" busyLabel="Refreshing…" icon="refresh" title="Ask the CI service now" run={() => refreshCi(thread.id)} />
      <button type="button" className="icon-btn" aria-label="CI settings" title="CI settings for this repository" onClick={onSettings}>
        <Icon name="settings" size={14} />
      </button>
    </div>
  )
}

/** Why CI cannot be shown (fresh), in the core's words, with what the person can do about it. */
export function ProblemBanner({
  thread,
  status,
  onSettings
}: {
  thread: Thread
  status: CiStatus
  onSettings: () => void
}): ReactElement | null {
  const problem = status.problem
  if (!problem) return null
  const blocking = isBlockingProblem(problem.kind)
  let action: ReactNode = null
  if (problem.kind === 'not-pushed' && canPush(thread))
    action = <BusyButton label="Push branch" busyLabel="Pushing…" icon="upload" primary run={() => pushForCi(thread.id)} />
  else if (problem.kind === 'no-provider' || problem.kind === 'repo-not-found' || problem.kind === 'malformed') {
    action = (
      <button type="button" className="btn btn-small" onClick={onSettings}>
        Configure CI…
      </button>
    )
  } else if (problem.kind !== 'rate-limited') action = <BusyButton label="Try again" busyLabel="Trying…" run={() => refreshCi(thread.id)} />
  return (
    <div
      className={`banner ci-problem ${blocking ? 'banner-error' : 'banner-note'}`}
      role={blocking ? 'alert' : 'note'}
      data-problem={problem.kind}
    >
      <Icon name={blocking ? 'alert' : 'info'} size={15} />
      <span className="ci-problem-text">
        <strong>{problemTitle(problem)}.</strong> {withCode(problem.message)}
        {status.checks.some((c) => c.provider !== 'local') && (
          <span className="muted"> The checks below are from the last good answer.</span>
        )}
      </span>
      {action}
    </div>
  )
}

/** Shown while the thread has no CI at all: what makes CI appear, and the two ways to get some. */
export function EmptyCi({ thread, onRunLocal }: { thread: Thread; onRunLocal: () => void }): ReactElement {
  const push = canPush(thread)
  return (
    <div className="ci-empty">
      <Icon name="check" size={22} />
      <h2>No CI for this thread yet</h2>
      <p>
        {push ? (
          <>
            Checks show up here once <code>{thread.branch}</code> is on its remote. Push it, or run a check command in the worktree.
          </>
        ) : (
          'This thread has no branch of its own to push. Run a check command in its working copy instead.'
        )}
      </p>
      <div className="empty-actions">
        {push && <BusyButton label="Push branch" busyLabel="Pushing…" icon="upload" primary run={() => pushForCi(thread.id)} />}
        <button type="button" className="btn btn-small" onClick={onRunLocal}>
          <Icon name="play" size={12} />
          Run a local check
        </button>
        <BusyButton
          label="Check now"
          busyLabel="Checking…"
          icon="refresh"
          title="Look for CI on the remote now"
          run={() => refreshCi(thread.id)}
        />
      </div>
    </div>
  )
}
