import type { Item } from '../../../shared/models'

/** The most text indexed per item (a long tool output is searchable by its beginning). */
export const MAX_ITEM_TEXT = 64 * 1024
const MAX_INPUT_TEXT = 8 * 1024

/** The searchable text of an item: what was said, a tool's command and output, an approval's question; bounded. */
export function itemText(item: Item): string {
  const parts: string[] = []
  if (item.text) parts.push(item.text)
  if (item.tool) {
    const input = item.tool.input
    const command = typeof input.command === 'string' ? input.command : null
    parts.push(item.tool.name)
    parts.push(clip(command ?? JSON.stringify(input) ?? '', MAX_INPUT_TEXT))
    if (item.tool.output) parts.push(clip(item.tool.output, MAX_ITEM_TEXT))
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

function clip(s: string, max: number): string {
  if (s.length <= max) return s
  // Never cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(s[max - 1]!) ? max - 1 : max
  return s.slice(0, end)
}
