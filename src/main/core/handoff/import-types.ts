import { createHash } from 'node:crypto'
import type { ImportReport, Item, Usage } from '../../../shared/models'
import { appError, ErrorCode, type AppError } from '../../../shared/errors'

/** The CLIs whose sessions can be handed off to Skein. */
export type SessionSource = 'claude' | 'codex'

/** What an import read and left out, and why; nothing here is fatal. */
export interface ImportStats {
  /** Non-blank lines read. */
  lines: number
  /** Lines that were not a JSON object (torn, corrupt, a bare value) or longer than the line cap. */
  malformed: number
  /** Records and blocks left out, by reason ("progress records", "sub-agent records", …). */
  skipped: Record<string, number>
  /** Parent links to records missing from the file, crossed by file order. */
  danglingParents: number
  /** Thinking / reasoning blocks: not shown, and never sent back to a model. */
  reasoning: number
}

/** Counts one record (or `n`) left out for `reason`. */
export function skip(stats: ImportStats, reason: string, n = 1): void {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n
}

/** What the file holds, counted while reading it, to check the import against. */
export interface HeldCounts {
  prompts: number
  toolCalls: number
  /** Why some may be left out on purpose, said after a shortfall (e.g. abandoned branches). */
  why?: string
}

/** A session read into Skein transcript items. */
export interface ImportedSession {
  source: SessionSource
  sessionId: string
  /** The same for every import of this session: the caller's key to update one thread. */
  importKey: string
  /** The project directory, from the records themselves; null when no record names one. */
  cwd: string | null
  title: string
  /** Epoch ms of the first record (the file's mtime when no record has a time). */
  startedAt: number
  /** Epoch ms of the last record (the file's mtime when no record has a time). */
  updatedAt: number
  model?: string
  items: Item[]
  /** Tokens of the main conversation; absent when the session recorded none. */
  usage?: Usage
  stats: ImportStats
  /** What came in, what was left out, and warnings when the thread holds less than the file. */
  report: ImportReport
}

/** How to import. */
export interface ImportOptions {
  /** The Skein thread the items belong to. */
  threadId: string
  /** Longer tool outputs are cut, with a note of how much was left out. Default 32,000 characters. */
  maxToolOutputChars?: number
  /** Longer lines are skipped as malformed without being held whole. Default 16 MB. */
  maxLineBytes?: number
}

/** The default cap on one imported tool output. */
export const DEFAULT_MAX_TOOL_OUTPUT = 32_000

/** The key that identifies an imported session, the same on every import. */
export function importKey(source: SessionSource, sessionId: string): string {
  return `${source}:${sessionId}`
}

/** The prefix of every item id of one imported session: short, stable, and safe in any id. */
export function itemIdPrefix(source: SessionSource, sessionId: string): string {
  return `imp-${createHash('sha256').update(importKey(source, sessionId)).digest('hex').slice(0, 12)}`
}

/** A CLI's display name. */
export const sourceLabel = (source: SessionSource): string => (source === 'claude' ? 'Claude Code' : 'Codex')

/** The notice at the top of every imported transcript. */
export const markerText = (source: SessionSource, sessionId: string): string => `Imported from ${sourceLabel(source)} session ${sessionId}`

/** Fresh, all-zero stats. */
export const emptyStats = (): ImportStats => ({ lines: 0, malformed: 0, skipped: {}, danglingParents: 0, reasoning: 0 })

/**
 * The report of an import: counted from the items it made, with the file's own counts to compare.
 * Any prompt or tool call the file holds that the thread does not is a warning, never silence.
 */
export function importReport(
  source: SessionSource,
  items: Item[],
  stats: ImportStats,
  held: HeldCounts,
  extraWarnings: string[] = []
): ImportReport {
  const count = (pred: (i: Item) => boolean) => items.filter(pred).length
  const tools = items.filter((i) => i.kind === 'tool')
  const skipped: Record<string, number> = { ...stats.skipped }
  if (stats.malformed) skipped['unreadable lines'] = stats.malformed
  if (stats.reasoning) skipped['thinking blocks (never shown)'] = stats.reasoning
  const report: ImportReport = {
    prompts: count((i) => i.kind === 'user'),
    // A reply is one model response with text, however many text items it was shown as.
    replies: new Set(items.filter((i) => i.kind === 'assistant').map((i) => i.stepId ?? i.id)).size,
    toolCalls: tools.length,
    toolResults: tools.filter((t) => t.tool?.output !== undefined).length,
    failedTools: tools.filter((t) => t.tool?.isError).length,
    interruptions: count((i) => i.kind === 'notice' && /^Interrupted/.test(i.text ?? '')),
    compactions: count((i) => i.kind === 'notice' && /compacted the conversation/.test(i.text ?? '')),
    skipped,
    warnings: [...extraWarnings]
  }
  const name = sourceLabel(source)
  if (report.prompts + report.replies + report.toolCalls === 0)
    report.warnings.push(`Nothing of the ${name} conversation could be imported.`)
  const why = held.why ? ` ${held.why}` : ''
  if (report.prompts < held.prompts)
    report.warnings.push(`${held.prompts - report.prompts} of the ${held.prompts} prompts in the file are not in the thread.${why}`)
  if (report.toolCalls < held.toolCalls)
    report.warnings.push(
      `${held.toolCalls - report.toolCalls} of the ${held.toolCalls} tool calls in the file are not in the thread.${why}`
    )
  if (stats.danglingParents)
    report.warnings.push(
      `${stats.danglingParents} records name a parent that is not in the file; the conversation was followed in file order there.`
    )
  if (stats.malformed) report.warnings.push(`${stats.malformed} lines could not be read.`)
  return report
}

/** Cuts a long tool output, saying how much was left out. */
export function capOutput(text: string, max: number): string {
  if (text.length <= max) return text
  // A slice would keep the whole original alive behind it; a copy lets it go.
  const head = Buffer.from(text.slice(0, max), 'utf8').toString('utf8')
  return `${head}\n… (${text.length - max} more characters not imported)`
}

/** Parses one JSONL line into an object, or null for anything else. */
export function parseRecord(line: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(line)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** Epoch ms of an ISO time, or null. */
export function parseTime(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const t = Date.parse(value)
  return Number.isFinite(t) ? t : null
}

/** A string field, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** An object field, or undefined. */
export const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined

/** The expected failure for a session file that cannot be read. */
export function readError(e: unknown, path: string, source: SessionSource): AppError {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return appError(ErrorCode.PathNotFound, `There is no ${sourceLabel(source)} session file at ${path}.`, { path })
  if (code === 'EISDIR')
    return appError(ErrorCode.StorageFailed, `${path} is a folder, not a ${sourceLabel(source)} session file.`, { path })
  return appError(ErrorCode.StorageFailed, `Could not read the ${sourceLabel(source)} session ${path}: ${(e as Error).message}`, { path })
}

/** The expected failure for a file with nothing importable in it. */
export const notASession = (path: string, source: SessionSource): AppError =>
  appError(ErrorCode.Unsupported, `${path} holds no ${sourceLabel(source)} conversation to import.`, { path })

/** The expected failure for a real session file that holds no conversation (a summary or bookkeeping only). */
export const noConversation = (path: string, source: SessionSource): AppError =>
  appError(
    ErrorCode.Unsupported,
    `This ${sourceLabel(source)} session holds no conversation (only a summary or the CLI's own records), so there is nothing to import: ${path}`,
    { path }
  )
