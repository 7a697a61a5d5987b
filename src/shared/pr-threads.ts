import { z } from 'zod'
import { RemoteProviderKind } from './ci'

/** One comment of a review thread on GitHub or GitLab. */
export const RemoteThreadComment = z.object({
  id: z.string(),
  author: z.string(),
  /** Markdown, as the service stores it. */
  body: z.string(),
  /** ms since the epoch. */
  createdAt: z.number()
})
/** One comment of a review thread. */
export type RemoteThreadComment = z.infer<typeof RemoteThreadComment>

/** A review thread from a pull (GitHub) or merge (GitLab) request, placed on the lines of the file as it is in the worktree now. */
export const RemoteThread = z.object({
  /** The service's id: GitHub's first comment id, GitLab's discussion id. */
  id: z.string(),
  provider: RemoteProviderKind,
  path: z.string(),
  /** The (last) line it is on in the current file (re-anchored after later commits and edits); for an outdated one, the line it was on; null for a file-level thread. */
  line: z.number().nullable(),
  /** The first line of a multi-line thread; null for one line. */
  startLine: z.number().nullable(),
  /** `right`: the new side of the diff (the file in the worktree); `left`: a removed line of the base. */
  side: z.enum(['left', 'right']),
  /** Its lines are gone from the current file (or the service says so): shown with a label, no longer on a line. */
  outdated: z.boolean(),
  resolved: z.boolean(),
  /** Whether it can be resolved at all (GitLab: only resolvable discussions). */
  resolvable: z.boolean(),
  comments: z.array(RemoteThreadComment),
  /** Where it is on the website; null when the service gives none. */
  url: z.string().nullable()
})
/** A review thread from a pull or merge request. */
export type RemoteThread = z.infer<typeof RemoteThread>

/** The thread's request's review threads, and why they may be stale (the last good ones stay). */
export const RemoteThreads = z.object({
  threadId: z.string(),
  threads: z.array(RemoteThread),
  /** Why they could not be read just now, in words to act on; null when they are current. */
  problem: z.string().nullable(),
  fetchedAt: z.number()
})
/** The thread's request's review threads. */
export type RemoteThreads = z.infer<typeof RemoteThreads>
