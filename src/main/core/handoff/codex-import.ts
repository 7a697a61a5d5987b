import { basename } from 'node:path'
import type { Item, Usage } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { callInput, callOutput, codexLine, codexPrompt, messageText, type CodexLine } from './codex-records'
import {
  capOutput,
  DEFAULT_MAX_TOOL_OUTPUT,
  emptyStats,
  importKey,
  importReport,
  itemIdPrefix,
  markerText,
  noConversation,
  notASession,
  obj,
  parseRecord,
  parseTime,
  readError,
  skip,
  str,
  type ImportedSession,
  type ImportOptions,
  type ImportStats
} from './import-types'
import { forEachLine } from './jsonl-reader'
import { promptTitle } from './prompt-text'

type Role = 'user' | 'assistant'

/** An item and where it came from: an event copy is dropped as soon as its role has a response item. */
interface Draft {
  item: Item
  line: number
  /** Messages come from response items or from event_msg records, never both. */
  from?: 'response' | 'event'
  role?: Role
}

interface State {
  p: string
  threadId: string
  cap: number
  stats: ImportStats
  records: number
  sessionId?: string
  cwd: string | null
  first: number | null
  last: number | null
  at: number | null
  model?: string
  usage?: Usage
  drafts: Draft[]
  tools: Map<string, Item>
  /** Response-item messages per role: once a role has one, its event_msg copies are dropped. */
  fromResponse: Record<Role, number>
  userSide: boolean
  step: string | null
  /** Prompts seen in each form: the import keeps one form, so the file holds the larger count. */
  heldPrompts: Record<'response' | 'event', number>
  lastEventPrompt?: string
}

const UUID_TAIL = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i

/**
 * Reads a Codex rollout (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`) into transcript items.
 * Messages come from response items (the conversation the model saw, minus the context Codex
 * injects); a rollout without them falls back to its user_message / agent_message events.
 * Function calls are paired with their outputs by call_id; usage is the last token_count.
 */
export async function importCodexSession(path: string, options: ImportOptions): Promise<Result<ImportedSession>> {
  const stats = emptyStats()
  const fileId = UUID_TAIL.exec(path)?.[1]
  // Item ids hash the session id, which the first record gives; the file name's id stands in until then.
  const s: State = {
    p: '',
    threadId: options.threadId,
    cap: options.maxToolOutputChars ?? DEFAULT_MAX_TOOL_OUTPUT,
    stats,
    records: 0,
    cwd: null,
    first: null,
    last: null,
    at: null,
    drafts: [],
    tools: new Map(),
    fromResponse: { user: 0, assistant: 0 },
    userSide: true,
    step: null,
    heldPrompts: { response: 0, event: 0 }
  }
  let mtime: number
  try {
    const read = await forEachLine(path, (line, lineNo) => scanLine(line, lineNo, s, fileId ?? basename(path)), {
      maxLineBytes: options.maxLineBytes
    })
    stats.lines = read.lines + read.oversized
    stats.malformed += read.oversized
    mtime = read.stat.mtimeMs
  } catch (e) {
    return err(readError(e, path, 'codex'))
  }
  if (s.records === 0 || !s.p) return err(notASession(path, 'codex'))
  const sessionId = s.sessionId ?? fileId ?? basename(path, '.jsonl')

  const startedAt = s.first ?? mtime
  let turnId = `${s.p}-turn-0`
  const items: Item[] = [
    {
      id: `${s.p}-marker`,
      threadId: s.threadId,
      turnId,
      kind: 'notice',
      status: 'completed',
      createdAt: startedAt,
      text: markerText('codex', sessionId)
    }
  ]
  let firstPrompt: string | null = null
  for (const d of s.drafts) {
    if (d.item.kind === 'user') {
      turnId = `${s.p}-turn-L${d.line}`
      firstPrompt ??= d.item.text ?? null
    }
    d.item.turnId = turnId
    if (!d.item.createdAt) d.item.createdAt = startedAt
    items.push(d.item)
  }
  const report = importReport('codex', items, stats, {
    prompts: Math.max(s.heldPrompts.response, s.heldPrompts.event),
    toolCalls: s.tools.size
  })
  if (report.prompts + report.replies + report.toolCalls === 0) return err(noConversation(path, 'codex'))
  return ok({
    source: 'codex',
    sessionId,
    importKey: importKey('codex', sessionId),
    cwd: s.cwd,
    title: promptTitle(firstPrompt) ?? `Codex session ${sessionId.slice(0, 8)}`,
    startedAt,
    updatedAt: s.last ?? mtime,
    ...(s.model ? { model: s.model } : {}),
    items,
    ...(s.usage ? { usage: s.usage } : {}),
    stats,
    report
  })
}

