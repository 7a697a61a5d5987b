import { obj, str } from './import-types'

/** A tool result carried by a Claude Code user record. */
export interface ClaudeToolResult {
  useId: string
  output: string
  isError: boolean
}

/** What a Claude Code user record says, once the CLI's own plumbing is told apart from the person. */
export type ClaudeUserContent =
  | { kind: 'prompt'; text: string }
  | { kind: 'interrupt' }
  | { kind: 'compact-summary'; text: string }
  /** Claude Code telling the model a background task ended: not the person, never a prompt or a title. */
  | { kind: 'task-notification'; status: string; text: string }
  | { kind: 'none' }

/** Joins text blocks; images and documents become placeholders so the reader knows they were there. */
export function blocksText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  const parts: string[] = []
  for (const b of content) {
    const block = obj(b)
    if (!block) continue
    if (block.type === 'text' && typeof block.text === 'string') parts.push(block.text)
    else if (block.type === 'image') parts.push('[image]')
    else if (block.type === 'document') parts.push('[document]')
  }
  return parts.join('\n\n')
}

/** The tool results in a user record's content, in order. */
export function toolResults(content: unknown): ClaudeToolResult[] {
  if (!Array.isArray(content)) return []
  const out: ClaudeToolResult[] = []
  for (const b of content) {
    const block = obj(b)
    if (block?.type !== 'tool_result' || typeof block.tool_use_id !== 'string') continue
    out.push({ useId: block.tool_use_id, output: blocksText(block.content), isError: block.is_error === true })
  }
  return out
}

const TASK_NOTIFICATION = /^<task-notification>/
const INTERRUPT = /^\[Request interrupted by user[^\]]*\]$/
const COMMAND_NAME = /<command-name>([\s\S]*?)<\/command-name>/
const COMMAND_ARGS = /<command-args>([\s\S]*?)<\/command-args>/
// Output of a local slash command, echoed back by the CLI: not something the person typed.
const CLI_ECHO = /^\s*<(local-command-stdout|local-command-stderr|bash-stdout|bash-stderr)>/

/** Classifies the person's part of a user record (tool results are read separately). */
export function userContent(record: Record<string, unknown>): ClaudeUserContent {
  if (record.isMeta === true) return { kind: 'none' }
  const content = obj(record.message)?.content
  const text = (
    typeof content === 'string'
      ? content
      : blocksText(Array.isArray(content) ? content.filter((b) => obj(b)?.type !== 'tool_result') : content)
  ).trim()
  if (!text) return { kind: 'none' }
  if (record.isCompactSummary === true) return { kind: 'compact-summary', text }
  if (TASK_NOTIFICATION.test(text)) {
    const summary = /<summary>([\s\S]*?)<\/summary>/.exec(text)?.[1]?.trim()
    return { kind: 'task-notification', status: /<status>([\s\S]*?)<\/status>/.exec(text)?.[1]?.trim() ?? 'update', text: summary || text }
  }
  if (INTERRUPT.test(text)) return { kind: 'interrupt' }
  if (CLI_ECHO.test(text)) return { kind: 'none' }
  const command = COMMAND_NAME.exec(text)
  if (command) {
    const args = COMMAND_ARGS.exec(text)?.[1]?.trim()
    const name = command[1]!.trim()
    return { kind: 'prompt', text: args ? `${name} ${args}` : name }
  }
  return { kind: 'prompt', text }
}

/** The first prompt of a record, for listings: null when the record is not the person speaking. */
export function promptOf(record: Record<string, unknown>): string | null {
  if (record.type !== 'user' || record.isSidechain === true) return null
  const c = userContent(record)
  return c.kind === 'prompt' ? c.text : null
}

/** A title record's title (`custom-title`, `ai-title` and the like), or undefined. */
export function titleOf(record: Record<string, unknown>): { title: string; custom: boolean } | undefined {
  const type = str(record.type)
  if (!type || !type.endsWith('title')) return undefined
  const title = str(record.customTitle) ?? str(record.title) ?? str(record.aiTitle)
  return title?.trim() ? { title: title.trim(), custom: type.startsWith('custom') } : undefined
}
