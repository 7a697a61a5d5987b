import { describe, expect, it } from 'vitest'
import type { Item } from '../src/shared/models'
import { routeItem } from '../src/renderer/features/conversation/conversation-sync'
import { useConversation } from '../src/renderer/features/conversation/conversation-store'

const item = (id: string, createdAt: number): Item => ({
  id,
  threadId: 't1',
  turnId: 'turn',
  kind: 'notice',
  status: 'completed',
  createdAt,
  text: id
})

const held = () => useConversation.getState().byThread.t1!

describe('items the core announces to an open conversation', () => {
  it('join the end when the core says they are new, even if older than what the window shows; never when it says they are not', () => {
    useConversation.getState().track('t1')
    useConversation.getState().setWindow('t1', { items: [item('a', 5_000)], start: 0, total: 1, before: null, after: null })
    routeItem(item('b', 9_000))
    expect(held().items.map((i) => i.id)).toEqual(['a', 'b'])
    // Unsaid, an item older than the newest seen reads as an old one updated outside the window: left out.
    routeItem(item('imported-late', 1_000))
    expect(held().items.map((i) => i.id)).toEqual(['a', 'b'])
    // A re-import says its records are new: they join the end, older or not.
    routeItem(item('imported-new', 1_000), true)
    expect(held().items.map((i) => i.id)).toEqual(['a', 'b', 'imported-new'])
    expect(held().total).toBe(3)
    // A rewind says its items were there: one outside the window is not added, however new it looks.
    routeItem(item('rewound-elsewhere', 99_000), false)
    expect(held().items.map((i) => i.id)).toEqual(['a', 'b', 'imported-new'])
    expect(held().total).toBe(3)
  })
})
