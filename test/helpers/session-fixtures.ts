// Session transcripts we author ourselves from the documented Claude Code and Codex formats.
import { closeSync, mkdirSync, openSync, utimesSync, writeFileSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'

type Rec = Record<string, unknown>

const BASE_TIME = Date.parse('2025-06-01T10:00:00.000Z')

/** A deterministic UUID from a number. */
export const fakeUuid = (n: number, group = 0): string =>
  `${group.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

/** The ISO time `seconds` after the fixtures' base time. */
export const isoAt = (seconds: number): string => new Date(BASE_TIME + seconds * 1000).toISOString()

/** Builds a Claude Code session file record by record; each record's parent defaults to the one before. */
export class ClaudeSession {
  readonly lines: string[] = []
  last: string | null = null
  private n = 0

  constructor(
    readonly sessionId: string,
    readonly cwd: string,
    private readonly group = 1
  ) {}

  /** Appends any record with the common fields filled in; returns its uuid. */
  record(type: string, fields: Rec, opts: { parent?: string | null; uuid?: string; sidechain?: boolean } = {}): string {
    const uuid = opts.uuid ?? fakeUuid(++this.n, this.group)
    const parentUuid = opts.parent === undefined ? this.last : opts.parent
    const rec = {
      parentUuid,
      isSidechain: opts.sidechain ?? false,
      userType: 'external',
      cwd: this.cwd,
      sessionId: this.sessionId,
      version: '2.0.30',
      gitBranch: 'main',
      type,
      uuid,
      timestamp: isoAt(this.n),
      ...fields
    }
    this.lines.push(JSON.stringify(rec))
    if (!opts.sidechain) this.last = uuid
    return uuid
  }

  /** A prompt from the person (a string, or content blocks). */
  user(content: string | Rec[], opts: Parameters<ClaudeSession['record']>[2] & { extra?: Rec } = {}): string {
    return this.record('user', { message: { role: 'user', content }, ...opts.extra }, opts)
  }

  /** One line of an assistant message; call again with the same id for the next block of a split message. */
  assistant(
    messageId: string,
    content: Rec[],
    opts: Parameters<ClaudeSession['record']>[2] & { usage?: Rec; model?: string } = {}
  ): string {
    const usage = opts.usage ?? { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 10, cache_read_input_tokens: 1000 }
    return this.record(
      'assistant',
      {
        message: {
          id: messageId,
          type: 'message',
          role: 'assistant',
          model: opts.model ?? 'claude-sonnet-4-5-20250929',
          content,
          stop_reason: null,
          usage
        },
        requestId: `req_${messageId}`
      },
      opts
    )
  }

  /** A user record carrying a tool's result. */
  toolResult(useId: string, content: string | Rec[], isError = false, opts: Parameters<ClaudeSession['record']>[2] = {}): string {
    return this.record(
      'user',
      {
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: useId, content, is_error: isError }] },
        toolUseResult: { stdout: typeof content === 'string' ? content : '' }
      },
      opts
    )
  }

  /** A line written as it is (torn JSON, a bare value, a record of another shape). */
  raw(line: string | Rec): void {
    this.lines.push(typeof line === 'string' ? line : JSON.stringify(line))
  }

  /** The file's text. */
  text(): string {
    return this.lines.join('\n') + '\n'
  }
}

/** Text, thinking and tool_use content blocks. */
export const text = (t: string): Rec => ({ type: 'text', text: t })
/** A thinking block. */
export const thinking = (t: string): Rec => ({ type: 'thinking', thinking: t, signature: 'sig' })
/** A tool_use block. */
export const toolUse = (id: string, name: string, input: Rec): Rec => ({ type: 'tool_use', id, name, input })

/** Writes a Claude Code session under `<configDir>/projects/<folder>/<id>.jsonl`; returns its path. */
export function writeClaudeSession(configDir: string, folder: string, fileName: string, content: string, mtime?: number): string {
  const path = join(configDir, 'projects', folder, fileName)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
  if (mtime !== undefined) utimesSync(path, mtime / 1000, mtime / 1000)
  return path
}

/** Builds a Codex rollout line by line, in the current {timestamp, type, payload} shape. */
export class CodexRollout {
  readonly lines: string[] = []
  private t = 0

  constructor(
    readonly id: string,
    readonly cwd: string
  ) {}

  /** Any wrapped record. */
  line(type: string, payload: Rec): this {
    this.lines.push(JSON.stringify({ timestamp: isoAt(++this.t), type, payload }))
    return this
  }

  /** The session_meta header. */
  meta(extra: Rec = {}): this {
    return this.line('session_meta', {
      id: this.id,
      timestamp: isoAt(0),
      cwd: this.cwd,
      originator: 'codex_cli_rs',
      cli_version: '0.46.0',
      instructions: null,
      git: { commit_hash: 'abc123', branch: 'main', repository_url: 'https://example.com/r.git' },
      ...extra
    })
  }

  /** A turn_context record. */
  turnContext(model: string): this {
    return this.line('turn_context', {
      cwd: this.cwd,
      approval_policy: 'on-request',
      sandbox_policy: { mode: 'workspace-write' },
      model,
      effort: 'medium',
      summary: 'auto'
    })
  }

  /** The injected environment context and AGENTS.md instructions, as Codex writes them. */
  injected(): this {
    this.line('response_item', {
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: '<user_instructions>\nBe brief.\n</user_instructions>' }]
    })
    return this.line('response_item', {
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${this.cwd}</cwd>\n</environment_context>` }]
    })
  }

  /** A prompt, recorded both as a response item and as a user_message event (as Codex does). */
  user(prompt: string, opts: { event?: boolean; response?: boolean } = {}): this {
    if (opts.response !== false)
      this.line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] })
    if (opts.event !== false) this.line('event_msg', { type: 'user_message', message: prompt, kind: 'plain', images: [] })
    return this
  }

  /** A reply, recorded both as an agent_message event and as a response item. */
  assistant(reply: string, opts: { event?: boolean; response?: boolean } = {}): this {
    if (opts.event !== false) this.line('event_msg', { type: 'agent_message', message: reply })
    if (opts.response !== false)
      this.line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: reply }] })
    return this
  }

  /** Reasoning, as the event and as the response item. */
  reasoning(summary: string, encrypted = 'gAAAA'): this {
    this.line('event_msg', { type: 'agent_reasoning', text: summary })
    return this.line('response_item', {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: summary }],
      content: null,
      encrypted_content: encrypted
    })
  }

  /** A function call and (unless output is null) its output. */
  call(callId: string, name: string, args: Rec, output: string | null): this {
    this.line('response_item', { type: 'function_call', name, arguments: JSON.stringify(args), call_id: callId })
    if (output !== null) this.line('response_item', { type: 'function_call_output', call_id: callId, output })
    return this
  }

  /** A token_count event with running totals. */
  tokens(input: number, cached: number, output: number): this {
    return this.line('event_msg', {
      type: 'token_count',
      info: {
        total_token_usage: {
          input_tokens: input,
          cached_input_tokens: cached,
          output_tokens: output,
          reasoning_output_tokens: 0,
          total_tokens: input + output
        },
        last_token_usage: null,
        model_context_window: 272000
      },
      rate_limits: null
    })
  }

  /** A line written as it is. */
  raw(line: string | Rec): this {
    this.lines.push(typeof line === 'string' ? line : JSON.stringify(line))
    return this
  }

  /** The file's text. */
  text(): string {
    return this.lines.join('\n') + '\n'
  }
}

