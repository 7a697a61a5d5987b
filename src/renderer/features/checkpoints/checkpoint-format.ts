import type { Checkpoint, CheckpointTrigger, LeftOutFile } from '../../../shared/checkpoints'
import { formatBytes } from '../../../shared/disk'
import type { HistoryPoint } from '../../state/dialogs-store'

/** Why a checkpoint was taken, in a word or two. */
export const triggerLabels: Record<CheckpointTrigger, string> = {
  turn: 'Before a turn',
  'agent-start': 'Agent started',
  prompt: 'Prompt sent',
  manual: 'Taken by you',
  rewind: 'Before a rewind',
  fork: 'Fork point'
}

/** A commit id as people read it. */
export const shortSha = (sha: string): string => sha.slice(0, 7)

/** "1 file" / "3 files". */
export const files = (n: number): string => `${n} ${n === 1 ? 'file' : 'files'}`

/** One left-out file, named with its size and why: "dist/ (3 files, 40 MB): too large". */
export function leftOutLine(f: LeftOutFile): string {
  const what = f.files > 1 ? `${files(f.files)}, ${formatBytes(f.bytes)}` : formatBytes(f.bytes)
  return `${f.path} (${what}): ${f.reason}`
}

/**
 * The checkpoint that holds a point's state, as the core resolves it: the checkpoint itself; for a message, the
 * newest taken just before its turn; for the end of a turn, the newest taken before the turn that follows it in the
 * conversation (when not given, the newest whose conversation then ended with it). Null for "now", the latest turn's end, or when none is kept.
 */
export function checkpointAt(list: readonly Checkpoint[], point: HistoryPoint): Checkpoint | null {
  if ('checkpoint' in point) return list.find((c) => c.n === point.checkpoint) ?? null
  const newest = (match: (c: Checkpoint) => boolean) => [...list].reverse().find(match) ?? null
  if ('beforeTurn' in point) return newest((c) => c.turnId === point.beforeTurn)
  if ('afterTurn' in point) {
    const { afterTurn, nextTurn } = point
    if (nextTurn) return newest((c) => c.trigger === 'turn' && c.turnId === nextTurn)
    return newest((c) => c.trigger === 'turn' && c.turnIds[c.turnIds.length - 1] === afterTurn)
  }
  return null
}

/** How a point is named in a dialog's description. */
export function describePoint(point: HistoryPoint, checkpoint: Checkpoint | null): string {
  if ('now' in point) return 'its state now'
  if ('afterTurn' in point) return 'the end of this turn'
  if (checkpoint) return `checkpoint ${checkpoint.n}${checkpoint.label ? ` (${checkpoint.label})` : ''}`
  return 'before this message'
}