function scanLine(text: string, lineNo: number, s: State, fallbackId: string): void {
  const r = parseRecord(text)
  if (!r) {
    s.stats.malformed++
    return
  }
  const line = codexLine(r, s.records === 0)
  s.records++
  if (!line) {
    skip(s.stats, 'records of an unknown shape')
    return
  }
  if (line.at !== null) {
    if (s.first === null || line.at < s.first) s.first = line.at
    if (s.last === null || line.at > s.last) s.last = line.at
    s.at = line.at
  }
  if (line.type === 'session_meta') {
    if (!s.sessionId && typeof line.payload.id === 'string') {
      s.sessionId = line.payload.id
      const at = parseTime(line.payload.timestamp)
      if (at !== null && (s.first === null || at < s.first)) s.first = at
      s.at ??= at
    }
    s.cwd ??= str(line.payload.cwd) ?? null
  }
  if (!s.p) s.p = itemIdPrefix('codex', s.sessionId ?? fallbackId)
  switch (line.type) {
    case 'session_meta':
      return
    case 'turn_context':
      s.model = str(line.payload.model) ?? s.model
      s.cwd ??= str(line.payload.cwd) ?? null
      return
    case 'response_item':
      return responseItem(line, lineNo, s)
    case 'event_msg':
      return eventMsg(line, lineNo, s)
    case 'compacted': {
      s.userSide = true
      const summary = str(line.payload.message)?.trim()
      s.drafts.push({
        line: lineNo,
        item: item(s, lineNo, 'notice', {
          text: summary ? `Codex compacted the conversation here. Its summary:\n\n${summary}` : 'Codex compacted the conversation here.'
        })
      })
      return
    }
    default:
      skip(s.stats, `"${line.type}" records`)
  }
}

function item(s: State, lineNo: number, kind: Item['kind'], fields: Partial<Item>): Item {
  return { id: `${s.p}-L${lineNo}`, threadId: s.threadId, turnId: '', kind, status: 'completed', createdAt: s.at ?? 0, ...fields }
}

/** The step of an assistant-side record: a new one begins after anything from the user's side. */
function stepFor(s: State, lineNo: number): string {
  if (s.userSide || !s.step) s.step = `${s.p}-step-L${lineNo}`
  s.userSide = false
  return s.step
}

function message(s: State, lineNo: number, role: Role, text: string, from: 'response' | 'event'): void {
  if (role === 'user') {
    // A /review writes its prompt as two identical events in a row: one prompt.
    if (!(from === 'event' && s.lastEventPrompt === text)) s.heldPrompts[from]++
    if (from === 'event') s.lastEventPrompt = text
  }
  if (from === 'response' && s.fromResponse[role]++ === 0) s.drafts = s.drafts.filter((d) => !(d.from === 'event' && d.role === role))
  if (from === 'event' && s.fromResponse[role] > 0) return
  if (role === 'user') {
    s.userSide = true
    s.drafts.push({ line: lineNo, from, role, item: item(s, lineNo, 'user', { text }) })
  } else s.drafts.push({ line: lineNo, from, role, item: item(s, lineNo, 'assistant', { text, stepId: stepFor(s, lineNo) }) })
}

