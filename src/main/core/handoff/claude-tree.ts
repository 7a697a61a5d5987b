import type { TokenUsage } from '../../../shared/pricing'
import { toolResults, titleOf, userContent, type ClaudeToolResult, type ClaudeUserContent } from './claude-records'
import { capOutput, obj, parseRecord, parseTime, skip, str, type ImportStats } from './import-types'

/** One content block of an assistant message. */
export type Block =
  | { type: 'text'; text: string; id?: string }
  | { type: 'tool'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'thinking' }

/** A user or assistant record: the messages the conversation is made of. */
export interface MessageNode {
  uuid: string
  at: number | null
  type: 'user' | 'assistant'
  user?: ClaudeUserContent
  messageId?: string
  apiError?: boolean
  /** A user record that answers tool calls (their results are read into ClaudeScan.results). */
  hasResults?: boolean
}

/** Everything lines with one `message.id` say: Claude Code writes each block of a reply on its own line. */
export interface AssistantMessage {
  blocks: Block[]
  model?: string
  usage?: TokenUsage
}

/** Where a record sits in the tree. Every record with a uuid has one, whatever its type. */
interface Link {
  parent: string | null
  /** A compaction boundary's `logicalParentUuid`: the history it continues. */
  logical: string | null
  /** The record with a uuid written just before this one, for bridging links the file cannot resolve. */
  previous: string | null
  /** Position in the file (records with a uuid, counted from 0) and time written. */
  line: number
  at: number | null
  kind: 'message' | 'progress' | 'other'
}

/** A Claude Code session file, read once: the tree of records plus what the messages say. */
export interface ClaudeScan {
  links: Map<string, Link>
  messages: Map<string, MessageNode>
  /** Records of the conversation (not meta) in file order. */
  order: string[]
  assistant: Map<string, AssistantMessage>
  /** Tool results by tool_use id, from every record of the main conversation: parallel calls answer on sibling branches. */
  results: Map<string, ClaudeToolResult>
  /** The assistant message each tool call belongs to. */
  toolMessage: Map<string, string>
  /** User records that answer tool calls, by the assistant message they answer: one per parallel call. */
  answers: Map<string, string[]>
  /** The assistant message each answering record answers. */
  answerOf: Map<string, string>
  /** Did any message record carry a `parentUuid` field? Older sessions and some tools write none. */
  linked: boolean
  lastMessage: string | null
  lastUuid: string | null
  summaries: { summary: string; leafUuid: string | null }[]
  customTitle?: string
  otherTitle?: string
  recordSessionId?: string
  cwd: string | null
  first: number | null
  last: number | null
  /** Prompts and tool calls anywhere in the main conversation's records, branches included. */
  heldPrompts: Set<string>
  heldTools: Set<string>
}

/** An empty scan. */
export const emptyScan = (): ClaudeScan => ({
  links: new Map(),
  messages: new Map(),
  order: [],
  assistant: new Map(),
  results: new Map(),
  toolMessage: new Map(),
  answers: new Map(),
  answerOf: new Map(),
  linked: false,
  lastMessage: null,
  lastUuid: null,
  summaries: [],
  cwd: null,
  first: null,
  last: null,
  heldPrompts: new Set(),
  heldTools: new Set()
})

// Record types that are Claude Code's own bookkeeping, named in the report by what they are.
const BOOKKEEPING: Record<string, string> = {
  progress: 'progress records',
  'file-history-snapshot': 'file snapshots',
  'queue-operation': 'queued-input records',
  attachment: 'attachment records',
  'last-prompt': 'last-prompt records',
  'permission-mode': 'permission-mode records',
  'agent-name': 'agent-name records',
  'pr-link': 'pull-request links'
}

