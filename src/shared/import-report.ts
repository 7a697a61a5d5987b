import type { ImportReport } from './models'

/** What an import brought in, in one line: "3 prompts, 5 replies, 12 tool calls (2 failed), 1 interruption". */
export function reportLine(r: ImportReport): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`
  const parts = [
    n(r.prompts, 'prompt'),
    n(r.replies, 'reply', 'replies'),
    `${n(r.toolCalls, 'tool call')}${r.failedTools ? ` (${r.failedTools} failed)` : ''}`
  ]
  if (r.toolCalls > r.toolResults) parts.push(`${r.toolCalls - r.toolResults} without a result`)
  if (r.interruptions) parts.push(n(r.interruptions, 'interruption'))
  if (r.compactions) parts.push(n(r.compactions, 'compaction'))
  return parts.join(', ')
}
