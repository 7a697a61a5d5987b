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
  snapshotRef: z.string().nullable()
})
/** A thread as every client sees it. */
export type Thread = z.infer<typeof Thread>