/** Reads one line of a session file into the scan. */
export function scanLine(line: string, scan: ClaudeScan, stats: ImportStats, cap: number): void {
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
  if (r.isSidechain === true) {
    skip(stats, 'sub-agent records')
    return
  }
  const uuid = str(r.uuid)
  if (uuid) {
    // Every record with a uuid is part of the tree: progress and attachment records sit between
    // messages, and a later message names them as its parent.
    const kind = type === 'user' || type === 'assistant' ? 'message' : type === 'progress' ? 'progress' : 'other'
    scan.links.set(uuid, {
      parent: str(r.parentUuid) ?? null,
      logical: str(r.logicalParentUuid) ?? null,
      previous: scan.lastUuid,
      line: scan.links.size,
      at: parseTime(r.timestamp),
      kind
    })
    scan.lastUuid = uuid
  }
  if (type !== 'user' && type !== 'assistant') {
    const sub = type === 'system' ? str(r.subtype) : undefined
    if (type === 'system' && sub === 'compact_boundary') return // the summary that follows it is what is shown
    skip(stats, (type && BOOKKEEPING[type]) ?? (type === 'system' ? 'system records' : `"${type ?? 'untyped'}" records`))
    return
  }
  if (!uuid) {
    skip(stats, 'messages without a uuid')
    return
  }
  if ('parentUuid' in r) scan.linked = true
  const at = parseTime(r.timestamp)
  if (at !== null) {
    if (scan.first === null || at < scan.first) scan.first = at
    if (scan.last === null || at > scan.last) scan.last = at
  }
  scan.cwd ??= str(r.cwd) ?? null
  scan.recordSessionId ??= str(r.sessionId)
  const node: MessageNode = { uuid, at, type }
  const message = obj(r.message)
  if (type === 'user') {
    node.user = userContent(r)
    if (node.user.kind === 'prompt') scan.heldPrompts.add(uuid)
    for (const x of toolResults(message?.content)) {
      if (!node.hasResults) {
        const answered = scan.toolMessage.get(x.useId)
        if (answered) {
          scan.answers.set(answered, [...(scan.answers.get(answered) ?? []), uuid])
          scan.answerOf.set(uuid, answered)
        }
      }
      node.hasResults = true
      if (!scan.results.has(x.useId)) scan.results.set(x.useId, { ...x, output: capOutput(x.output, cap) })
    }
  } else if (message) {
    node.messageId = str(message.id) ?? uuid
    if (r.isApiErrorMessage === true) node.apiError = true
    const m = scan.assistant.get(node.messageId) ?? { blocks: [] }
    for (const [i, b] of assistantBlocks(message.content).entries()) {
      // A text's item id is the record and position it was first written at: stable across imports.
      if (b.type === 'text') b.id = `${uuid}.${i}`
      if (b.type === 'tool') {
        if (m.blocks.some((x) => x.type === 'tool' && x.id === b.id)) continue
        scan.heldTools.add(b.id)
        scan.toolMessage.set(b.id, node.messageId)
      } else if (b.type === 'text' && m.blocks.some((x) => x.type === 'text' && x.text === b.text)) continue // a split line repeats earlier blocks
      m.blocks.push(b)
    }
    const model = str(message.model)
    if (model) m.model = model
    // Every line of a message repeats its usage; the last one written has the final output count.
    m.usage = tokenUsage(message.usage) ?? m.usage
    scan.assistant.set(node.messageId, m)
  }
  scan.messages.set(uuid, node)
  if (inConversation(node)) scan.order.push(uuid)
  scan.lastMessage = uuid
}

/** An assistant record, or a user record that says something: not the CLI's own meta and command echoes. */
const inConversation = (m: MessageNode): boolean => m.type === 'assistant' || m.user?.kind !== 'none' || m.hasResults === true

function assistantBlocks(content: unknown): Block[] {
  if (typeof content === 'string') return content.trim() ? [{ type: 'text', text: content }] : []
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
  return {
    input: n(usage.input_tokens),
    output: n(usage.output_tokens),
    cacheRead: n(usage.cache_read_input_tokens),
    cacheWrite: n(usage.cache_creation_input_tokens)
  }
}

