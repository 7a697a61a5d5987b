import type { PermissionMode } from '../../../../shared/models'
import type { SandboxLevel } from '../../sandbox/sandbox-types'

/** What a tool returns to the model. */
export interface ToolOutcome {
  output: string
  isError: boolean
  exitCode?: number | null
  diff?: string
}

/** Everything a tool run can reach. */
export interface ToolContext {
  worktree: string
  threadId: string
  signal: AbortSignal
  /** The OS sandbox commands run in (null: none, because it is off or this machine has none). */
  sandbox: SandboxLevel | null
  /** Streams partial output (bash) to the transcript. */
  progress(text: string): void
}

/** How a tool call is treated under the thread's permission mode. */
export type Permission = 'allow' | 'ask' | 'refuse'

/** A tool the model can call. */
export interface Tool {
  name: string
  description: string
  inputSchema: Record<string, unknown>
  /** 'read' tools always run; 'edit' and 'command' tools follow the permission mode. */
  category: 'read' | 'edit' | 'command'
  /** One line for the transcript and approval cards. */
  summarize(input: Record<string, unknown>): string
  /** For edits: the diff that approving would apply (computed without writing). */
  preview?(input: Record<string, unknown>, ctx: ToolContext): Promise<{ diff?: string; path?: string; error?: string }>
  run(input: Record<string, unknown>, ctx: ToolContext): Promise<ToolOutcome>
}

/** The permission-mode policy, enforced by the core whatever the model says. */
export function permissionFor(
  mode: PermissionMode,
  tool: Tool,
  input: Record<string, unknown>,
  readOnlyCommand: (cmd: string) => boolean
): Permission {
  if (tool.category === 'read') return 'allow'
  if (tool.category === 'edit') {
    if (mode === 'plan') return 'refuse'
    return mode === 'ask' ? 'ask' : 'allow'
  }
  if (mode === 'auto') return 'allow'
  if (mode === 'plan') return readOnlyCommand(String(input.command ?? '')) ? 'allow' : 'ask'
  return 'ask'
}
