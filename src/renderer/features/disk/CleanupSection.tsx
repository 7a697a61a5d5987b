import { useRef, useState, type ReactElement } from 'react'
import { formatBytes, type CleanupCandidate } from '../../../shared/disk'
import { errorMessage, request } from '../../state/rpc'
import { FormError } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { notifySuccess, notifyWarning } from '../../state/notify'

const kindLabels: Record<CleanupCandidate['kind'], string> = {
  'archived-worktree': 'Archived thread’s folder',
  'orphan-worktree': 'Folder of no thread',
  'stale-shared': 'Shared folder nothing uses'
}

/** Clean up: lists leftover worktree folders and stale shared folders, and removes the chosen ones that a verified snapshot holds. */
export function CleanupSection({ repoId }: { repoId: string }): ReactElement {
  const [plan, setPlan] = useState<CleanupCandidate[] | null>(null)
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const [busy, setBusy] = useState<'plan' | 'run' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const findRef = useRef<HTMLButtonElement>(null)

  const find = async () => {
    if (busy) return
    setBusy('plan')
    setError(null)
    try {
      const { candidates } = await request('disk/cleanupPlan', { repoId })
      setPlan(candidates)
      setChosen(new Set(candidates.filter((c) => c.removable).map((c) => c.path)))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }
  const run = async () => {
    if (busy || chosen.size === 0) return
    setBusy('run')
    setError(null)
    try {
      const out = await request('disk/cleanup', { paths: [...chosen] })
      const freed = out.removed.reduce((n, r) => n + r.bytes, 0)
      if (out.removed.length > 0)
        notifySuccess(`Freed ${formatBytes(freed)}`, `Removed ${out.removed.length} ${out.removed.length === 1 ? 'folder' : 'folders'}.`)
      for (const k of out.kept) notifyWarning(`Kept ${k.path.split('/').pop()}`, k.reason)
      setBusy(null)
      // The Remove button may go with the list; focus stays in the dialog so Escape still closes it.
      findRef.current?.focus()
      await find()
    } catch (e) {
      setError(errorMessage(e))
      setBusy(null)
    }
  }

  const chosenBytes = plan?.filter((c) => chosen.has(c.path)).reduce((n, c) => n + c.bytes, 0) ?? 0
  return (
    <section className="cleanup" aria-labelledby="cleanup-title">
      <div className="cleanup-head">
        <h3 id="cleanup-title" className="section-title">
          Clean up
        </h3>
        <span className="spacer" />
        <button ref={findRef} type="button" className="btn" onClick={() => void find()} aria-disabled={busy !== null}>
          <Icon name="search" />
          {busy === 'plan' ? 'Looking…' : plan ? 'Look again' : 'Find leftovers'}
        </button>
      </div>
      <p className="field-hint">
        Folders of archived threads that are still on disk, and shared folders no live worktree uses. A folder is removed only when a
        verified snapshot holds everything in it now; one with work no snapshot has is kept, and says why.
      </p>
      {plan && plan.length === 0 && <p className="cleanup-empty">Nothing to clean up.</p>}
      {plan && plan.length > 0 && (
        <ul className="cleanup-list" aria-label="Leftover folders">
          {plan.map((c) => (
            <li key={c.path} className={c.removable ? '' : 'is-kept'} data-path={c.path}>
              <label className="cleanup-item">
                <input
                  type="checkbox"
                  disabled={!c.removable}
                  checked={chosen.has(c.path)}
                  aria-label={`${c.removable ? 'Remove' : 'Kept:'} ${c.title ?? c.path.split('/').pop()}`}
                  onChange={(e) => {
                    const next = new Set(chosen)
                    if (e.target.checked) next.add(c.path)
                    else next.delete(c.path)
                    setChosen(next)
                  }}
                />
                <span className="cleanup-text">
                  <span className="cleanup-name">
                    {c.title ?? c.path.split('/').pop()} <span className="muted">· {kindLabels[c.kind]}</span>
                  </span>
                  <code className="muted detail-path">{c.path}</code>
                  <span className={c.removable ? 'cleanup-reason' : 'cleanup-reason is-kept'}>{c.reason}</span>
                </span>
                <span className="disk-list-size">{formatBytes(c.bytes)}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <FormError message={error} />
      {plan && plan.some((c) => c.removable) && (
        <footer className="dialog-footer">
          <button type="button" className="btn btn-danger" aria-disabled={chosen.size === 0 || busy !== null} onClick={() => void run()}>
            <Icon name="trash" />
            {busy === 'run'
              ? 'Removing…'
              : `Remove ${chosen.size} ${chosen.size === 1 ? 'folder' : 'folders'} (${formatBytes(chosenBytes)})`}
          </button>
        </footer>
      )}
    </section>
  )
}
