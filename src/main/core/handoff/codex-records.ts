import { obj, parseTime, str } from './import-types'

/** One rollout line in the current shape, whatever shape it was written in. */
export interface CodexLine {
  type: string
  payload: Record<string, unknown>
  at: number | null
}

const RESPONSE_TYPES = new Set([
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'local_shell_call',
  'custom_tool_call',
  'custom_tool_call_output',
  'web_search_call'
])

/**
 * Normalizes a rollout record. Current rollouts wrap every record as {timestamp, type, payload};
 * older ones start with a bare session header ({id, timestamp, instructions}) followed by bare
 * response items. Returns null for records of neither shape (including `record_type: state`).
 */
export function codexLine(r: Record<string, unknown>, isFirstRecord: boolean): CodexLine | null {
  const type = str(r.type)
  const payload = obj(r.payload)
  if (type && payload) return { type, payload, at: parseTime(r.timestamp) }
  if (!type && isFirstRecord && typeof r.id === 'string') return { type: 'session_meta', payload: r, at: parseTime(r.timestamp) }
  if (type && RESPONSE_TYPES.has(type)) return { type: 'response_item', payload: r, at: parseTime(r.timestamp) }
  return null
}

// Context Codex puts in the conversation itself as user messages; none of it was typed by the person.
const INJECTED = [
  /^<environment_context>/,
  /^<user_instructions>/,
  /^# AGENTS\.md instructions/,
  /^<permissions instructions>/,
  /^<user_shell_command>/,
  /^<INSTRUCTIONS>/,
  /^<turn_aborted>/
]

/** True for the context Codex injects as user messages (environment, AGENTS.md, instructions). */
export const isInjected = (text: string): boolean => INJECTED.some((re) => re.test(text.trimStart()))

/** The text of a response message's content parts (input_text / output_text / text). */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  const parts: string[] = []
  for (const c of content) {
    const part = obj(c)
    if (!part) continue
    if (typeof part.text === 'string' && (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text'))
      parts.push(part.text)
    else if (part.type === 'input_image') parts.push('[image]')
  }
  return parts.join('\n\n')
}

/** The person's prompt in a record, for listings and imports; null for anything else. */
export function codexPrompt(line: CodexLine): { text: string; from: 'response' | 'event' } | null {
  const p = line.payload
  if (line.type === 'response_item' && p.type === 'message' && p.role === 'user') {
    const text = messageText(p.content).trim()
    return text && !isInjected(text) ? { text, from: 'response' } : null
  }
  if (line.type === 'event_msg' && p.type === 'user_message' && typeof p.message === 'string') {
    const text = p.message.trim()
    return text && !isInjected(text) ? { text, from: 'event' } : null
  }
  return null
}

/** A tool call's output, exit code and failure, from the shapes Codex has written over time. */
export function callOutput(output: unknown): { text: string; exitCode?: number; isError: boolean; interrupted?: boolean } {
  if (typeof output === 'string') {
    // Shell calls used to record {"output": "...", "metadata": {"exit_code": 0, ...}} as a string.
    if (output.startsWith('{') && output.includes('"output"')) {
      try {
        const parsed = obj(JSON.parse(output))
        const exit = obj(parsed?.metadata)?.exit_code
        if (parsed && typeof parsed.output === 'string') {
          return typeof exit === 'number'
            ? { text: parsed.output, exitCode: exit, isError: exit !== 0 }
            : { text: parsed.output, isError: false }
        }
      } catch {
        // Not the wrapped shape: the text as it is.
      }
    }
    return { text: output, ...plainOutcome(output) }
  }
  if (Array.isArray(output)) return { text: messageText(output), isError: false }
  const o = obj(output)
  if (o) {
    const content = typeof o.content === 'string' ? o.content : messageText(o.content ?? o.content_items)
    return { text: content, isError: o.success === false }
  }
  return { text: output === undefined || output === null ? '' : String(output), isError: false }
}

/** A call's arguments as an object: JSON arguments parsed, anything else kept under one key. */
export function callInput(p: Record<string, unknown>): Record<string, unknown> {
  if (typeof p.arguments === 'string') {
    try {
      const parsed = obj(JSON.parse(p.arguments))
      if (parsed) return parsed
    } catch {
      // Not JSON: keep the raw text.
    }
    return { arguments: p.arguments }
  }
  if (obj(p.arguments)) return obj(p.arguments)!
  if (typeof p.input === 'string') return { input: p.input }
  const action = obj(p.action)
  if (action) return action
  return {}
}

// How Codex has written a command's outcome into the output text over time.
const EXIT_CODE_LINE = /^Exit code: (-?\d+)/ // shell_command, 0.6x–0.12x
const PROCESS_EXITED = /^Process exited with code (-?\d+)$/m // exec_command (unified exec), 0.89+
const PATCH_FAILED = /^apply_patch verification failed/
const EXEC_FAILED = /^exec_command failed for /
// Codex answers a call it killed when the person interrupted the turn (0.171).
const ABORTED = /^(?:Wall time: [^\n]*\n)?aborted by user\s*$/

/** The exit code and failure a plain-text tool output states, from its header lines. */
export function plainOutcome(text: string): { exitCode?: number; isError: boolean; interrupted?: boolean } {
  if (PATCH_FAILED.test(text)) return { isError: true }
  if (ABORTED.test(text)) return { isError: true, interrupted: true }
  if (EXEC_FAILED.test(text)) {
    // The command never ran (a sandbox refused it, the program is missing): a failure, with the code Codex gave.
    const code = /exit_code: (-?\d+)/.exec(text)
    return code ? { exitCode: Number(code[1]), isError: true } : { isError: true }
  }
  const exit =
    EXIT_CODE_LINE.exec(text) ?? PROCESS_EXITED.exec(text.slice(0, text.indexOf('\nOutput:') >= 0 ? text.indexOf('\nOutput:') : 400))
  if (!exit) return { isError: false }
  const exitCode = Number(exit[1])
  return { exitCode, isError: exitCode !== 0 }
}
