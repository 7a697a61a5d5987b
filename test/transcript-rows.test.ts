import { describe, expect, it } from 'vitest'
import type { Item } from '../src/shared/models'
import { lastLiveMessage, transcriptRows, turnPlace } from '../src/renderer/features/conversation/transcript-rows'
import { checkpointAt } from '../src/renderer/features/checkpoints/checkpoint-format'
import type { Checkpoint } from '../src/shared/checkpoints'

let seq = 0
const item = (kind: Item['kind'], turnId: string, o: Partial<Item> = {}): Item => ({
  id: `i${seq++}`,
  threadId: 't1',
  turnId,
  kind,
  status: 'completed',
  createdAt: seq,
  text: `${kind} of ${turnId}`,
  ...o
})

/** Three turns: a message and a reply each, a tool call in the second. */
function threeTurns(rewound: string[] = []): Item[] {
  const r = (turnId: string) => (rewound.includes(turnId) ? { rewound: true } : {})
  return [
    item('user', 'T1', r('T1')),
    item('assistant', 'T1', r('T1')),
    item('user', 'T2', r('T2')),
    item('tool', 'T2', r('T2')),
    item('assistant', 'T2', r('T2')),
    item('user', 'T3', r('T3')),
    item('assistant', 'T3', r('T3'))
  ]
}

describe('transcript rows', () => {
  it('are the items themselves while nothing is rewound', () => {
    const items = threeTurns()
    expect(transcriptRows(items, {})).toBe(items)
  })

  it('fold a run of rewound turns into one row, and unfold it after its fold row', () => {
    const items = threeTurns(['T2', 'T3'])
    const folded = transcriptRows(items, {})
    expect(folded.map((r) => r.kind)).toEqual(['user', 'assistant', 'rewound'])
    expect(folded[2]).toMatchObject({ kind: 'rewound', turns: 2, items: 5, open: false, id: `rewound:${items[2].id}` })
    const open = transcriptRows(items, { [`rewound:${items[2].id}`]: true })
    expect(open.map((r) => r.kind)).toEqual(['user', 'assistant', 'rewound', 'user', 'tool', 'assistant', 'user', 'assistant'])
  })

  it('keep later live turns after the fold (rewound, then a new turn)', () => {
    const items = [...threeTurns(['T2', 'T3']), item('user', 'T4'), item('assistant', 'T4')]
    const rows = transcriptRows(items, {})
    expect(rows.map((r) => r.kind)).toEqual(['user', 'assistant', 'rewound', 'user', 'assistant'])
    expect(lastLiveMessage(rows)).toBe(3)
    // The end of turn one is followed (in the agent's context) by turn four, past the fold.
    expect(turnPlace(rows, 1, false, lastLiveMessage(rows))).toEqual({ at: 'turn-end', next: 'T4' })
  })
})

describe('turn places', () => {
  it('offer rewind and fork on messages, fork on every ended turn and rewind only where a later turn exists', () => {
    const rows = threeTurns()
    const last = lastLiveMessage(rows)
    const places = rows.map((_, i) => turnPlace(rows, i, false, last))
    expect(places).toEqual([
      { at: 'message' },
      { at: 'turn-end', next: 'T2' },
      { at: 'message' },
      null,
      { at: 'turn-end', next: 'T3' },
      { at: 'message' },
      { at: 'turn-end', next: null }
    ])
  })

  it('leave the running turn, rewound items and imported items without actions', () => {
    const rows = [...threeTurns(['T1']), item('user', 'T9', { imported: true })]
    const last = lastLiveMessage(rows)
    expect(turnPlace(rows, 0, false, last)).toBeNull()
    expect(turnPlace(rows, rows.length - 1, false, last)).toBeNull()
    const running = threeTurns()
    expect(turnPlace(running, running.length - 1, true, lastLiveMessage(running))).toBeNull()
    const streaming = [...threeTurns(), item('user', 'T4'), item('assistant', 'T4', { status: 'streaming' })]
    expect(turnPlace(streaming, streaming.length - 1, false, lastLiveMessage(streaming))).toBeNull()
  })
})

describe('the checkpoint of a point in a thread', () => {
  const cp = (n: number, turnId: string | null, turnIds: string[], trigger: Checkpoint['trigger'] = 'turn'): Checkpoint => ({
    threadId: 't1',
    n,
    ref: `refs/skein/checkpoints/t1/${n}`,
    commit: `c${n}`,
    createdAt: n,
    trigger,
    label: '',
    turnId,
    turnIds,
    head: null,
    branch: null,
    dirtyFiles: 0,
    leftOut: [],
    session: null
  })
  const list = [cp(1, 'T1', []), cp(2, 'T2', ['T1']), cp(3, null, ['T1', 'T2'], 'manual'), cp(4, 'T3', ['T1', 'T2'])]

  it('is the one taken before a message, or the one before the turn that followed', () => {
    expect(checkpointAt(list, { checkpoint: 3 })?.n).toBe(3)
    expect(checkpointAt(list, { beforeTurn: 'T2' })?.n).toBe(2)
    expect(checkpointAt(list, { afterTurn: 'T1' })?.n).toBe(2)
    // The manual checkpoint between turns two and three is not the one: the core takes the one before turn three.
    expect(checkpointAt(list, { afterTurn: 'T2' })?.n).toBe(4)
  })

  it('is the one before the turn that follows in the conversation, even when a later one also followed that turn', () => {
    // T2 was rewound, T4 followed T1, then T4 was undone and T2 brought back: after T1 comes T2 again.
    const again = [...list, cp(5, 'T4', ['T1'])]
    expect(checkpointAt(again, { afterTurn: 'T1' })?.n).toBe(5)
    expect(checkpointAt(again, { afterTurn: 'T1', nextTurn: 'T2' })?.n).toBe(2)
    expect(checkpointAt(again, { afterTurn: 'T1', nextTurn: 'T4' })?.n).toBe(5)
  })

  it('is none for the last turn, a pruned one, or now', () => {
    expect(checkpointAt(list, { afterTurn: 'T3' })).toBeNull()
    expect(checkpointAt(list, { beforeTurn: 'T0' })).toBeNull()
    expect(checkpointAt(list, { checkpoint: 9 })).toBeNull()
    expect(checkpointAt(list, { now: true })).toBeNull()
  })
})
