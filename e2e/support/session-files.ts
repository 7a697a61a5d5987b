import { randomUUID } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

type Rec = Record<string, unknown>

/** A Claude Code content block: text, or a tool call. */
export type ClaudeBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Rec }

/**
 * A Claude Code session file written the way Claude Code writes one: one JSON record a line
 * (type, uuid, parentUuid, sessionId, cwd, timestamp, message), each record's parent the one before.
 */
export class ClaudeSessionFile {
  readonly sessionId = randomUUID()
  private readonly lines: string[] = []
  private last: string | null = null
  private at: number
  private messages = 0

  constructor(
    readonly cwd: string,
    startedAt = Date.now() - 30 * 60_000
  ) {
    this.at = startedAt
  }

  private record(type: 'user' | 'assistant', message: Rec, extra: Rec = {}): void {
    const uuid = randomUUID()
    this.at += 20_000
    this.lines.push(
      JSON.stringify({
        parentUuid: this.last,
        isSidechain: false,
        userType: 'external',
        cwd: this.cwd,
        sessionId: this.sessionId,
        version: '2.0.30',
        gitBranch: 'main',
        type,
        uuid,
        timestamp: new Date(this.at).toISOString(),
        message,
        ...extra
      })
    )
    this.last = uuid
  }

  /** A prompt from the person. */
  user(text: string): this {
    this.record('user', { role: 'user', content: text })
    return this
  }

  /** One assistant message: text and tool_use blocks. */
  assistant(...content: ClaudeBlock[]): this {
    const id = `msg_${++this.messages}`
    this.record('assistant', {
      id,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content,
      stop_reason: null,
      usage: { input_tokens: 120, output_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 900 }
    })
    return this
  }

  /** The result of a tool call, as the user record Claude Code writes for it. */
  toolResult(toolUseId: string, output: string, isError = false): this {
    this.record(
      'user',
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content: output, is_error: isError }] },
      { toolUseResult: { stdout: output } }
    )
    return this
  }

  /** Writes `<configDir>/projects/<cwd with / as ->/<id>.jsonl` (modified at `mtime`); returns its path. */
  write(configDir: string, mtime = this.at): string {
    const path = join(configDir, 'projects', this.cwd.replace(/[\\/.]/g, '-'), `${this.sessionId}.jsonl`)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, this.lines.join('\n') + '\n')
    utimesSync(path, mtime / 1000, mtime / 1000)
    return path
  }
}

/** A text block. */
export const text = (t: string): ClaudeBlock => ({ type: 'text', text: t })
/** A tool_use block. */
export const toolUse = (id: string, name: string, input: Rec): ClaudeBlock => ({ type: 'tool_use', id, name, input })

/** Writes a small Codex rollout (`<codexHome>/sessions/YYYY/MM/DD/rollout-…-<id>.jsonl`): a prompt, a shell call and a reply. */
export function writeCodexRollout(
  codexHome: string,
  cwd: string,
  o: { prompt: string; command: string; output: string; reply: string; startedAt?: number }
): { sessionId: string; path: string } {
  const sessionId = randomUUID()
  let at = o.startedAt ?? Date.now() - 3 * 3600_000
  const line = (type: string, payload: Rec) => JSON.stringify({ timestamp: new Date((at += 5_000)).toISOString(), type, payload })
  const start = new Date(at)
  const lines = [
    line('session_meta', {
      id: sessionId,
      timestamp: start.toISOString(),
      cwd,
      originator: 'codex_cli_rs',
      cli_version: '0.46.0',
      instructions: null
    }),
    line('turn_context', {
      cwd,
      approval_policy: 'on-request',
      sandbox_policy: { mode: 'workspace-write' },
      model: 'gpt-5-codex',
      effort: 'medium',
      summary: 'auto'
    }),
    line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: o.prompt }] }),
    line('event_msg', { type: 'user_message', message: o.prompt, kind: 'plain', images: [] }),
    line('response_item', {
      type: 'function_call',
      name: 'shell',
      arguments: JSON.stringify({ command: ['bash', '-lc', o.command] }),
      call_id: 'call_1'
    }),
    line('response_item', { type: 'function_call_output', call_id: 'call_1', output: o.output }),
    line('event_msg', { type: 'agent_message', message: o.reply }),
    line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: o.reply }] })
  ]
  const day = start.toISOString().slice(0, 10)
  const [y, m, d] = day.split('-')
  const path = join(
    codexHome,
    'sessions',
    y!,
    m!,
    d!,
    `rollout-${day}T${start.toISOString().slice(11, 19).replace(/:/g, '-')}-${sessionId}.jsonl`
  )
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, lines.join('\n') + '\n')
  utimesSync(path, at / 1000, at / 1000)
  return { sessionId, path }
}

/** A folder with a stub `claude` that prints where it runs and its arguments, then waits (put it first on the core's PATH). */
export function stubClaudeBin(): string {
  const bin = mkdtempSync(join(tmpdir(), 'skein-e2e-bin-'))
  writeFileSync(join(bin, 'claude'), '#!/bin/sh\necho "stub claude in $(pwd) with args: $*"\nexec sleep 300\n')
  chmodSync(join(bin, 'claude'), 0o755)
  return bin
}

/** Empty CLAUDE_CONFIG_DIR and CODEX_HOME folders for one core. */
export function agentConfigDirs(): { claude: string; codex: string } {
  const root = mkdtempSync(join(tmpdir(), 'skein-e2e-agents-'))
  const claude = join(root, 'claude')
  const codex = join(root, 'codex')
  mkdirSync(claude)
  mkdirSync(codex)
  return { claude, codex }
}
