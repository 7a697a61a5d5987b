import { basename } from 'node:path'
import type { Item, Usage } from '../../../shared/models'
import { addUsage, estimateCost, NO_USAGE, type TokenUsage } from '../../../shared/pricing'
import { err, ok, type Result } from '../../../shared/result'
import { toolResults, titleOf, userContent, type ClaudeToolResult, type ClaudeUserContent } from './claude-records'
import {
  capOutput,
  DEFAULT_MAX_TOOL_OUTPUT,
  emptyStats,
  importKey,
  itemIdPrefix,
  markerText,
  notASession,
  obj,
  parseRecord,
  parseTime,
  readError,
  str,
  type ImportedSession,
  type ImportOptions,
  type ImportStats
} from './import-types'
import { forEachLine } from './jsonl-reader'
import { promptTitle } from './prompt-text'

type Block = { type: 'text'; text: string } | { type: 'tool'; id: string; name: string; input: Record<string, unknown> } | { type: 'thinking' }

/** One user, assistant or system record, reduced to what the transcript needs. */
interface Node {
  uuid: string
  parent: string | null
  /** A compaction starts a new root that remembers the record it continues. */
  logicalParent: string | null
  at: number | null
  type: 'user' | 'assistant' | 'system'
  user?: ClaudeUserContent
  results?: ClaudeToolResult[]
  messageId?: string
  model?: string
  blocks?: Block[]
  usage?: TokenUsage
  apiError?: boolean
}

interface Scan {
  nodes: Map<string, Node>
  lastUuid: string | null
  summaries: { summary: string; leafUuid: string | null }[]
  customTitle?: string
  otherTitle?: string
  recordSessionId?: string
  cwd: string | null
  first: number | null
  last: number | null
}

const UUID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Reads a Claude Code session file (`~/.claude/projects/<dir>/<session>.jsonl`) into transcript
 * items: the main chain from the last record back to the root, sub-agent branches and abandoned
 * branches left out, split assistant lines merged, and each tool call paired with its result.
 */
export async function importClaudeSession(path: string, options: ImportOptions): Promise<Result<ImportedSession>> {
  const stats = emptyStats()
  const cap = options.maxToolOutputChars ?? DEFAULT_MAX_TOOL_OUTPUT
  const scan: Scan = { nodes: new Map(), lastUuid: null, summaries: [], cwd: null, first: null, last: null }
  let mtime: number
  try {
    const read = await forEachLine(path, (line) => scanLine(line, scan, stats, cap), { maxLineBytes: options.maxLineBytes })
    stats.lines = read.lines + read.oversized
    stats.malformed += read.oversized
    mtime = read.stat.mtimeMs
  } catch (e) {
    return err(readError(e, path, 'claude'))
  }
  if (scan.nodes.size === 0) return err(notASession(path, 'claude'))

  const base = basename(path).replace(/\.jsonl$/, '')
  // `claude --resume <id>` finds <id>.jsonl, so the file name is the id; records may carry an older one.
  const sessionId = UUID_NAME.test(base) ? base : (scan.recordSessionId ?? base)
  const chain = mainChain(scan, stats)
  stats.offChain = scan.nodes.size - chain.length
  const built = buildItems(chain, sessionId, options.threadId, scan.first ?? mtime, stats)
  const onChain = new Set(chain.map((n) => n.uuid))
  const summary = [...scan.summaries].reverse().find((s) => s.leafUuid && onChain.has(s.leafUuid)) ?? [...scan.summaries].reverse().find((s) => s.leafUuid && scan.nodes.has(s.leafUuid))
  const title = scan.customTitle ?? summary?.summary ?? scan.otherTitle ?? promptTitle(built.firstPrompt) ?? `Claude Code session ${sessionId.slice(0, 8)}`
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
    stats
  })
}

function scanLine(line: string, scan: Scan, stats: ImportStats, cap: number): void {
  const r = parseRecord(line)
  if (!r) {
    stats.malformed++
    return
  }
  const type = str(r.type)
  if (type === 'summary') {
    const summary = str(r.summary)?.trim()
    if (summary) scan.summaries.push({ summary, leafUuid: str(r.leafUuid) ?? null })
    return
  }
  const title = titleOf(r)
  if (title) {
    if (title.custom) scan.customTitle = title.title
    else scan.otherTitle = title.title
    return
  }
  const uuid = str(r.uuid)
  if ((type !== 'user' && type !== 'assistant' && type !== 'system') || !uuid) {
    stats.skipped++
    return
  }
  if (r.isSidechain === true) {
    stats.sidechainSkipped++
    return
  }
  const at = parseTime(r.timestamp)
  if (at !== null) {
    if (scan.first === null || at < scan.first) scan.first = at
    if (scan.last === null || at > scan.last) scan.last = at
  }
  scan.cwd ??= str(r.cwd) ?? null
  scan.recordSessionId ??= str(r.sessionId)
  const node: Node = { uuid, parent: str(r.parentUuid) ?? null, logicalParent: str(r.logicalParentUuid) ?? null, at, type }
  const message = obj(r.message)
  if (type === 'user') {
    node.user = userContent(r)
    const results = toolResults(message?.content)
    if (results.length) node.results = results.map((x) => ({ ...x, output: capOutput(x.output, cap) }))
  } else if (type === 'assistant' && message) {
    node.messageId = str(message.id)
    node.model = str(message.model)
    node.blocks = assistantBlocks(message.content)
    node.usage = tokenUsage(message.usage)
    if (r.isApiErrorMessage === true) node.apiError = true
  }
  scan.nodes.set(uuid, node)
  scan.lastUuid = uuid
}

