import type { Checkpoint } from '../../../shared/checkpoints'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Item } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { visibleTurns } from '../agent/transcript'

/** Where a rewind or fork goes: a checkpoint (or "now", when the turn is the latest), and the turns the conversation keeps. */
export interface Target {
  checkpoint: Checkpoint | 'now'
  keepTurns: string[]
  turnId: string | null
}

/**
 * Resolves a checkpoint number, or the end of a built-in turn: its files are those the next turn started
 * from (the checkpoint taken just before it), or the worktree now when it is the latest turn.
 */
export function resolveTarget(
  checkpoints: readonly Checkpoint[],
  items: readonly Item[],
  o: { checkpoint?: number; turnId?: string; busy: boolean }
): Result<Target> {
  if (o.checkpoint !== undefined) {
    const c = checkpoints.find((x) => x.n === o.checkpoint)
    if (!c)
      return err(appError(ErrorCode.InvalidParams, `Checkpoint ${o.checkpoint} of this thread does not exist (it may have been pruned).`))
    return ok({ checkpoint: c, keepTurns: c.turnIds, turnId: c.turnId })
  }
  if (o.turnId === undefined) return ok({ checkpoint: 'now', keepTurns: visibleTurns(items), turnId: null })
  const turns = visibleTurns(items)
  const at = turns.indexOf(o.turnId)
  if (at === -1) {
    const known = items.some((i) => i.turnId === o.turnId)
    return err(
      appError(ErrorCode.InvalidParams, known ? 'That turn was rewound; bring it back first.' : 'That turn is not in this conversation.')
    )
  }
  const keepTurns = turns.slice(0, at + 1)
  const next = turns[at + 1]
  if (next === undefined) {
    if (o.busy) return err(appError(ErrorCode.InvalidThreadState, 'That turn is still running. Wait for it to end, or stop it.'))
    return ok({ checkpoint: 'now', keepTurns, turnId: o.turnId })
  }
  const before = [...checkpoints].reverse().find((c) => c.trigger === 'turn' && c.turnId === next)
  if (!before)
    return err(
      appError(
        ErrorCode.InvalidParams,
        'No checkpoint holds the files as that turn left them (the next turn ran before checkpoints existed, or it was pruned). Pick a checkpoint from the timeline instead.'
      )
    )
  return ok({ checkpoint: before, keepTurns, turnId: o.turnId })
}
