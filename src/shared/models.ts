import { z } from 'zod'
import { ArchiveReport } from './archive-report'
import { SetupState } from './environment'

/** Where a thread's agent works: its own worktree, or the repository's own checkout. */
export const ThreadMode = z.enum(['worktree', 'local'])
/** A thread's mode. */
export type ThreadMode = z.infer<typeof ThreadMode>

/** The lifecycle states shown as badges. */
export const ThreadStatus = z.enum(['idle', 'running', 'needs-attention', 'error', 'archived'])
/** A thread's status. */
export type ThreadStatus = z.infer<typeof ThreadStatus>

/** A repository the user added. */
export const Repo = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  addedAt: z.number()
})
/** A repository the user added. */
export type Repo = z.infer<typeof Repo>

/** The agent profiles Skein knows how to launch. */
export const ProfileId = z.enum(['shell', 'claude', 'codex', 'custom'])
/** An agent profile id. */
export type ProfileId = z.infer<typeof ProfileId>

/** What the thread's agent session is doing, derived from its pty. */
export const AgentActivity = z.enum(['running', 'waiting', 'idle', 'exited'])
/** What the thread's agent session is doing. */
export type AgentActivity = z.infer<typeof AgentActivity>

/** The thread's agent session, as far as the sidebar and dashboard need to know. */
export const AgentState = z.object({
  ptyId: z.string(),
  profileId: ProfileId,
  activity: AgentActivity,
  exitCode: z.number().nullable(),
  /** The CLI's own session (Claude Code's session id, Codex's rollout id) once known; what a fork resumes. */
  session: z
    .object({ source: z.enum(['claude', 'codex']), sessionId: z.string() })
    .nullable()
    .optional()
})
/** The thread's agent session state. */
export type AgentState = z.infer<typeof AgentState>

/** What happened to text meant for a thread's agent: given to it (now or queued while it is busy), or held back and why. */
export const DeliveryOutcome = z.discriminatedUnion('delivered', [
  z.object({ delivered: z.literal(true), to: z.enum(['cli-agent', 'built-in-agent']), agent: z.string(), queued: z.boolean() }),
  z.object({
    delivered: z.literal(false),
    reason: z.enum(['shell', 'no-prompt']),
    agent: z.string(),
    message: z.string(),
    text: z.string()
  })
])
/** What happened to text meant for a thread's agent. */
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>

/** What the built-in agent may do without asking. The core enforces it. */
export const PermissionMode = z.enum(['plan', 'ask', 'accept-edits', 'auto'])
/** A permission mode. */
export type PermissionMode = z.infer<typeof PermissionMode>

/** Token counts and the estimated cost. */
export const Usage = z.object({
  input: z.number(),
  output: z.number(),
  cacheRead: z.number(),
  cacheWrite: z.number(),
  costUsd: z.number().nullable()
})
/** Token counts and the estimated cost. */
export type Usage = z.infer<typeof Usage>

/** What an import of a CLI session brought in, what it left out and why, and what looks wrong. */
export const ImportReport = z.object({
  prompts: z.number(),
  /** Model responses with text. */
  replies: z.number(),
  toolCalls: z.number(),
  /** Tool calls whose result was found. */
  toolResults: z.number(),
  /** Tool calls that failed: an error result, a nonzero exit code, a rejected patch. */
  failedTools: z.number(),
  interruptions: z.number(),
  compactions: z.number(),
  /** Records left out, by reason (e.g. "progress records": 1200). */
  skipped: z.record(z.string(), z.number()),
  /** Anything that means the thread holds less than the file: shown in the CLI and the app. */
  warnings: z.array(z.string())
})
/** What an import brought in and left out. */
export type ImportReport = z.infer<typeof ImportReport>

/** Where an imported thread came from: a Claude Code or Codex CLI session. */
export const ImportedFrom = z.object({
  source: z.enum(['claude', 'codex']),
  sessionId: z.string(),
  /** The folder the CLI session ran in. */
  cwd: z.string(),
  /** The session file it was read from. */
  path: z.string(),
  importedAt: z.number(),
  /** The exact command that resumes it in its own CLI, e.g. `cd '/x' && claude --resume <id>`. */
  resumeCommand: z.string(),
  /** The last import's report (absent on threads imported before reports existed). */
  report: ImportReport.optional(),
  /** The tokens and cost the session had used, counted into the thread's usage. */
  usage: Usage.optional()
})
/** Where an imported thread came from. */
export type ImportedFrom = z.infer<typeof ImportedFrom>

