import { useEffect, useState, type FormEvent, type ReactElement } from 'react'
import { formatBytes, parseBytes, type RepoDisk } from '../../../shared/disk'
import { errorMessage, request } from '../../state/rpc'
import { Dialog, FormError } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { RepoSelect } from '../repos'
import { useSortedRepos } from '../../state/derived'
import { useThreads } from '../../state/threads-store'
import { CleanupSection } from './CleanupSection'
import { useDisk, useRepoDisk } from './disk-store'

/** A repository's disk use (worktrees, shared folders once, leftovers), its budget, and Clean up. */
export function DiskDialog({ initialRepoId, onClose }: { initialRepoId?: string; onClose: () => void }): ReactElement {
  const repos = useSortedRepos()
  const [repoId, setRepoId] = useState(() =>
    initialRepoId && repos.some((r) => r.id === initialRepoId) ? initialRepoId : (repos[0]?.id ?? '')
  )
  const disk = useRepoDisk(repoId)
  const [measuring, setMeasuring] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const measure = async () => {
    if (measuring) return
    setMeasuring(true)
    setError(null)
    try {
      const { repos: fresh } = await request('disk/refresh', { repoId })
      for (const r of fresh) useDisk.getState().put(r)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setMeasuring(false)
    }
  }
  useEffect(() => {
    if (repoId && !disk) void measure()
  }, [repoId])

  return (
    <Dialog
      title="Disk use"
      description="What this repository's worktrees take on disk, with shared folders counted once."
      onClose={onClose}
      width={620}
    >
      <div className="dialog-body disk-dialog">
        {repos.length > 1 && <RepoSelect id="disk-repo" value={repoId} onChange={setRepoId} />}
        <DiskSummary disk={disk} measuring={measuring} onMeasure={() => void measure()} />
        <FormError message={error} />
        {disk?.note && (
          <div className="banner banner-note">
            <Icon name="info" size={14} />
            <span>{disk.note}</span>
          </div>
        )}
        <BudgetField key={repoId} repoId={repoId} budget={disk?.budgetBytes ?? null} />
        <CleanupSection key={`cleanup:${repoId}`} repoId={repoId} />
      </div>
    </Dialog>
  )
}

function DiskSummary({
  disk,
  measuring,
  onMeasure
}: {
  disk: RepoDisk | undefined
  measuring: boolean
  onMeasure: () => void
}): ReactElement {
  useThreads((s) => s.version) // re-render as threads change: byId itself is changed in place
  const threads = useThreads.getState().byId
  const worktrees = [...(disk?.worktrees ?? [])].sort((a, b) => b.bytes - a.bytes)
  const sharedBytes = disk?.shared.reduce((n, s) => n + s.bytes, 0) ?? 0
  return (
    <section aria-label="Disk use" className="disk-summary">
      <div className="disk-total-line">
        <span className="disk-total" data-testid="disk-total">
          {disk && disk.measuredAt !== null ? formatBytes(disk.totalBytes) : 'Measuring…'}
        </span>
        <span className="muted">
          {worktrees.length} {worktrees.length === 1 ? 'worktree' : 'worktrees'}
          {disk &&
            disk.shared.length > 0 &&
            ` · ${disk.shared.length} shared ${disk.shared.length === 1 ? 'folder' : 'folders'} ${formatBytes(sharedBytes)}`}
          {disk && disk.leftoverBytes > 0 && ` · leftovers ${formatBytes(disk.leftoverBytes)}`}
        </span>
        <span className="spacer" />
        {/* aria-disabled, not disabled: a disabled button drops focus, and Escape would no longer reach the dialog. */}
        <button type="button" className="btn" onClick={onMeasure} aria-disabled={measuring}>
          <Icon name="refresh" />
          {measuring ? 'Measuring…' : 'Measure again'}
        </button>
      </div>
      {worktrees.length > 0 && (
        <ul className="disk-list" aria-label="Worktrees by size">
          {worktrees.map((w) => (
            <li key={w.threadId}>
              <span className="disk-list-name">{threads[w.threadId]?.title ?? (w.title || w.path)}</span>
              {w.sharedLinks.length > 0 && (
                <span className="muted">+ {w.sharedLinks.length === 1 ? 'a shared folder' : `${w.sharedLinks.length} shared folders`}</span>
              )}
              <span className="disk-list-size">{formatBytes(w.bytes)}</span>
            </li>
          ))}
          {disk?.shared.map((s) => (
            <li key={s.path} className="is-shared">
              <span className="disk-list-name">
                Shared <code>{s.path.split('/').pop()}</code> <span className="muted">(used by {s.linkedBy.length})</span>
              </span>
              <span className="disk-list-size">{formatBytes(s.bytes)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function BudgetField({ repoId, budget }: { repoId: string; budget: number | null }): ReactElement {
  const [text, setText] = useState(budget ? formatBytes(budget) : '')
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const save = async (e: FormEvent) => {
    e.preventDefault()
    const bytes = text.trim() === '' ? null : parseBytes(text)
    if (text.trim() !== '' && (bytes === null || bytes <= 0)) {
      setError('Write a size such as 20 GB or 500 MB, or leave it empty for no budget.')
      return
    }
    setError(null)
    try {
      useDisk.getState().put(await request('disk/setBudget', { repoId, budgetBytes: bytes }))
      setSaved(true)
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  return (
    <form className="disk-budget" onSubmit={save} noValidate>
      <label className="field-label" htmlFor="disk-budget">
        Disk budget
      </label>
      <div className="input-row">
        <input
          id="disk-budget"
          className="input"
          value={text}
          placeholder="e.g. 20 GB (empty: no budget)"
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setText(e.target.value)
            setSaved(false)
          }}
        />
        <button type="submit" className="btn">
          {saved ? 'Saved' : 'Save budget'}
        </button>
      </div>
      <p className="field-hint">
        New threads (in the app and with <code>skein new</code>) warn when one more worktree would pass it.
      </p>
      <FormError message={error} />
    </form>
  )
}
