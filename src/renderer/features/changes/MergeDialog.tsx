import { useEffect, useRef, useState, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import type { MergePlanView } from '../../../shared/review'
import { errorMessage, request } from '../../state/rpc'
import { Dialog, FormError } from '../../ui/Dialog'
import { notifySuccess } from '../../state/notify'
import { formatCount } from './file-format'

const STATUS_LETTER = { added: 'A', modified: 'M', deleted: 'D', 'type-changed': 'T' } as const

/** Why the merge cannot go ahead now, as sentences; empty when it can. */
export function mergeBlockers(plan: MergePlanView): string[] {
  const out: string[] = []
  if (plan.uncommitted > 0)
    out.push(
      `The thread has ${plan.uncommitted} uncommitted change${plan.uncommitted === 1 ? '' : 's'}, which the merge would leave out. Commit them first.`
    )
  if (plan.conflicts.length)
    out.push(
      `${plan.branch} conflicts with ${plan.baseRef}. Rebase the thread onto ${plan.baseRef} in its worktree and resolve them there.`
    )
  if (plan.checkoutBusy) out.push(`${plan.checkedOutIn} is in the middle of ${plan.checkoutBusy}. Finish or abort it there first.`)
  if (plan.localChanges.length)
    out.push(
      `${plan.baseRef} is checked out in ${plan.checkedOutIn}, where local changes touch files the merge would change. Commit or set them aside there; Skein changes nothing.`
    )
  return out
}

/** A short list of paths, in a scrolling box. */
function PathList({ label, paths }: { label: string; paths: string[] }): ReactElement {
  return (
    <ul className="merge-list merge-blocked-files" aria-label={label}>
      {paths.map((p) => (
        <li key={p}>
          <code>{p}</code>
        </li>
      ))}
    </ul>
  )
}

/**
 * *Merge into base*: loads the preview (commits, files, fast-forward, where it runs, what blocks it), asks
 * for confirmation with the confirm button focused, then merges exactly what was shown.
 */
export function MergeDialog({ thread, onClose, onMerged }: { thread: Thread; onClose: () => void; onMerged: () => void }): ReactElement {
  const [plan, setPlan] = useState<MergePlanView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)

  const load = async () => {
    try {
      setPlan(await request('review/mergePreview', { threadId: thread.id }))
    } catch (e) {
      setError(errorMessage(e))
    }
  }
  useEffect(() => {
    void load()
  }, [thread.id])

  const blockers = plan ? mergeBlockers(plan) : []
  const canMerge = plan !== null && !plan.upToDate && blockers.length === 0
  // The dialog focuses on open, before the preview arrives: move focus to the answer once it does.
  useEffect(() => {
    if (plan) (canMerge ? confirmRef : cancelRef).current?.focus()
  }, [plan, canMerge])

  const merge = async () => {
    if (!plan || !canMerge || busy) return
    setBusy(true)
    try {
      const r = await request('review/mergeIntoBase', { threadId: thread.id, expect: { base: plan.base, head: plan.head } })
      notifySuccess(
        `Merged into ${plan.baseRef}`,
        `${r.outcome === 'fast-forward' ? 'Fast-forward to' : 'Merge commit'} ${r.commit?.slice(0, 8) ?? ''}${r.checkout ? ` in ${r.checkout}` : ''}`.trim()
      )
      onMerged()
      onClose()
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
      void load()
    }
  }

  const where = plan?.checkedOutIn
    ? `${plan.baseRef} is checked out in ${plan.checkedOutIn}: git's own merge runs there (${plan.fastForward ? 'git merge --ff-only' : 'git merge --no-ff'}), and git refuses to overwrite local changes.`
    : `${plan?.baseRef ?? thread.baseRef} is not checked out anywhere: only the branch moves, no files are touched.`

  return (
    <Dialog
      title={`Merge into ${thread.baseRef}?`}
      description={`Brings ${thread.branch}'s commits into ${thread.baseRef}.`}
      onClose={onClose}
      initialFocus={cancelRef}
      width={560}
    >
      <div className="dialog-body merge-dialog">
        {!plan && !error && (
          <div className="merge-loading" aria-busy="true">
            <span className="btn-spinner" aria-hidden="true" /> Checking what the merge would do…
          </div>
        )}
        {plan && plan.upToDate && (
          <p className="merge-note">
            {plan.merged
              ? `${plan.baseRef} already has every commit of ${plan.branch}.`
              : `${plan.branch} has no commits that ${plan.baseRef} lacks yet.`}
          </p>
        )}
        {plan && !plan.upToDate && (
          <>
            <p className="merge-kind" aria-label="Merge kind">
              {plan.conflicts.length ? 'Cannot merge cleanly' : plan.fastForward ? 'Fast-forward' : 'Merge commit'} ·{' '}
              {formatCount(plan.commits.length + plan.moreCommits)} commit{plan.commits.length + plan.moreCommits === 1 ? '' : 's'} ·{' '}
              {formatCount(plan.files.length)} file{plan.files.length === 1 ? '' : 's'}
            </p>
            <p className="merge-where">{where}</p>
            <h3 className="merge-heading">Commits</h3>
            <ul className="merge-list" aria-label="Commits">
              {plan.commits.map((c) => (
                <li key={c.sha}>
                  <code className="merge-sha">{c.short}</code> {c.subject}
                </li>
              ))}
              {plan.moreCommits > 0 && <li className="merge-more">and {formatCount(plan.moreCommits)} more</li>}
            </ul>
            <h3 className="merge-heading">Files</h3>
            <ul className="merge-list" aria-label="Files">
              {plan.files.map((f) => (
                <li key={f.path}>
                  <span className={`merge-status merge-status-${f.status}`} title={f.status}>
                    {STATUS_LETTER[f.status]}
                  </span>{' '}
                  <code>{f.path}</code>{' '}
                  {f.additions === null ? (
                    <span className="merge-binary">binary</span>
                  ) : (
                    <>
                      <span className="count-add">+{formatCount(f.additions)}</span>{' '}
                      <span className="count-del">−{formatCount(f.deletions ?? 0)}</span>
                    </>
                  )}
                </li>
              ))}
            </ul>
            {blockers.length > 0 && (
              <div className="banner banner-error merge-blocked" role="alert">
                <div>
                  {blockers.map((b) => (
                    <p key={b}>{b}</p>
                  ))}
                  {plan.conflicts.length > 0 && <PathList label="Conflicting files" paths={plan.conflicts} />}
                  {plan.localChanges.length > 0 && <PathList label="Local changes in the way" paths={plan.localChanges} />}
                </div>
              </div>
            )}
          </>
        )}
        <FormError message={error} />
        <footer className="dialog-footer">
          <button ref={cancelRef} type="button" className="btn" onClick={onClose}>
            {canMerge ? 'Cancel' : 'Close'}
          </button>
          {canMerge && (
            <button
              ref={confirmRef}
              type="button"
              className="btn btn-primary"
              disabled={busy}
              aria-busy={busy || undefined}
              onClick={() => void merge()}
            >
              {busy && <span className="btn-spinner" aria-hidden="true" />}
              {busy ? 'Merging…' : `Merge into ${plan.baseRef}`}
            </button>
          )}
        </footer>
      </div>
    </Dialog>
  )
}

/** Whether the thread's work is in its base (asked when the change set is empty). */
export function useMergedInto(thread: Thread, empty: boolean, version: unknown): boolean {
  const [merged, setMerged] = useState(false)
  const own = thread.mode === 'worktree' && thread.branch !== null && thread.archivedAt === null
  useEffect(() => {
    if (!empty || !own) {
      setMerged(false)
      return
    }
    let live = true
    request('review/mergePreview', { threadId: thread.id })
      .then((p) => live && setMerged(p.merged))
      .catch(() => live && setMerged(false))
    return () => {
      live = false
    }
  }, [thread.id, empty, own, version])
  return merged
}