/** A thread as every client sees it. */
export const Thread = z.object({
  id: z.string(),
  repoId: z.string(),
  title: z.string(),
  slug: z.string(),
  mode: ThreadMode,
  branch: z.string().nullable(),
  baseRef: z.string(),
  worktreePath: z.string(),
  status: ThreadStatus,
  /** Why the thread is in `error` (or a note on its state); null when all is well. */
  statusMessage: z.string().nullable(),
  createdAt: z.number(),
  lastActivityAt: z.number(),
  archivedAt: z.number().nullable(),
  /** The ref that holds the worktree's saved state while archived. */
  snapshotRef: z.string().nullable(),
  /** The latest agent session; null until one is started. */
  agent: AgentState.nullable(),
  /** Something happened (the agent waits for input, or exited) while nobody was looking. */
  unread: z.boolean(),
  /** The built-in agent's settings for this thread. */
  conversation: z.object({
    model: z.string(),
    permissionMode: PermissionMode,
    /** Run the agent's commands in the OS sandbox (writes only inside the worktree) where one exists; Plan mode is always sandboxed. */
    sandbox: z.boolean().default(true),
    /** Let sandboxed commands reach the network. */
    network: z.boolean().default(false),
    /** True while a turn of the built-in agent runs. */
    busy: z.boolean(),
    /** Turns of the built-in agent that have ended (0 for threads from before turns were counted). */
    turns: z.number().default(0),
    usage: Usage
  }),
  /** Set for a thread imported from a CLI agent session. */
  imported: ImportedFrom.nullable().default(null),
  /** The thread this one was forked from, and the checkpoint (and built-in turn) it started at. */
  forkedFrom: z.object({ threadId: z.string(), checkpoint: z.number().nullable(), turnId: z.string().nullable() }).nullable().optional(),
  /** How many threads were forked from this one, live and archived (derived by the core when it sends a thread; absent: none). */
  forkCount: z.number().int().min(0).optional(),
  /** What the last archive saved and left out (bulky ignored folders); absent before the first archive. */
  archiveReport: ArchiveReport.nullable().optional(),
  /** The question an investigation thread was given (`fanout/start`); absent for other threads. */
  focus: z.string().nullable().optional(),
  /** The worktree's environment setup (copied files, shared folders, setup commands); null when there was none. */
  setup: SetupState.nullable().optional()
})
/** A thread as every client sees it. */
export type Thread = z.infer<typeof Thread>

/** One terminal of a thread: its agent session or an extra shell. */
export const PtyInfo = z.object({
  id: z.string(),
  threadId: z.string(),
  /** The agent session, a shell, or the thread's run command (its dev server). */
  kind: z.enum(['agent', 'shell', 'run']),
  profileId: ProfileId,
  title: z.string(),
  /** The command line, for display. */
  command: z.string(),
  cwd: z.string(),
  port: z.number().nullable(),
  pid: z.number().nullable(),
  state: z.enum(['running', 'exited']),
  exitCode: z.number().nullable(),
  signal: z.number().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** True when this session ended because Skein itself quit (shown after a restart). */
  endedByRestart: z.boolean(),
  /** The command the built-in agent is running in this terminal right now (show a "don't type" banner). */
  agentCommand: z.string().nullable().default(null),
  /** The OS sandbox this terminal runs in: nothing writable, only the worktree, or none. */
  sandbox: z.enum(['read-only', 'worktree']).nullable().default(null),
  /** A run command's URL: from its template, or the first one it printed. */
  url: z.string().nullable().optional()
})
/** One terminal of a thread. */
export type PtyInfo = z.infer<typeof PtyInfo>

/** An agent profile with whether it can run on this machine. */
export const AgentProfile = z.object({
  id: ProfileId,
  label: z.string(),
  /** The command line that will be run (for custom: the configured one). */
  command: z.string(),
  available: z.boolean(),
  /** Why it cannot run and how to fix it; null when available. */
  problem: z.string().nullable(),
  /** Whether a first prompt can be passed to it. */
  acceptsPrompt: z.boolean()
})
/** An agent profile with availability. */
export type AgentProfile = z.infer<typeof AgentProfile>

