import type { Item } from '../../../shared/models'

/** The most text indexed per item. */
export const MAX_ITEM_TEXT = 64 * 1024
/**
 * A tool's output is indexed by its first OUTPUT_HEAD and last OUTPUT_TAIL characters (what a command printed first,
 * and its errors and summary at the end); the middle of a longer output is not searchable, and OUTPUT_CUT stands
 * in its place, so a snippet that reaches the cut shows it. Most outputs are shorter and indexed whole; the few huge
 * ones (builds, logs) hold most of a log's bytes, and indexing them whole would cost more than saving them.
 */
export const OUTPUT_HEAD = 12 * 1024
/** The end of a long tool output that is indexed. */
export const OUTPUT_TAIL = 4 * 1024
/** Where a long output's unindexed middle was (no letters or digits: never a word, never matched). */
export const OUTPUT_CUT = ' ⋯ '
const MAX_INPUT_TEXT = 8 * 1024

/** The searchable text of an item: what was said, a tool's command and output (head and tail), an approval's question; bounded. */
export function itemText(item: Item): string {
  const parts: string[] = []
  if (item.text) parts.push(item.text)
  if (item.tool) {
    const input = item.tool.input
    const command = typeof input.command === 'string' ? input.command : null
    parts.push(item.tool.name)
    parts.push(clip(command ?? JSON.stringify(input) ?? '', MAX_INPUT_TEXT))
    if (item.tool.output) parts.push(headAndTail(item.tool.output))
  }
  if (item.approval) {
    parts.push(item.approval.summary)
    if (item.approval.command) parts.push(item.approval.command)
    if (item.approval.path) parts.push(item.approval.path)
  }
  return clean(clip(parts.join('\n'), MAX_ITEM_TEXT))
}

/** Text as indexed: control characters (the snippets' match markers among them) become spaces. */
export function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
}

/** An output as indexed: whole when short, else its head and tail around OUTPUT_CUT. */
export function headAndTail(s: string): string {
  if (s.length <= OUTPUT_HEAD + OUTPUT_TAIL) return s
  return clip(s, OUTPUT_HEAD) + OUTPUT_CUT + tail(s, OUTPUT_TAIL)
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s
  // Never cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(s[max - 1]!) ? max - 1 : max
  return s.slice(0, end)
}

function tail(s: string, max: number): string {
  let start = s.length - max
  if (/[\uDC00-\uDFFF]/.test(s[start]!)) start++
  return s.slice(start)
}
