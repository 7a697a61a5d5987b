import { basename } from 'node:path'
import type { Item, Usage } from '../../../shared/models'
import { addUsage, estimateCost, NO_USAGE, type TokenUsage } from '../../../shared/pricing'
import { err, ok, type Result } from '../../../shared/result'
import { emptyScan, mainChain, scanLine, type MessageNode, type ClaudeScan } from './claude-tree'
import {
  DEFAULT_MAX_TOOL_OUTPUT,
  emptyStats,
  importKey,
  importReport,
  itemIdPrefix,
  markerText,
  noConversation,
  notASession,
  readError,
  skip,
  type ImportedSession,
  type ImportOptions,
  type ImportStats
} from './import-types'
import { forEachLine } from './jsonl-reader'
import { promptTitle } from './prompt-text'

const UUID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Reads a Claude Code session file (`~/.claude/projects/<dir>/<session>.jsonl`) into transcript
 * items: the main chain from the last record back to the root, sub-agent branches and abandoned
 * branches left out, split assistant lines merged, and each tool call paired with its result.
 */
export async function importClaudeSession(path: string, options: ImportOptions): Promise<Result<ImportedSession>> {
  const stats = emptyStats()
  const cap = options.maxToolOutputChars ?? DEFAULT_MAX_TOOL_OUTPUT
  const scan = emptyScan()
  let mtime: number
  try {
    const read = await forEachLine(path, (line) => scanLine(line, scan, stats, cap), { maxLineBytes: options.maxLineBytes })
    stats.lines = read.lines + read.oversized
    stats.malformed += read.oversized
    mtime = read.stat.mtimeMs
  } catch (e) {
    return err(readError(e, path, 'claude'))
  }
  if (scan.messages.size === 0)
    return err(
      scan.summaries.length || scan.customTitle || scan.otherTitle || scan.links.size
        ? noConversation(path, 'claude')
        : notASession(path, 'claude')
    )

  const base = basename(path).replace(/\.jsonl$/, '')
  // `claude --resume <id>` finds <id>.jsonl, so the file name is the id; records may carry an older one.
  const sessionId = UUID_NAME.test(base) ? base : (scan.recordSessionId ?? base)
  const chain = mainChain(scan, stats)
  const built = buildItems(chain, scan, sessionId, options.threadId, scan.first ?? mtime, stats)
  const onChain = new Set(chain.map((n) => n.uuid))
  // Left out: prompts and replies off the chain. Not the lines of a reply brought in through a sibling
  // (parallel calls), nor records that only carry results or the CLI's own meta.
  let offChain = 0
  for (const m of scan.messages.values()) {
    if (onChain.has(m.uuid) || (m.type === 'assistant' ? built.emitted.has(m.messageId!) : m.user!.kind === 'none')) continue
    offChain++
  }
  if (offChain) skip(stats, 'messages on branches the session left (a rewind or an edited prompt)', offChain)
  const summary =
    [...scan.summaries].reverse().find((s) => s.leafUuid && onChain.has(s.leafUuid)) ??
    [...scan.summaries].reverse().find((s) => s.leafUuid && scan.messages.has(s.leafUuid))
  const title =
    scan.customTitle ??
    summary?.summary ??
    scan.otherTitle ??
    promptTitle(built.firstPrompt) ??
    `Claude Code session ${sessionId.slice(0, 8)}`
  const report = importReport('claude', built.items, stats, {
    prompts: scan.heldPrompts.size,
    toolCalls: scan.heldTools.size,
    why: offChain
      ? 'They are on branches the session left (a rewind or an edited prompt), which Claude Code does not resume either.'
      : undefined
  })
  if (report.prompts + report.replies + report.toolCalls === 0) return err(noConversation(path, 'claude'))
  return ok({
    source: 'claude',
    sessionId,
    importKey: importKey('claude', sessionId),
    cwd: scan.cwd,
    title,
    startedAt: scan.first ?? mtime,
    updatedAt: scan.last ?? mtime,
    ...(built.model ? { model: built.model } : {}),
    items: built.items,
    ...(built.usage ? { usage: built.usage } : {}),
    stats,
    report
  })
}

// Claude Code's Bash tool reports a failed command as an error result that starts "Exit code N".
const EXIT_CODE = /^Exit code (\d+)/

