import { z } from 'zod'

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
export const AgentActivity = z.enum(['running', 'waiting', 'exited'])
/** What the thread's agent session is doing. */
export type AgentActivity = z.infer<typeof AgentActivity>

/** The thread's agent session, as far as the sidebar and dashboard need to know. */
export const AgentState = z.object({
  ptyId: z.string(),
  profileId: ProfileId,
  activity: AgentActivity,
  exitCode: z.number().nullable()
})
/** The thread's agent session state. */
export type AgentState = z.infer<typeof AgentState>

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
  unread: z.boolean()
})
/** A thread as every client sees it. */
export type Thread = z.infer<typeof Thread>

/** One terminal of a thread: its agent session or an extra shell. */
export const PtyInfo = z.object({
  id: z.string(),
  threadId: z.string(),
  kind: z.enum(['agent', 'shell']),
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
  endedByRestart: z.boolean()
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
