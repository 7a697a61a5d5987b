import { useState, type ReactElement } from 'react'
import type { PrStatus } from '../../../shared/pr'
import type { Thread } from '../../../shared/models'
import { Icon, type IconName } from '../../ui/Icon'
import { isArchived } from '../../state/threads-store'
import { useCiProvider } from '../ci'
import { cancelAutoMerge, mergeRequest, openCreateRequest, refreshRequest } from './pr-actions'
import {
  autoMergeText,
  canMergeWhenReady,
  checksText,
  mergeabilityLabels,
  mergeBlocker,
  prTone,
  RequestNoun,
  requestRef,
  reviewText,
  serviceName,
  stateLabels
} from './pr-format'
import { usePrStatus } from './pr-store'

/** True when Skein can open a request for the thread: its own branch, not archived. */
export const canOpenRequest = (thread: Thread): boolean => thread.mode === 'worktree' && thread.branch !== null && !isArchived(thread)

/** An icon button that spins while its action runs. */
function RefreshButton({ label, run }: { label: string; run: () => Promise<unknown> }): ReactElement {
  const [busy, setBusy] = useState(false)
  return (
    <button
      type="button"
      className="icon-btn pr-refresh"
      aria-label={label}
      title={label}
      disabled={busy}
      aria-busy={busy || undefined}
      onClick={async () => {
        setBusy(true)
        try {
          await run()
        } finally {
          setBusy(false)
        }
      }}
    >
      <Icon name="refresh" size={13} />
    </button>
  )
}

const mergeIcon: Record<PrStatus['mergeability'], IconName> = {
  mergeable: 'check',
  conflicts: 'alert',
  behind: 'branch',
  blocked: 'minus',
  checking: 'circle',
  unknown: 'circle'
}

/** The Merge… button: disabled, with the reason, while the request cannot be merged (nor set to merge when ready). */
function MergeButton({ status, onAsk }: { status: PrStatus; onAsk: () => void }): ReactElement | null {
  if (status.state !== 'open' && status.state !== 'draft') return null
  if (status.autoMerge) return null
  const blocker = mergeBlocker(status)
  const whenReady = canMergeWhenReady(status)
  return (
    <button
      type="button"
      className="btn btn-small"
      disabled={blocker !== null && !whenReady}
      title={
        whenReady
          ? `${blocker} ${serviceName(status.provider)} can merge it when ready.`
          : (blocker ?? `Merge ${requestRef(status)} into ${status.base}`)
      }
      onClick={onAsk}
    >
      <Icon name="pull-request" size={13} />
      Merge…
    </button>
  )
}

/** The second step of a merge, naming what merges where and at which commit: that head is merged, or nothing is. */
function MergeConfirm({ thread, status, onDone }: { thread: Thread; status: PrStatus; onDone: () => void }): ReactElement {
  const [busy, setBusy] = useState(false)
  // Not mergeable yet, but only for what the service enforces: it is offered to merge by itself when ready.
  const whenReady = mergeBlocker(status) !== null && canMergeWhenReady(status)
  return (
    <div className="pr-merge-confirm" role="group" aria-label="Confirm merge">
      <span>
        Merge <code>{status.head}</code> into <code>{status.base}</code>
        {status.headSha ? (
          <>
            {' '}
            at <code>{status.headSha.slice(0, 7)}</code>
          </>
        ) : null}
        {whenReady ? (status.provider === 'gitlab' ? ' when its pipeline succeeds' : ' when its checks pass and reviews allow it') : ''}?
      </span>
      <button
        type="button"
        className="btn btn-small btn-primary"
        disabled={busy}
        onClick={async () => {
          setBusy(true)
          const merged = await mergeRequest(thread.id, 'merge', status.headSha, whenReady)
          setBusy(false)
          if (merged) onDone()
        }}
      >
        {busy ? 'Merging…' : whenReady ? 'Merge when ready' : `Merge ${requestRef(status)}`}
      </button>
      <button type="button" className="btn btn-small" disabled={busy} onClick={onDone}>
        Cancel
      </button>
    </div>
  )
}

/** The service's own auto-merge is on: what it will do, and a button to turn it off. */
function AutoMergeNote({ thread, text }: { thread: Thread; text: string }): ReactElement {
  const [busy, setBusy] = useState(false)
  return (
    <p className="pr-auto-merge" role="status">
      <Icon name="check" size={13} /> {text}
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        onClick={async () => {
          setBusy(true)
          await cancelAutoMerge(thread.id)
          setBusy(false)
        }}
      >
        {busy ? 'Cancelling…' : 'Cancel auto-merge'}
      </button>
    </p>
  )
}

