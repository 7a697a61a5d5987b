import { basename, dirname } from 'node:path'
import { open } from 'node:fs/promises'
import type { Item } from '../../../shared/models'
import type { Logger } from '../logger'
import { REWOUND_EVENT, type LogIndex } from '../store/log-index'
import { readSpans, scanLines } from '../store/log-lines'
import { leanItemOfLine } from './item-lean'
import { truncateItem } from './item-truncate'

/** Characters kept of each bulky field in what `Transcript.items()` returns (the whole transcript); the log keeps all. */
export const ITEMS_FIELD_CHARS = 262_144

const IN_PROGRESS = new Set<Item['status']>(['streaming', 'running', 'pending'])

/** Whether an item is still going (streaming, running, or an approval waiting for an answer). */
export const inProgress = (item: Item): boolean => IN_PROGRESS.has(item.status)

/** How logged items are shown: rewound turns flagged, and what was in progress when Skein stopped interrupted. */
export interface ItemRules {
  rewound: ReadonlySet<string>
  /** A pending approval (or its tool call) that outlives a restart: left as it is, to be answered. */
  waiting: (id: string) => boolean
}

/**
 * A logged item as this run shows it. A pending approval outlives a restart: it and its tool call stay as they
 * were (the agent service resumes the turn); anything else in progress when Skein stopped is interrupted.
 * `live` items (in memory now) keep their status.
 */
export function showItem(item: Item, rules: ItemRules, live: boolean): Item {
  const ended = !live && inProgress(item) && !rules.waiting(item.id) ? { ...item, status: 'interrupted' as const } : item
  const { rewound: _stale, ...rest } = ended
  return rules.rewound.has(item.turnId) ? { ...rest, rewound: true } : rest
}

/** The item an `item.completed` line holds, or null for any other line (or one that does not parse). */
export function itemOfLine(bytes: Buffer): Item | null {
  try {
    const e = JSON.parse(bytes.toString('utf8')) as { type?: unknown; item?: Item }
    return e && e.type === 'item.completed' && e.item && typeof e.item.id === 'string' ? e.item : null
  } catch {
    return null
  }
}

/**
 * The items at `positions` of an indexed log, read line by line (nearby lines share a read), in the order asked.
 * Bulky fields come truncated as `item/list` sends them, unless `whole`.
 * A line that no longer holds its item (the log changed under the index) is left out with a warning.
 */
export async function readItemsAt(
  index: LogIndex,
  positions: readonly number[],
  logger: Logger,
  o: { whole?: boolean } = {}
): Promise<(Item | null)[]> {
  const out: (Item | null)[] = positions.map(() => null)
  if (positions.length === 0) return out
  const handle = await open(index.logPath, 'r')
  try {
    await readSpans(
      handle,
      positions.map((p) => index.span(p)),
      (i, bytes) => {
        const item = o.whole ? itemOfLine(bytes) : leanItemOfLine(bytes)
        if (item && index.positionOf(item.id) === positions[i]) out[i] = item
        else logger.warn(`Item ${positions[i]} of ${index.logPath} is not where its index says; it is left out until the index is rebuilt.`)
      }
    )
  } finally {
    await handle.close()
  }
  return out
}

/**
 * Every item of a log, streamed line by line (never the whole file at once): latest line of each id wins, in
 * order of first appearance; fields longer than ITEMS_FIELD_CHARS cut (see `truncateItem`). With the rewound turns.
 */
export async function streamItems(logPath: string, logger: Logger): Promise<{ items: Item[]; rewound: Set<string> }> {
  const latest = new Map<string, Item>()
  const rewound = new Set<string>()
  try {
    await scanLines(logPath, 0, ({ offset, bytes }) => {
      if (bytes.length === 0) return
      let e: { type?: unknown; item?: Item; turnIds?: unknown; rewound?: unknown }
      try {
        e = JSON.parse(bytes.toString('utf8'))
      } catch {
        logger.warn(`Skipped a corrupt line at byte ${offset} of ${logPath}; the rest of the log is intact.`)
        return
      }
      if (e?.type === 'item.completed' && e.item && typeof e.item.id === 'string')
        latest.set(e.item.id, truncateItem(e.item, ITEMS_FIELD_CHARS))
      else if (e?.type === REWOUND_EVENT && Array.isArray(e.turnIds))
        for (const id of e.turnIds) if (typeof id === 'string') e.rewound === true ? rewound.add(id) : rewound.delete(id)
    })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadableLog(logPath, e, logger)
  }
  return { items: [...latest.values()], rewound }
}

/** The waiting test of `ItemRules` for a whole list of items. */
export function waitingIn(items: readonly Item[]): (id: string) => boolean {
  const waiting = new Set(
    items.filter((i) => i.kind === 'approval' && i.status === 'pending' && i.approval).flatMap((i) => [i.id, i.approval!.toolItemId])
  )
  return (id) => waiting.has(id)
}

/** A failure to read a thread's log, logged and worded for a person: never an empty conversation in its place. */
export function unreadableLog(logPath: string, cause: unknown, logger: Logger): Error {
  if (cause instanceof UnreadableLog) return cause
  logger.error(`Could not read the log of thread ${basename(dirname(logPath))}`, cause)
  return new UnreadableLog(`This thread's log could not be read: ${(cause as Error)?.message ?? String(cause)}. Nothing in it was changed.`)
}

/** The error `unreadableLog` gives. */
export class UnreadableLog extends Error {}