function assistantBlocks(content: unknown): Block[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : []
  if (!Array.isArray(content)) return []
  const out: Block[] = []
  for (const b of content) {
    const block = obj(b)
    if (!block) continue
    if (block.type === 'text' && typeof block.text === 'string' && block.text.trim()) out.push({ type: 'text', text: block.text })
    else if (block.type === 'thinking' || block.type === 'redacted_thinking') out.push({ type: 'thinking' })
    else if (block.type === 'tool_use' && typeof block.id === 'string') {
      out.push({ type: 'tool', id: block.id, name: str(block.name) ?? 'tool', input: obj(block.input) ?? { input: block.input ?? null } })
    }
  }
  return out
}

function tokenUsage(u: unknown): TokenUsage | undefined {
  const usage = obj(u)
  if (!usage) return undefined
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
  return { input: n(usage.input_tokens), output: n(usage.output_tokens), cacheRead: n(usage.cache_read_input_tokens), cacheWrite: n(usage.cache_creation_input_tokens) }
}

/** The records from the root to the leaf: the last record written, or failing that a summary's leaf. */
function mainChain(scan: Scan, stats: ImportStats): Node[] {
  const leaf = scan.lastUuid ?? scan.summaries.find((s) => s.leafUuid && scan.nodes.has(s.leafUuid))?.leafUuid ?? null
  const chain: Node[] = []
  const seen = new Set<string>()
  let cur = leaf
  while (cur) {
    const node = scan.nodes.get(cur)
    if (!node || seen.has(cur)) {
      stats.danglingParents++
      break
    }
    seen.add(cur)
    chain.push(node)
    if (node.parent) cur = node.parent
    else cur = node.logicalParent && scan.nodes.has(node.logicalParent) && !seen.has(node.logicalParent) ? node.logicalParent : null
  }
  return chain.reverse()
}

function buildItems(chain: Node[], sessionId: string, threadId: string, startedAt: number, stats: ImportStats) {
  const p = itemIdPrefix('claude', sessionId)
  const items: Item[] = []
  let turnId = `${p}-turn-0`
  let at = startedAt
  items.push({ id: `${p}-marker`, threadId, turnId, kind: 'notice', status: 'completed', createdAt: at, text: markerText('claude', sessionId) })
  const tools = new Map<string, Item>()
  const lastTextOfStep = new Map<string, Item>()
  const usageOfMessage = new Map<string, { usage: TokenUsage; model: string }>()
  let lastText: Item | null = null
  let message: string | null = null
  let seenTexts = new Set<string>()
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
      lastText = null
      for (const r of node.results ?? []) {
        const tool = tools.get(r.useId)
        if (!tool || tool.tool!.output !== undefined) {
          stats.skipped++
          continue
        }
        tool.tool = { ...tool.tool!, output: r.output, isError: r.isError }
        tool.status = 'completed'
      }
      const c = node.user!
      if (c.kind === 'prompt') {
        turnId = `${p}-turn-${node.uuid}`
        firstPrompt ??= c.text
        add({ id: `${p}-${node.uuid}`, kind: 'user', text: c.text })
      } else if (c.kind === 'interrupt') add({ id: `${p}-${node.uuid}`, kind: 'notice', text: 'Interrupted by the user.' })
      else if (c.kind === 'compact-summary') add({ id: `${p}-${node.uuid}`, kind: 'notice', text: `Claude Code compacted the conversation here. Its summary:\n\n${c.text}` })
      else if (!node.results) stats.skipped++
      continue
    }
    if (node.type === 'system') {
      stats.skipped++
      continue
    }
    const messageId = node.messageId ?? node.uuid
    const step = `${p}-step-${messageId}`
    if (messageId !== message) {
      message = messageId
      seenTexts = new Set()
      lastText = null
    }
    if (node.model && node.model !== '<synthetic>') model = node.model
    if (node.usage && node.messageId) usageOfMessage.set(step, { usage: node.usage, model: node.model ?? '' })
    node.blocks!.forEach((b, i) => {
      if (b.type === 'thinking') {
        stats.reasoning++
        return
      }
      if (b.type === 'tool') {
        lastText = null
        if (tools.has(b.id)) return
        tools.set(b.id, add({ id: `${p}-tool-${b.id}`, kind: 'tool', status: 'interrupted', stepId: step, tool: { useId: b.id, name: b.name, input: b.input } }))
        return
      }
      // A split message repeated on several lines carries the same block again: keep it once.
      if (seenTexts.has(b.text)) return
      seenTexts.add(b.text)
      if (node.apiError) {
        add({ id: `${p}-${node.uuid}.${i}`, kind: 'error', text: b.text })
        return
      }
      if (lastText && lastText.stepId === step) lastText.text = `${lastText.text}\n\n${b.text}`
      else lastText = add({ id: `${p}-${node.uuid}.${i}`, kind: 'assistant', stepId: step, text: b.text })
      lastTextOfStep.set(step, lastText)
    })
  }

  let total: TokenUsage = NO_USAGE
  let cost: number | null = 0
  for (const [step, { usage, model: m }] of usageOfMessage) {
    const c = estimateCost(m, usage)
    total = addUsage(total, usage)
    cost = cost === null || c === null ? null : cost + c
    const item = lastTextOfStep.get(step)
    if (item) item.usage = { ...usage, costUsd: c }
  }
  const usage: Usage | undefined = usageOfMessage.size ? { ...total, costUsd: cost } : undefined
  return { items, model, usage, firstPrompt }
}