function responseItem(line: CodexLine, lineNo: number, s: State): void {
  const p = line.payload
  switch (p.type) {
    case 'message': {
      if (p.role === 'user') {
        const prompt = codexPrompt(line)
        if (prompt) message(s, lineNo, 'user', prompt.text, 'response')
        else skip(s.stats, 'context Codex adds as user messages')
      } else if (p.role === 'assistant') {
        const text = messageText(p.content).trim()
        if (text) message(s, lineNo, 'assistant', text, 'response')
      } else skip(s.stats, 'system and developer instructions')
      return
    }
    case 'reasoning':
      s.stats.reasoning++
      stepFor(s, lineNo)
      return
    case 'function_call':
    case 'custom_tool_call':
    case 'local_shell_call':
    case 'web_search_call': {
      const callId = str(p.call_id) ?? str(p.id)
      if (callId && s.tools.has(callId)) {
        skip(s.stats, 'repeated tool calls')
        return
      }
      const name = p.type === 'local_shell_call' ? 'local_shell' : p.type === 'web_search_call' ? 'web_search' : (str(p.name) ?? 'tool')
      const done = p.type === 'web_search_call'
      const tool = item(s, lineNo, 'tool', {
        status: done ? 'completed' : 'interrupted',
        stepId: stepFor(s, lineNo),
        tool: { useId: callId ?? `L${lineNo}`, name, input: callInput(p) }
      })
      if (callId) {
        tool.id = `${s.p}-call-${callId}`
        s.tools.set(callId, tool)
      }
      s.drafts.push({ line: lineNo, item: tool })
      return
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      s.userSide = true
      const tool = s.tools.get(str(p.call_id) ?? '')
      if (!tool || tool.tool!.output !== undefined) {
        skip(s.stats, 'tool outputs without a call')
        return
      }
      const out = callOutput(p.output)
      const exitCode = out.exitCode ?? tool.tool!.exitCode
      tool.tool = {
        ...tool.tool!,
        output: capOutput(out.text, s.cap),
        isError: out.isError || (exitCode !== undefined && exitCode !== null && exitCode !== 0),
        ...(exitCode !== undefined ? { exitCode } : {})
      }
      tool.status = out.interrupted ? 'interrupted' : 'completed'
      return
    }
    default:
      skip(s.stats, `"${str(p.type) ?? 'untyped'}" response items`)
  }
}

/** A command's exit code from an event (exec_command_end, or an item_completed CommandExecution). */
function commandExit(s: State, callId: unknown, exitCode: unknown): void {
  const tool = typeof callId === 'string' ? s.tools.get(callId) : undefined
  if (!tool || typeof exitCode !== 'number') return
  tool.tool = { ...tool.tool!, exitCode, isError: tool.tool!.isError || exitCode !== 0 }
}

function eventMsg(line: CodexLine, lineNo: number, s: State): void {
  const p = line.payload
  if (p.type === 'token_count') {
    const total = obj(obj(p.info)?.total_token_usage)
    if (!total) return
    const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
    const cached = n(total.cached_input_tokens)
    // OpenAI counts cached tokens inside input_tokens; Skein's usage keeps them apart, as Anthropic does.
    s.usage = {
      input: Math.max(0, n(total.input_tokens) - cached),
      output: n(total.output_tokens),
      cacheRead: cached,
      cacheWrite: 0,
      costUsd: null
    }
    return
  }
  if (p.type === 'user_message') {
    const prompt = codexPrompt(line)
    if (prompt) message(s, lineNo, 'user', prompt.text, 'event')
    return
  }
  if (p.type === 'agent_message' && typeof p.message === 'string' && p.message.trim()) {
    message(s, lineNo, 'assistant', p.message.trim(), 'event')
    return
  }
  if (p.type === 'turn_aborted') {
    s.userSide = true
    const reason = str(p.reason)
    s.drafts.push({
      line: lineNo,
      item: item(s, lineNo, 'notice', {
        text: reason === 'interrupted' || !reason ? 'Interrupted by the user.' : `Interrupted: the turn was aborted (${reason}).`
      })
    })
    return
  }
  if (p.type === 'exec_command_end') return commandExit(s, p.call_id, p.exit_code)
  if (p.type === 'item_completed') {
    // Codex 0.150+ also writes each finished item as an event: messages (copies of the response
    // items, used when a rollout has none) and commands with their exit codes.
    const it = obj(p.item)
    const text =
      messageText(it?.content).trim() ||
      (Array.isArray(it?.content)
        ? it.content
            .map((c) => str(obj(c)?.text) ?? '')
            .join('\n\n')
            .trim()
        : '')
    if (it?.type === 'UserMessage' && text) {
      const prompt = codexPrompt({ type: 'event_msg', payload: { type: 'user_message', message: text }, at: line.at })
      if (prompt) message(s, lineNo, 'user', prompt.text, 'event')
      return
    }
    if (it?.type === 'AgentMessage' && text) return message(s, lineNo, 'assistant', text, 'event')
    if (it?.type === 'CommandExecution') return commandExit(s, it.id, it.exit_code)
    skip(s.stats, `"${str(it?.type) ?? 'untyped'}" item events`)
    return
  }
  skip(s.stats, `"${str(p.type) ?? 'untyped'}" events`)
}