function buildItems(chain: MessageNode[], scan: ClaudeScan, sessionId: string, threadId: string, startedAt: number, stats: ImportStats) {
  const p = itemIdPrefix('claude', sessionId)
  const items: Item[] = []
  let turnId = `${p}-turn-0`
  let at = startedAt
  items.push({
    id: `${p}-marker`,
    threadId,
    turnId,
    kind: 'notice',
    status: 'completed',
    createdAt: at,
    text: markerText('claude', sessionId)
  })
  const emitted = new Set<string>()
  const usageOfStep = new Map<string, { usage: TokenUsage; model: string; last: Item | null }>()
  let model: string | undefined
  let firstPrompt: string | null = null
  const add = (fields: Omit<Item, 'threadId' | 'turnId' | 'status' | 'createdAt'> & Partial<Item>): Item => {
    const item = { threadId, turnId, status: 'completed', createdAt: at, ...fields } as Item
    items.push(item)
    return item
  }

  for (const node of chain) {
    at = node.at ?? at
    if (node.type === 'user') {
      const c = node.user!
      if (c.kind === 'prompt') {
        turnId = `${p}-turn-${node.uuid}`
        firstPrompt ??= c.text
        add({ id: `${p}-${node.uuid}`, kind: 'user', text: c.text })
      } else if (c.kind === 'interrupt') add({ id: `${p}-${node.uuid}`, kind: 'notice', text: 'Interrupted by the user.' })
      else if (c.kind === 'compact-summary')
        add({ id: `${p}-${node.uuid}`, kind: 'notice', text: `Claude Code compacted the conversation here. Its summary:\n\n${c.text}` })
      else if (c.kind === 'task-notification')
        add({ id: `${p}-${node.uuid}`, kind: 'notice', text: `Background task ${c.status}: ${c.text}` })
      else if (!node.hasResults) skip(stats, 'meta and command-output records')
      continue
    }
    // The lines of one reply can sit on sibling branches (parallel tool calls): the first of them
    // on the chain brings in every block the reply has, once.
    const messageId = node.messageId!
    if (emitted.has(messageId)) continue
    emitted.add(messageId)
    const message = scan.assistant.get(messageId)!
    const step = `${p}-step-${messageId}`
    if (message.model && message.model !== '<synthetic>') model = message.model
    let lastText: Item | null = null
    for (const b of message.blocks) {
      if (b.type === 'thinking') {
        stats.reasoning++
        continue
      }
      if (b.type === 'tool') {
        lastText = null
        const result = scan.results.get(b.id)
        const exit = result?.isError ? EXIT_CODE.exec(result.output) : null
        add({
          id: `${p}-tool-${b.id}`,
          kind: 'tool',
          // A call with no result anywhere in the file never finished: the session stopped or was cut off.
          status: result ? 'completed' : 'interrupted',
          stepId: step,
          tool: {
            useId: b.id,
            name: b.name,
            input: b.input,
            ...(result ? { output: result.output, isError: result.isError } : {}),
            ...(exit ? { exitCode: Number(exit[1]) } : {})
          }
        })
        continue
      }
      if (node.apiError) {
        add({ id: `${p}-${b.id ?? messageId}`, kind: 'error', text: b.text })
        continue
      }
      if (lastText) lastText.text = `${lastText.text}\n\n${b.text}`
      else lastText = add({ id: `${p}-${b.id ?? messageId}`, kind: 'assistant', stepId: step, text: b.text })
    }
    if (message.usage)
      usageOfStep.set(step, {
        usage: message.usage,
        model: message.model ?? '',
        last: items.findLast((x) => x.stepId === step && x.kind === 'assistant') ?? null
      })
  }
  const used = new Set(items.flatMap((i) => (i.tool ? [i.tool.useId] : [])))
  const orphans = [...scan.results.keys()].filter((id) => !used.has(id)).length
  if (orphans) skip(stats, 'tool results whose call is not in the conversation', orphans)

  let total: TokenUsage = NO_USAGE
  let cost: number | null = 0
  for (const { usage, model: m, last } of usageOfStep.values()) {
    const c = estimateCost(m, usage)
    total = addUsage(total, usage)
    cost = cost === null || c === null ? null : cost + c
    if (last) last.usage = { ...usage, costUsd: c }
  }
  const usage: Usage | undefined = usageOfStep.size ? { ...total, costUsd: cost } : undefined
  return { items, model, usage, firstPrompt, emitted }
}
