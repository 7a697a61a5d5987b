import { useEffect, useState, type ReactElement } from 'react'
import type { BudgetCheck } from '../../../shared/disk'
import { request } from '../../state/rpc'
import { useDialogs } from '../../state/dialogs-store'
import { Icon } from '../../ui/Icon'

/** In New thread: says, with the numbers, when one more worktree would pass the repository's disk budget. */
export function BudgetWarning({ repoId, worktree }: { repoId: string; worktree: boolean }): ReactElement | null {
  const [check, setCheck] = useState<BudgetCheck | null>(null)
  useEffect(() => {
    setCheck(null)
    if (!repoId || !worktree) return
    let cancelled = false
    request('disk/check', { repoId }).then(
      (c) => !cancelled && setCheck(c),
      () => undefined
    )
    return () => {
      cancelled = true
    }
  }, [repoId, worktree])
  if (!check?.over) return null
  return (
    <div className="banner banner-warning" role="status" data-testid="budget-warning">
      <Icon name="alert" size={14} />
      <span>
        Over the disk budget. {check.message}{' '}
        <button type="button" className="btn-link" onClick={() => useDialogs.getState().open({ kind: 'disk', repoId })}>
          Clean up…
        </button>
      </span>
    </div>
  )
}
