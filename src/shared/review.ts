import { z } from 'zod'

/** The size guard of the diff view (GitHub Desktop's figures): past these a summary shows instead. */
export const DIFF_GUARD = {
  /** Both sides of one file together, in bytes (~4.4 MB). */
  maxBytes: 4_375_000,
  /** Any one line, in characters. */
  maxLineLength: 5_000,
  /** Added plus deleted lines, for one file or the whole change set. */
  maxChangedLines: 50_000,
  /** Even "open anyway" stops here: the core will not ship more than this to a window. */
  hardCapBytes: 70_000_000
} as const

/** Whether the change set is measured against the branch's merge-base or HEAD (uncommitted only). */
export const ChangeScope = z.enum(['base', 'uncommitted'])
/** Whether the change set is measured against the branch's merge-base or HEAD (uncommitted only). */
export type ChangeScope = z.infer<typeof ChangeScope>

/** One changed file of a thread. */
export const ChangedFile = z.object({
  path: z.string(),
  /** The path before a rename. */
  oldPath: z.string().nullable(),
  status: z.enum(['added', 'modified', 'deleted', 'renamed', 'type-changed']),
  binary: z.boolean(),
  /** Line counts; null for binary files. */
  additions: z.number().nullable(),
  deletions: z.number().nullable(),
  /** Changes whenever either side's content changes (the two blob ids), so an open diff knows to reload. */
  version: z.string()
})
/** One changed file of a thread. */
export type ChangedFile = z.infer<typeof ChangedFile>

/** A thread's change set. */
export const ChangeSet = z.object({ baseCommit: z.string(), files: z.array(ChangedFile) })
/** A thread's change set. */
export type ChangeSet = z.infer<typeof ChangeSet>

/** Both sides of one file's diff, or why they are not shown. */
export const FileDiff = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), original: z.string(), modified: z.string() }),
  z.object({ kind: z.literal('binary'), originalBytes: z.number(), modifiedBytes: z.number() }),
  /** A side is not valid UTF-8 (e.g. Latin-1 or UTF-16): shown as a notice, never garbled. */
  z.object({
    kind: z.literal('not-utf8'),
    side: z.enum(['original', 'modified', 'both']),
    originalBytes: z.number(),
    modifiedBytes: z.number()
  }),
  z.object({
    kind: z.literal('too-large'),
    reason: z.enum(['bytes', 'long-line', 'many-lines', 'hard-cap']),
    bytes: z.number(),
    longestLine: z.number(),
    changedLines: z.number(),
    /** False past the hard cap, where "open anyway" is not offered. */
    canForce: z.boolean()
  })
])
/** Both sides of one file's diff, or why they are not shown. */
export type FileDiff = z.infer<typeof FileDiff>

/** A line comment of a pending or sent review (lines are 1-based and inclusive, in the file on disk). */
export const ReviewComment = z.object({
  id: z.string(),
  path: z.string(),
  startLine: z.number(),
  endLine: z.number(),
  body: z.string(),
  /** The lines the comment was made on, to re-find them after edits. */
  code: z.string(),
  status: z.enum(['pending', 'sent', 'outdated']),
  createdAt: z.number(),
  sentAt: z.number().nullable()
})
/** A line comment of a pending or sent review. */
export type ReviewComment = z.infer<typeof ReviewComment>

/**
 * A range of lines on one side of a hunk: 1-based `start` and a `count`. A count of 0 is an empty
 * range just before line `start` (an insertion has an empty original range, a deletion an empty modified one).
 */
export const LineSpan = z.object({ start: z.number().int().min(1), count: z.number().int().min(0) })
/** A range of lines on one side of a hunk. */
export type LineSpan = z.infer<typeof LineSpan>

/** What *Merge into base* would do, shown before the person confirms it. */
export const MergePlanView = z.object({
  baseRef: z.string(),
  branch: z.string(),
  /** The base and branch commits this preview describes; the merge refuses if either moved. */
  base: z.string(),
  head: z.string(),
  /** The base already has every commit of the branch. */
  upToDate: z.boolean(),
  /** Up to date, and the branch made commits of its own: its work is in the base. */
  merged: z.boolean(),
  /** The base only moves forward (no merge commit). */
  fastForward: z.boolean(),
  commits: z.array(z.object({ sha: z.string(), short: z.string(), subject: z.string() })),
  moreCommits: z.number(),
  files: z.array(
    z.object({
      path: z.string(),
      status: z.enum(['added', 'modified', 'deleted', 'type-changed']),
      additions: z.number().nullable(),
      deletions: z.number().nullable()
    })
  ),
  /** Files git cannot combine; the merge is refused. */
  conflicts: z.array(z.string()),
  /** Where the base is checked out (usually the person's own repository): the merge runs there with git's own merge. */
  checkedOutIn: z.string().nullable(),
  /** Local changes there to files the merge would change; the merge is refused and nothing is touched. */
  localChanges: z.array(z.string()),
  /** That checkout is in the middle of a merge, rebase…; the merge is refused. */
  checkoutBusy: z.string().nullable(),
  /** Uncommitted changes in the thread's worktree, which a merge would leave out; the merge is refused. */
  uncommitted: z.number()
})
/** What *Merge into base* would do. */
export type MergePlanView = z.infer<typeof MergePlanView>

/** One commit on a thread's branch that its base does not have. */
export const BranchCommit = z.object({
  sha: z.string(),
  short: z.string(),
  subject: z.string(),
  author: z.string(),
  /** Author time, ms since the epoch. */
  time: z.number(),
  parents: z.array(z.string())
})
/** One commit on a thread's branch that its base does not have. */
export type BranchCommit = z.infer<typeof BranchCommit>
