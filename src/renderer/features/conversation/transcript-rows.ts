import type { Item } from '../../../shared/models'

/** A run of rewound items shown as one row ("2 rewound turns"); unfolded, its items follow it. */
export interface RewoundGroup {
  kind: 'rewound'
  /** `rewound:<first item id>`: stable while the run stays the same. */
  id: string
  turns: number
  items: number
  open: boolean
}

/** One row of the transcript: an item, or a fold of rewound items. */
export type TranscriptRow = Item | RewoundGroup

/** True for the fold row of rewound items. */
export const isGroup = (row: TranscriptRow): row is RewoundGroup => row.kind === 'rewound'

/**
 * The transcript's rows: items in order, each run of rewound items behind one fold row, followed by its items
 * when the fold is open. Without rewound items this is `items` itself (no copy on every streamed frame).
 */
export function transcriptRows(items: Item[], open: Readonly<Record<string, true>>): TranscriptRow[] {
  if (!items.some((it) => it.rewound)) return items
  const rows: TranscriptRow[] = []
  let i = 0
  while (i < items.length) {
    if (!items[i].rewound) {
      rows.push(items[i++])
      continue
    }
    const start = i
    const turns = new Set<string>()
    while (i < items.length && items[i].rewound) turns.add(items[i++].turnId)
    const id = `rewound:${items[start].id}`
    const unfolded = !!open[id]
    rows.push({ kind: 'rewound', id, turns: turns.size, items: i - start, open: unfolded })
    if (unfolded) for (let k = start; k < i; k++) rows.push(items[k])
  }
  return rows
}

/** What the person can do from a row: from a message, or from the end of a turn (rewind only when a later turn follows it). */
export type TurnPlace = { at: 'message' } | { at: 'turn-end'; next: string | null } | null

/** The row index of the last user message still in the agent's context, or -1. */
export function lastLiveMessage(rows: readonly TranscriptRow[]): number {
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]
    if (row.kind === 'user' && !row.rewound) return i
  }
  return -1
}

const ENDED = new Set(['completed', 'failed', 'interrupted'])

/**
 * Where row `i` sits in its turn: a user message, the last row of an ended turn, or neither. Rewound and
 * imported items offer nothing (no checkpoint holds them).
 */
export function turnPlace(rows: readonly TranscriptRow[], i: number, busy: boolean, lastLive: number): TurnPlace {
  const row = rows[i]
  if (!row || isGroup(row) || row.rewound || row.imported) return null
  if (row.kind === 'user') return { at: 'message' }
  if (row.kind === 'approval' || !ENDED.has(row.status)) return null
  const after = rows[i + 1]
  const ends = after === undefined ? !busy : isGroup(after) || after.turnId !== row.turnId
  return ends ? { at: 'turn-end', next: i < lastLive ? nextLiveTurn(rows, i) : null } : null
}

/** The turn of the first user message after row `i` that is still in the agent's context. */
function nextLiveTurn(rows: readonly TranscriptRow[], i: number): string | null {
  for (let k = i + 1; k < rows.length; k++) {
    const row = rows[k]
    if (!isGroup(row) && row.kind === 'user' && !row.rewound) return row.turnId
  }
  return null
}
