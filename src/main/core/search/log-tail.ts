import { open } from 'node:fs/promises'
import type { Item } from '../../../shared/models'

const CHUNK = 1024 * 1024
const NEWLINE = 0x0a
const MARKER = Buffer.from('"item.completed"')

/** How a read from a log's high-water mark ended. */
export type TailEnd = { kind: 'read'; offset: number } | { kind: 'missing' } | { kind: 'shrunk'; size: number }

/**
 * Reads the completed items a thread's events.jsonl holds after byte `offset`, a chunk at a time: `onChunk` gets
 * each chunk's items with the offset just past its last whole line (a torn last line is left for later).
 */
export async function readItemsAfter(
  file: string,
  offset: number,
  onChunk: (items: Item[], offset: number) => void | Promise<void>
): Promise<TailEnd> {
  const handle = await open(file, 'r').catch(() => null)
  if (!handle) return { kind: 'missing' }
  try {
    const { size } = await handle.stat()
    if (size < offset) return { kind: 'shrunk', size }
    let pos = offset
    let carry = Buffer.alloc(0)
    const buf = Buffer.allocUnsafe(CHUNK)
    while (pos + carry.length < size) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, size - pos - carry.length), pos + carry.length)
      if (bytesRead === 0) break
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead))
      const last = data.lastIndexOf(NEWLINE)
      if (last < 0) {
        carry = data
        continue
      }
      const items = parseLines(data.subarray(0, last))
      carry = Buffer.from(data.subarray(last + 1))
      pos += last + 1
      await onChunk(items, pos)
    }
    return { kind: 'read', offset: pos }
  } finally {
    await handle.close()
  }
}

function parseLines(data: Buffer): Item[] {
  const out: Item[] = []
  let start = 0
  while (start < data.length) {
    let end = data.indexOf(NEWLINE, start)
    if (end < 0) end = data.length
    const line = data.subarray(start, end)
    start = end + 1
    // Most lines are not items (thread changes, review comments): skip them without parsing.
    if (line.indexOf(MARKER) < 0) continue
    try {
      const e = JSON.parse(line.toString('utf8')) as { type?: unknown; item?: Item }
      if (e.type === 'item.completed' && e.item && typeof e.item.id === 'string' && typeof e.item.kind === 'string') out.push(e.item)
    } catch {
      // A damaged line: the thread store skips it too.
    }
  }
  return out
}
