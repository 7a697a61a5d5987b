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

const size = (bytes: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = bytes
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`
}

/** "412 files, 3.1 MB saved", for the thread's overview. */
export function savedLine(r: ArchiveReport): string {
  return `${r.savedFiles.toLocaleString('en-US')} ${r.savedFiles === 1 ? 'file' : 'files'}, ${size(r.savedBytes)} saved`
}

/** What an archive left out, one item each ("node_modules (312 MB, 40,123 files): git-ignored and …"); empty when it kept everything. */
export function leftOutLines(r: ArchiveReport): string[] {
  return r.leftOut.map(
    (l) => `${l.path} (${size(l.bytes)}, ${l.files.toLocaleString('en-US')} ${l.files === 1 ? 'file' : 'files'}): ${l.reason}`
  )
}