/** One fact about the request: an icon, the words, a tone. */
function Fact({ icon, text, tone, label }: { icon: IconName; text: string; tone: 'good' | 'bad' | 'wait' | 'quiet'; label: string }) {
  return (
    <span className={`pr-fact pr-fact-${tone}`} aria-label={`${label}: ${text}`}>
      <Icon name={icon} size={12} />
      {text}
    </span>
  )
}

/** The request itself: number and title (links), state, mergeability, reviews, checks, and a problem reading it. */
function PrDetails({ thread, status }: { thread: Thread; status: PrStatus }): ReactElement {
  const open = status.state === 'open' || status.state === 'draft'
  const [asking, setAsking] = useState(false)
  const mergeTone = status.mergeability === 'mergeable' ? 'good' : status.mergeability === 'conflicts' ? 'bad' : 'wait'
  const reviewTone =
    status.review.decision === 'approved'
      ? 'good'
      : status.review.decision === 'changes-requested'
        ? 'bad'
        : status.review.decision === 'none'
          ? 'quiet'
          : 'wait'
  const checks = checksText(status)
  const autoMerge = autoMergeText(status)
  const checksTone = status.checks?.overall === 'passed' ? 'good' : status.checks?.overall === 'failed' ? 'bad' : 'wait'
  return (
    <section
      className={`pr-panel pr-tone-${prTone(status)}`}
      aria-label={`${RequestNoun(status.provider)} ${requestRef(status)}`}
      data-pr-state={status.state}
    >
      <div className="pr-head">
        <Icon name="pull-request" size={15} className="pr-icon" />
        <a
          className="pr-number"
          href={status.url}
          target="_blank"
          rel="noreferrer"
          title={`Open ${requestRef(status)} on ${serviceName(status.provider)}`}
        >
          {requestRef(status)}
        </a>
        <a className="pr-title" href={status.url} target="_blank" rel="noreferrer" title={status.title}>
          {status.title}
        </a>
        <span className={`pr-state pr-state-${status.state}`}>{stateLabels[status.state]}</span>
        <span className="spacer" />
        <span className="pr-branches" title={`${status.head} into ${status.base}`}>
          <code>{status.head}</code> → <code>{status.base}</code>
        </span>
        {!asking && <MergeButton status={status} onAsk={() => setAsking(true)} />}
        <RefreshButton
          label={`Read ${requestRef(status)} from ${serviceName(status.provider)} again`}
          run={() => refreshRequest(thread.id)}
        />
      </div>
      <div className="pr-facts">
        {open && (
          <Fact
            icon={mergeIcon[status.mergeability]}
            text={`${mergeabilityLabels[status.mergeability]}${status.mergeabilityDetail && status.mergeability !== 'mergeable' ? `: ${status.mergeabilityDetail}` : ''}`}
            tone={mergeTone}
            label="Merge"
          />
        )}
        {open && (
          <Fact
            icon={status.review.decision === 'changes-requested' ? 'alert' : status.review.decision === 'approved' ? 'check' : 'eye'}
            text={reviewText(status)}
            tone={reviewTone}
            label="Reviews"
          />
        )}
        {checks && (
          <Fact
            icon={checksTone === 'good' ? 'check' : checksTone === 'bad' ? 'alert' : 'circle'}
            text={checks}
            tone={checksTone}
            label="Checks"
          />
        )}
        {status.labels.length > 0 && (
          <span className="pr-labels" aria-label={`Labels: ${status.labels.join(', ')}`}>
            {status.labels.map((l) => (
              <span key={l} className="pr-label">
                {l}
              </span>
            ))}
          </span>
        )}
      </div>
      {asking && open && <MergeConfirm thread={thread} status={status} onDone={() => setAsking(false)} />}
      {autoMerge && <AutoMergeNote thread={thread} text={autoMerge} />}
      {status.problem && (
        <p className="pr-problem" role="note">
          <Icon name="info" size={13} /> {status.problem.message}
        </p>
      )}
    </section>
  )
}

/**
 * The top of the CI tab: the thread's pull or merge request (number, state, mergeability, reviews,
 * checks), or the button that creates one. Nothing for a thread without a branch of its own.
 */
export function PrPanel({ thread }: { thread: Thread }): ReactElement | null {
  const status = usePrStatus(thread.id)
  const ciProvider = useCiProvider(thread.id)
  if (status) return <PrDetails thread={thread} status={status} />
  if (!canOpenRequest(thread)) return null
  const Noun = RequestNoun(ciProvider)
  return (
    <section className="pr-panel pr-panel-empty" aria-label={Noun}>
      <Icon name="pull-request" size={15} className="pr-icon" />
      <span className="pr-empty-text">
        No {Noun.toLowerCase()} for <code>{thread.branch}</code> yet.
      </span>
      <span className="spacer" />
      <button type="button" className="btn btn-small" onClick={() => openCreateRequest(thread.id)}>
        <Icon name="pull-request" size={13} />
        Create {Noun.toLowerCase()}
      </button>
    </section>
  )
}
