import type { Item, TruncatedField } from '../../../shared/models'

/** Characters of a bulky field that `item/list` sends; the rest is read with `item/output`. */
export const SENT_FIELD_CHARS = 16_000

/** The item as `item/list` sends it: each field longer than `max` characters cut to its first `max`, and listed in `truncated`. */
export function truncateItem(item: Item, max = SENT_FIELD_CHARS): Item {
  const cut = (s: string | undefined, field: TruncatedField, out: NonNullable<Item['truncated']>): string | undefined => {
    if (s === undefined || s.length <= max) return s
    out.push({ field, chars: s.length })
    return s.slice(0, max)
  }
  const truncated: NonNullable<Item['truncated']> = []
  const text = cut(item.text, 'text', truncated)
  const modelText = cut(item.modelText, 'modelText', truncated)
  const output = cut(item.tool?.output, 'tool.output', truncated)
  const toolDiff = cut(item.tool?.diff, 'tool.diff', truncated)
  const approvalDiff = cut(item.approval?.diff, 'approval.diff', truncated)
  if (truncated.length === 0) return item
  return {
    ...item,
    ...(text !== undefined ? { text } : {}),
    ...(modelText !== undefined ? { modelText } : {}),
    ...(item.tool
      ? { tool: { ...item.tool, ...(output !== undefined ? { output } : {}), ...(toolDiff !== undefined ? { diff: toolDiff } : {}) } }
      : {}),
    ...(item.approval ? { approval: { ...item.approval, ...(approvalDiff !== undefined ? { diff: approvalDiff } : {}) } } : {}),
    truncated
  }
}
