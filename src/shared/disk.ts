import { z } from 'zod'

/** One worktree's disk use: its own files (shared folders linked in are counted with the repository, once). */
export const WorktreeDisk = z.object({
  threadId: z.string(),
  /** The thread's title when measured (the window may not have the thread loaded). */
  title: z.string().default(''),
  path: z.string(),
  /** Bytes really allocated (blocks), hard links counted once. */
  bytes: z.number(),
  /** The sum of file sizes. */
  apparentBytes: z.number(),
  files: z.number(),
  /** Shared folders this worktree links to (their paths). */
  sharedLinks: z.array(z.string()),
  measuredAt: z.number()
})
/** One worktree's disk use. */
export type WorktreeDisk = z.infer<typeof WorktreeDisk>

/** A folder shared between a repository's worktrees, counted once. */
export const SharedDisk = z.object({
  path: z.string(),
  bytes: z.number(),
  /** Threads whose worktree links to it. */
  linkedBy: z.array(z.string())
})
/** A shared folder's disk use. */
export type SharedDisk = z.infer<typeof SharedDisk>

/** A repository's disk use: live worktrees, shared folders once, and leftover folders cleanup could free. */
export const RepoDisk = z.object({
  repoId: z.string(),
  /** Everything below, hard links and shared folders counted once. */
  totalBytes: z.number(),
  worktrees: z.array(WorktreeDisk),
  shared: z.array(SharedDisk),
  /** Folders under the repository's worktree folder that belong to no live thread. */
  leftoverBytes: z.number(),
  budgetBytes: z.number().nullable(),
  measuredAt: z.number().nullable(),
  /** True while a measurement runs. */
  measuring: z.boolean(),
  /** Said when the figures may overstate (a file system with copy-on-write clones). */
  note: z.string().nullable()
})
/** A repository's disk use. */
export type RepoDisk = z.infer<typeof RepoDisk>

/** Whether one more worktree fits the repository's budget, with the numbers. */
export const BudgetCheck = z.object({
  budgetBytes: z.number().nullable(),
  usedBytes: z.number(),
  /** What a new worktree is expected to add (like the repository's others, or its checked-out files). */
  estimateBytes: z.number(),
  over: z.boolean(),
  /** A sentence with the numbers, when over; null otherwise. */
  message: z.string().nullable()
})
/** Whether one more worktree fits the budget. */
export type BudgetCheck = z.infer<typeof BudgetCheck>

/** Something cleanup found: a leftover worktree folder or a shared folder nothing links to, and whether it may go. */
export const CleanupCandidate = z.object({
  kind: z.enum(['archived-worktree', 'orphan-worktree', 'stale-shared']),
  repoId: z.string(),
  path: z.string(),
  bytes: z.number(),
  threadId: z.string().nullable(),
  title: z.string().nullable(),
  /** Removable: a verified snapshot holds everything in it (or, for a shared folder, nothing links to it). */
  removable: z.boolean(),
  reason: z.string()
})
/** Something cleanup found. */
export type CleanupCandidate = z.infer<typeof CleanupCandidate>

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

/** "1.4 GB", "312 MB", "4 KB" (binary units, as du -h). */
export function formatBytes(bytes: number): string {
  let v = bytes
  let u = 0
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024
    u++
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[u]}`
}

/** Reads "20 GB", "500MB", "1.5 TB", "2048" (bytes) into bytes; null when it is not a size. */
export function parseBytes(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb?|mb?|gb?|tb?|kib|mib|gib|tib)?\s*$/i.exec(text)
  if (!m) return null
  const unit = (m[2] ?? 'b').toLowerCase()[0]!
  const power = { b: 0, k: 1, m: 2, g: 3, t: 4 }[unit] ?? 0
  const n = Number(m[1]) * 1024 ** power
  return Number.isFinite(n) ? Math.round(n) : null
}
