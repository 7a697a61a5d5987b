import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../src/main/core/logger'
import { scanEvents } from '../src/main/core/store/event-scan'
import { cleanupTemp, tempDir } from './helpers/fixtures'

afterEach(cleanupTemp)

describe('scanEvents', () => {
  it('streams the marked events of a log far larger than a scan chunk, skipping a corrupt one and a torn tail', async () => {
    const log = join(tempDir(), 'events.jsonl')
    writeFileSync(log, '')
    const bulky = 'x'.repeat(3 * 1024 * 1024) // each item line spans several 1 MB chunks
    const expected: string[] = []
    for (let i = 0; i < 12; i++) {
      appendFileSync(log, `${JSON.stringify({ type: 'item.completed', at: i, item: { id: `i${i}`, text: bulky } })}\n`)
      if (i % 3 === 0) {
        appendFileSync(log, `${JSON.stringify({ type: 'review.comment', at: i, comment: { id: `c${i}` } })}\n`)
        expected.push(`c${i}`)
      }
    }
    appendFileSync(log, '{"type":"review.comment","at":99,"comm\n') // corrupt: skipped with a warning
    appendFileSync(log, `${JSON.stringify({ type: 'review.comment.deleted', at: 100, id: 'c3' })}\n`)
    appendFileSync(log, '{"type":"review.comment","at":101,"comment":{"id":"torn"') // torn tail: not yet an event
    const logger = memoryLogger()
    const seen: string[] = []
    await scanEvents<{ type: string; comment?: { id: string }; id?: string }>(log, '"review.comment', logger, (e) =>
      seen.push(e.type === 'review.comment' ? e.comment!.id : `-${e.id}`)
    )
    expect(seen).toEqual([...expected, '-c3'])
    expect(logger.lines.filter((l) => l.message.includes('corrupt line'))).toHaveLength(1)
  })

  it('finds nothing in a missing log', async () => {
    const seen: unknown[] = []
    await scanEvents(join(tempDir(), 'gone.jsonl'), '"review.comment', memoryLogger(), (e) => seen.push(e))
    expect(seen).toEqual([])
  })
})
