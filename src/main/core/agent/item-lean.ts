import { isAscii } from 'node:buffer'
import type { Item, TruncatedField } from '../../../shared/models'
import { SENT_FIELD_CHARS, truncateItem } from './item-truncate'

/** Lines shorter than this are parsed whole: cutting them first would save nothing. */
const LEAN_MIN_BYTES = 64 * 1024

/** Where each truncatable field lies in an `item.completed` line, as a path of object keys. */
const FIELD_PATHS: Record<string, TruncatedField> = {
  'item.text': 'text',
  'item.modelText': 'modelText',
  'item.tool.output': 'tool.output',
  'item.tool.diff': 'tool.diff',
  'item.approval.diff': 'approval.diff'
}
const FIELD_ORDER: TruncatedField[] = ['text', 'modelText', 'tool.output', 'tool.diff', 'approval.diff']

const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * The item of an `item.completed` line as `item/list` sends it (`truncateItem(item, max)`), parsed without ever
 * making the whole of a bulky field a string: in a long line, each truncatable field longer than `max` characters
 * is cut in the raw JSON (at a character boundary, its length counted as JavaScript counts it) before parsing.
 * Null for a line that is not an item or does not parse.
 */
export function leanItemOfLine(bytes: Buffer, max = SENT_FIELD_CHARS): Item | null {
  const cuts = new Map<TruncatedField, number>()
  const json = bytes.length < LEAN_MIN_BYTES ? bytes : cutFields(bytes, max, cuts)
  let item: Item
  try {
    const e = JSON.parse(json.toString('utf8')) as { type?: unknown; item?: Item }
    if (!e || e.type !== 'item.completed' || !e.item || typeof e.item.id !== 'string') return null
    item = e.item
  } catch {
    return null
  }
  const cut = truncateItem(item, max)
  if (cuts.size === 0) return cut
  const truncated = new Map((cut.truncated ?? []).map((t) => [t.field, t.chars]))
  for (const [field, chars] of cuts) truncated.set(field, chars)
  return { ...cut, truncated: FIELD_ORDER.filter((f) => truncated.has(f)).map((field) => ({ field, chars: truncated.get(field)! })) }
}

/** The line with each long truncatable string value cut to about `max` characters; `cuts` gets their whole lengths. */
function cutFields(bytes: Buffer, max: number, cuts: Map<TruncatedField, number>): Buffer {
  const parts: Buffer[] = []
  let kept = 0
  // The keys of the objects around the current position; arrays push null.
  const path: (string | null)[] = []
  let lastString: [number, number] | null = null
  let i = 0
  const n = bytes.length
  while (i < n) {
    const b = bytes[i]!
    if (b === QUOTE) {
      const start = i + 1
      const j = stringEnd(bytes, start)
      const isKey = nextNonSpace(bytes, j + 1) === 0x3a
      const field = !isKey && j - start > max && path.length > 0 ? FIELD_PATHS[keyPath(path)] : undefined
      const cutAt = field ? cutPoint(bytes, start, j, max) : -1
      if (field && cutAt >= 0) {
        parts.push(bytes.subarray(kept, cutAt))
        kept = j
        cuts.set(field, charsIn(bytes, start, j))
      }
      lastString = isKey ? [start, j] : null
      i = j + 1
      continue
    }
    if (b === 0x3a && lastString) path[path.length - 1] = bytes.toString('utf8', lastString[0], lastString[1])
    else if (b === 0x7b) path.push('')
    else if (b === 0x5b) path.push(null)
    else if (b === 0x7d || b === 0x5d) path.pop()
    i++
  }
  if (parts.length === 0) return bytes
  parts.push(bytes.subarray(kept))
  return Buffer.concat(parts)
}

/** The offset of the quote that ends the string starting at `start` (found natively: strings can be megabytes). */
function stringEnd(bytes: Buffer, start: number): number {
  for (let j = start; ; j++) {
    j = bytes.indexOf(QUOTE, j)
    if (j < 0) return bytes.length
    let slashes = 0
    for (let k = j - 1; k >= start && bytes[k] === BACKSLASH; k--) slashes++
    if (slashes % 2 === 0) return j
  }
}

/** Where the string's JavaScript characters reach `max` (at a character boundary), or -1 when it is not longer than that. */
function cutPoint(bytes: Buffer, start: number, end: number, max: number): number {
  let chars = 0
  for (let j = start; j < end; j++) {
    const c = bytes[j]!
    if (c >= 0x80 && c < 0xc0) continue
    if (chars >= max) return j
    if (c === BACKSLASH) {
      j += bytes[j + 1] === 0x75 ? 5 : 1
      chars++
    } else chars += c >= 0xf0 ? 2 : 1
  }
  return -1
}

/** The JavaScript length of the raw JSON string bytes [start, end): one per character, two above U+FFFF, one per escape. */
function charsIn(bytes: Buffer, start: number, end: number): number {
  const raw = bytes.subarray(start, end)
  if (isAscii(raw) && raw.indexOf(BACKSLASH) < 0) return end - start
  let chars = 0
  for (let j = start; j < end; j++) {
    const c = bytes[j]!
    if (c >= 0x80 && c < 0xc0) continue
    if (c === BACKSLASH) j += bytes[j + 1] === 0x75 ? 5 : 1
    chars += c >= 0xf0 ? 2 : 1
  }
  return chars
}

function keyPath(path: readonly (string | null)[]): string {
  // The line is {"type":..,"item":{...}}: the outer object's key first.
  return path.some((k) => k === null) ? '' : path.join('.')
}

function nextNonSpace(bytes: Buffer, from: number): number {
  for (let k = from; k < bytes.length; k++) {
    const c = bytes[k]!
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c
  }
  return -1
}
