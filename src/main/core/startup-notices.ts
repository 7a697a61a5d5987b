import type { RecoveryOutcome } from './threads/create-recovery'

/** What a start cleaned up after a run that stopped unexpectedly, in sentences for the windows to show. */
export function startupNotices(reapedTerminals: number, creates: RecoveryOutcome[]): string[] {
  const out: string[] = []
  if (reapedTerminals > 0) {
    out.push(
      `Skein stopped unexpectedly last time. It has ended the processes that ${reapedTerminals === 1 ? '1 terminal' : `${reapedTerminals} terminals`} left running.`
    )
  }
  for (const c of creates) {
    if (c.kind === 'removed')
      out.push(
        `A thread was being created when Skein stopped. Nothing had been done in it, so its worktree${c.branch ? ` and branch ${c.branch}` : ''} were removed (a snapshot was kept).`
      )
    else if (c.kind === 'kept')
      out.push(
        `“${c.thread.title}” was being created when Skein stopped. It already had changes, so it is kept; its overview says what happened.`
      )
    else out.push(`A worktree left by an interrupted thread creation was left in place at ${c.path}: ${c.reason}.`)
  }
  return out
}