/** Writes a rollout under `<codexHome>/sessions/YYYY/MM/DD/rollout-<date>T10-00-00-<id>.jsonl`; returns its path. */
export function writeCodexRollout(codexHome: string, day: string, id: string, content: string, mtime?: number): string {
  const [y, m, d] = day.split('-')
  const path = join(codexHome, 'sessions', y!, m!, d!, `rollout-${day}T10-00-00-${id}.jsonl`)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
  if (mtime !== undefined) utimesSync(path, mtime / 1000, mtime / 1000)
  return path
}

/** What a generated large session holds, for the assertions. */
export interface LargeSession {
  path: string
  bytes: number
  turns: number
  /** Characters in each tool output written (each longer than the import cap). */
  outputChars: number
}

/** Streams a generated file to disk in batches, so the generator never holds it whole either. */
function writeLarge(path: string, targetBytes: number, turn: (i: number) => string[]): { bytes: number; turns: number } {
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(path, 'w')
  let bytes = 0
  let turns = 0
  try {
    while (bytes < targetBytes) {
      const chunk = turn(turns++).join('\n') + '\n'
      bytes += writeSync(fd, chunk)
    }
  } finally {
    closeSync(fd)
  }
  return { bytes, turns }
}

/** A filler that is not one repeated character, so nothing about it is unusually cheap. */
const filler = (n: number, seed: number): string => {
  let s = ''
  for (let i = 0; s.length < n; i++) s += `line ${seed}:${i} const value = compute(${(seed * 31 + i) % 977});\n`
  return s.slice(0, n)
}