/**
 * The conversation's messages from the root to the leaf, as Claude Code rebuilds it: from the
 * last message written, up through records of any type, keeping the messages.
 *
 * Two links cannot be followed as written, and both continue with the record written just before
 * in the file:
 * - a compaction boundary whose `logicalParentUuid` is not in the file. In the real sessions we
 *   have, the logical parent, when present, is the record written just before the boundary (or
 *   one before it), so file order is the rule the files themselves support;
 * - a `parentUuid` missing from the file (a torn or trimmed file), counted as a dangling parent.
 *
 * A session whose records carry no parent links at all keeps every message in file order.
 */
export function mainChain(scan: ClaudeScan, stats: ImportStats): MessageNode[] {
  if (!scan.linked) return scan.order.map((u) => scan.messages.get(u)!)
  const leaf = scan.lastMessage ?? scan.summaries.find((s) => s.leafUuid && scan.messages.has(s.leafUuid))?.leafUuid ?? null
  const chain: MessageNode[] = []
  const seen = new Set<string>()
  let cur = leaf
  while (cur && !seen.has(cur)) {
    seen.add(cur)
    const message = scan.messages.get(cur)
    if (message) {
      chain.push(message)
      const late = writeOrderBridge(scan, cur)
      if (late) {
        cur = late
        continue
      }
    }
    const link = scan.links.get(cur)!
    if (link.parent) {
      if (scan.links.has(link.parent)) cur = link.parent
      else {
        // A first record naming a parent in another file (a continued session) loses nothing.
        if (link.previous) stats.danglingParents++
        cur = link.previous
      }
    } else if (link.logical) cur = scan.links.has(link.logical) ? link.logical : link.previous
    else cur = null
  }
  return chain.reverse()
}

/**
 * Where the conversation really continues above `child`, when Claude Code wrote a parent link that
 * skips messages it had just written; null to follow the link as written. Two write patterns do this,
 * both seen in real sessions:
 *
 * - Late records. A turn's hook `progress` records (2.1.78, 2.1.81) or a local command's caveat and
 *   output (2.1.92) are written late, chained from the message that was last when they began, and the
 *   next message names the end of that run as its parent. The run gives itself away: a record in it
 *   sits in the file after the last message written before the child, yet was timed before it.
 * - Parallel answers. Each result of a parallel tool call is its own record on its own branch; the
 *   reply continues from the last of them, but the next prompt may name the first (2.1.145).
 *
 * In both, the conversation continues from the last message written before the child. A rewind never
 * looks like either: the records it returns to were written, and timed, before what it leaves, and it
 * returns to a prompt's parent, not into a group of parallel answers.
 */
function writeOrderBridge(scan: ClaudeScan, child: string): string | null {
  const start = scan.links.get(child)!
  const previous = lastMessageBefore(scan, start.line)
  if (!previous || previous === start.parent) return null
  const prev = scan.links.get(previous)!
  let cur = start.parent
  let late = false
  while (cur) {
    const link = scan.links.get(cur)
    if (!link) break
    const message = scan.messages.get(cur)
    if (message && inConversation(message)) break
    if (link.line > prev.line && link.at !== null && prev.at !== null && link.at < prev.at) late = true
    cur = link.parent
  }
  if (late && cur !== previous) return previous
  return cur && answersAnotherBranch(scan, cur, previous) ? previous : null
}

/** Is `later` below a sibling of `answer`: another record answering the same parallel tool call? */
function answersAnotherBranch(scan: ClaudeScan, answer: string, later: string): boolean {
  const answered = scan.answerOf.get(answer)
  const group = answered ? scan.answers.get(answered) : undefined
  if (!group || group.length < 2) return false
  const floor = Math.min(...group.map((u) => scan.links.get(u)!.line))
  let cur: string | null = later
  while (cur) {
    const link = scan.links.get(cur)
    if (!link || link.line < floor || cur === answer) return false
    if (group.includes(cur)) return true
    cur = link.parent
  }
  return false
}

/** The last message of the conversation written before position `line`. */
function lastMessageBefore(scan: ClaudeScan, line: number): string | null {
  let lo = 0
  let hi = scan.order.length - 1
  let found: string | null = null
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const uuid = scan.order[mid]!
    if (scan.links.get(uuid)!.line < line) {
      found = uuid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}
