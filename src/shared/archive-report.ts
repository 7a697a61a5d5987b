import { z } from 'zod'

/** Something an archive did not keep, with its size and why (e.g. a 300 MB ignored node_modules). */
export const ArchiveLeftOut = z.object({
  path: z.string(),
  bytes: z.number(),
  files: z.number(),
  reason: z.string()
})
/** Something an archive did not keep. */
export type ArchiveLeftOut = z.infer<typeof ArchiveLeftOut>

/** What the last archive of a thread saved, and what it left out. */
export const ArchiveReport = z.object({
  /** The snapshot commit the thread's snapshot ref pointed at after the archive. */
  snapshot: z.string(),
  savedFiles: z.number(),
  savedBytes: z.number(),
  leftOut: z.array(ArchiveLeftOut)
})
/** What the last archive of a thread saved, and what it left out. */
export type ArchiveReport = z.infer<typeof ArchiveReport>