/**
 * A Claude Code session of about `targetBytes`: every turn a prompt, an assistant message split over
 * three lines (thinking, text, tool_use), a large tool result with its `toolUseResult` copy, a
 * file-history snapshot and a sub-agent record, as long real sessions look.
 */
export function writeLargeClaudeSession(path: string, targetBytes: number, outputChars = 60_000): LargeSession {
  const s = new ClaudeSession(fakeUuid(0, 0xbeef), '/work/big-project', 2)
  const out = filler(outputChars, 7)
  const { bytes, turns } = writeLarge(path, targetBytes, (i) => {
    s.lines.length = 0
    s.user(`Turn ${i}: please look at module ${i} and fix what is wrong.`)
    const msg = `msg_big_${i}`
    s.assistant(msg, [thinking(`Thinking about module ${i}`)])
    s.assistant(msg, [text(`Looking at module ${i}.`)])
    s.assistant(msg, [toolUse(`toolu_big_${i}`, 'Read', { file_path: `/work/big-project/src/mod${i}.ts` })])
    s.toolResult(`toolu_big_${i}`, out)
    s.raw({ type: 'file-history-snapshot', messageId: fakeUuid(i, 0xf00d), snapshot: { trackedFileBackups: {} }, isSnapshotUpdate: false })
    s.user(`sub-agent task ${i}`, { sidechain: true, parent: null })
    return s.lines
  })
  return { path, bytes, turns, outputChars }
}

/** A Codex rollout of about `targetBytes`: every turn a prompt (both sources), reasoning, a shell call with large output, a reply and a token count. */
export function writeLargeCodexRollout(path: string, targetBytes: number, outputChars = 60_000): LargeSession {
  const r = new CodexRollout('0199a000-0000-7000-8000-00000000beef', '/work/big-project')
  const out = filler(outputChars, 11)
  let first = true
  const { bytes, turns } = writeLarge(path, targetBytes, (i) => {
    r.lines.length = 0
    if (first) r.meta().turnContext('gpt-5-codex').injected()
    first = false
    r.user(`Turn ${i}: run the tests of module ${i}.`)
    r.reasoning(`Planning turn ${i}`, 'gAAAA'.repeat(400))
    r.call(
      `call_big_${i}`,
      'shell',
      { command: ['bash', '-lc', `npm test -- mod${i}`] },
      JSON.stringify({ output: out, metadata: { exit_code: 0, duration_seconds: 1.5 } })
    )
    r.assistant(`Module ${i} passes.`)
    r.tokens(1000 * (i + 1), 800 * (i + 1), 50 * (i + 1))
    return r.lines
  })
  return { path, bytes, turns, outputChars }
}