/** A field of an item that can be sent truncated: long tool outputs, diffs and texts. */
export const TruncatedField = z.enum(['text', 'modelText', 'tool.output', 'tool.diff', 'approval.diff'])
/** A field of an item that can be sent truncated. */
export type TruncatedField = z.infer<typeof TruncatedField>

/** The text of one truncatable field of an item, or undefined when it has none. */
export function fieldText(item: Pick<Item, 'text' | 'modelText' | 'tool' | 'approval'>, field: TruncatedField): string | undefined {
  switch (field) {
    case 'text':
      return item.text
    case 'modelText':
      return item.modelText
    case 'tool.output':
      return item.tool?.output
    case 'tool.diff':
      return item.tool?.diff
    case 'approval.diff':
      return item.approval?.diff
  }
}

/** One entry of a thread's conversation transcript. */
export const Item = z.object({
  id: z.string(),
  threadId: z.string(),
  turnId: z.string(),
  kind: z.enum(['user', 'assistant', 'tool', 'approval', 'notice', 'error']),
  status: z.enum(['streaming', 'running', 'pending', 'completed', 'failed', 'interrupted']),
  createdAt: z.number(),
  /** Assistant text and tool calls of one model response share a step. */
  stepId: z.string().optional(),
  /** user / assistant / notice / error text. */
  text: z.string().optional(),
  /** User items: the text sent to the model (with attached files), when it differs from `text`. */
  modelText: z.string().optional(),
  /** User items: the worktree files attached. */
  attachments: z.array(z.string()).optional(),
  /** A tool call and its outcome. */
  tool: z
    .object({
      /** The model's tool_use id. */
      useId: z.string(),
      name: z.string(),
      input: z.record(z.string(), z.unknown()),
      output: z.string().optional(),
      isError: z.boolean().optional(),
      exitCode: z.number().nullable().optional(),
      /** A unified diff for edits. */
      diff: z.string().optional()
    })
    .optional(),
  /** An approval request (kind 'approval'): what is asked, and how it was answered. */
  approval: z
    .object({
      toolItemId: z.string(),
      summary: z.string(),
      command: z.string().optional(),
      path: z.string().optional(),
      diff: z.string().optional(),
      decision: z.enum(['once', 'session', 'deny']).nullable(),
      message: z.string().optional(),
      /** What approving means here (for commands: which sandbox it runs in, if any). */
      note: z.string().optional()
    })
    .optional(),
  /** For errors: whether the turn can be retried. */
  retryable: z.boolean().optional(),
  /** Assistant items: usage of the request that produced them. */
  usage: Usage.optional(),
  /** Came from an imported CLI session (its tools are not Skein's, so history shows them as text). */
  imported: z.boolean().optional(),
  /** Its turn was rewound: kept in the log and shown, but no longer in the agent's context. */
  rewound: z.boolean().optional(),
  /** Fields sent cut short (their first characters only), each with its whole length; `item/output` reads the rest. */
  truncated: z.array(z.object({ field: TruncatedField, chars: z.number().int() })).optional()
})
/** One entry of a thread's conversation transcript. */
export type Item = z.infer<typeof Item>

/** The conversation settings a new thread starts with. */
export function defaultConversation(model: string, permissionMode: PermissionMode = 'ask'): Thread['conversation'] {
  return {
    model,
    permissionMode,
    sandbox: true,
    network: false,
    busy: false,
    turns: 0,
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0 }
  }
}

/** What a dashboard card shows of a thread's live work, beyond the thread itself (`thread/summaries`). */
export const ThreadSummary = z.object({
  threadId: z.string(),
  /**
   * The latest thing the thread's agent said: the built-in agent's last reply (`agent`), the command it runs
   * (`tool`), or the last non-empty lines of a CLI agent's terminal (`terminal`, ANSI-stripped, up to 3 lines).
   */
  lastLine: z.object({ source: z.enum(['agent', 'tool', 'terminal']), text: z.string(), at: z.number() }).nullable(),
  /** Lines and files changed against the base (as the Changes tab counts them); null until measured. */
  diffStat: z.object({ files: z.number(), added: z.number(), removed: z.number() }).nullable(),
  /** The built-in agent's approval that waits for the person, answerable with `approval/respond`. */
  pendingApproval: z
    .object({ itemId: z.string(), summary: z.string(), command: z.string().optional(), path: z.string().optional() })
    .nullable()
})
/** What a dashboard card shows of a thread's live work. */
export type ThreadSummary = z.infer<typeof ThreadSummary>
