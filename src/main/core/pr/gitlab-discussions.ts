import { z } from 'zod'
import type { ServiceThread } from './pr-provider'

const Position = z.object({
  position_type: z.string().nullish(),
  head_sha: z.string().nullish(),
  old_path: z.string().nullish(),
  new_path: z.string().nullish(),
  old_line: z.number().nullish(),
  new_line: z.number().nullish(),
  line_range: z
    .object({
      start: z.object({ old_line: z.number().nullish(), new_line: z.number().nullish() }).nullish(),
      end: z.object({ old_line: z.number().nullish(), new_line: z.number().nullish() }).nullish()
    })
    .nullish()
})

const Note = z.object({
  id: z.number(),
  type: z.string().nullish(),
  body: z.string(),
  author: z.object({ username: z.string() }).nullish(),
  created_at: z.string(),
  system: z.boolean().nullish(),
  resolvable: z.boolean().nullish(),
  resolved: z.boolean().nullish(),
  position: Position.nullish()
})

/** A merge request discussion, with the documented fields Skein reads (https://docs.gitlab.com/api/discussions/). */
export const Discussion = z.object({ id: z.string(), individual_note: z.boolean().nullish(), notes: z.array(Note).nullish() })
/** A merge request discussion. */
export type Discussion = z.infer<typeof Discussion>

/**
 * The discussions that are on lines of the diff (their first note is a DiffNote with a text position) as
 * review threads. GitLab does not say a discussion is outdated: its position names the head it was made
 * on, and Skein re-finds the lines from there.
 */
export function threadsFromDiscussions(discussions: readonly Discussion[], webUrl: string): ServiceThread[] {
  const out: ServiceThread[] = []
  for (const d of discussions) {
    const notes = (d.notes ?? []).filter((n) => !n.system)
    const first = notes[0]
    const pos = first?.position
    if (!first || !pos || (pos.position_type && pos.position_type !== 'text')) continue
    const right = pos.new_line != null
    const line = right ? pos.new_line! : (pos.old_line ?? null)
    const start = right ? pos.line_range?.start?.new_line : pos.line_range?.start?.old_line
    const resolvable = notes.some((n) => n.resolvable)
    out.push({
      id: d.id,
      path: (right ? pos.new_path : pos.old_path) ?? pos.new_path ?? pos.old_path ?? '',
      line,
      startLine: start != null && line !== null && start < line ? start : null,
      side: right ? 'right' : 'left',
      commit: pos.head_sha ?? null,
      outdated: false,
      resolved: resolvable && notes.filter((n) => n.resolvable).every((n) => n.resolved),
      resolvable,
      comments: notes.map((n) => ({
        id: String(n.id),
        author: n.author?.username ?? 'ghost',
        body: n.body,
        createdAt: Date.parse(n.created_at)
      })),
      url: `${webUrl}#note_${first.id}`
    })
  }
  return out
}
