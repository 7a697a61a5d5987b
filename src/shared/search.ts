import { z } from 'zod'
import { ProfileId, ThreadStatus } from './models'

/** Marks the start of a match inside a search snippet (a control character never indexed). */
export const MATCH_START = '\u0002'
/** Marks the end of a match inside a search snippet. */
export const MATCH_END = '\u0003'
/** The longest query accepted, in characters. */
export const MAX_QUERY_CHARS = 1000

/** What a search result matched: an item of the conversation, or the thread's title. */
export const SearchHitKind = z.enum(['user', 'assistant', 'tool', 'approval', 'notice', 'error', 'title'])
/** What a search result matched. */
export type SearchHitKind = z.infer<typeof SearchHitKind>

/** Which agent a thread runs: a CLI profile, or the built-in agent. */
export const SearchAgent = z.union([ProfileId, z.literal('builtin')])
/** Which agent a thread runs. */
export type SearchAgent = z.infer<typeof SearchAgent>

const time = z.number().int().min(0).max(8.64e15)

/** `search/query` params: words ("exact phrase", prefix*), and filters on the thread and the item's time. */
export const SearchParams = z.object({
  query: z
    .string()
    .max(MAX_QUERY_CHARS, `A search is at most ${MAX_QUERY_CHARS} characters`)
    .refine((q) => !q.includes('\u0000'), 'A search cannot contain NUL characters'),
  repoId: z.string().max(200).optional(),
  status: ThreadStatus.optional(),
  profileId: SearchAgent.optional(),
  /** Only items created at or after this time (ms since the epoch). */
  since: time.optional(),
  /** Only items created before this time (ms since the epoch). */
  until: time.optional(),
  limit: z.number().int().min(1).max(200).default(30),
  /** From a previous page's `nextCursor`. */
  cursor: z
    .string()
    .regex(/^[0-9]{1,7}$/, 'Not a cursor from a previous search')
    .optional()
})

/** One match: the thread and item to open, and a snippet with MATCH_START/MATCH_END around the matched words. */
export const SearchResult = z.object({
  threadId: z.string(),
  /** null for a match on the thread's title. */
  itemId: z.string().nullable(),
  kind: SearchHitKind,
  snippet: z.string(),
  createdAt: z.number(),
  threadTitle: z.string(),
  repoId: z.string()
})
/** One search match. */
export type SearchResult = z.infer<typeof SearchResult>

/** What the index is doing: serving, building from the logs (results may be partial), or unusable and why. */
export const SearchState = z.object({
  state: z.enum(['ready', 'rebuilding', 'unavailable']),
  /** Why it is rebuilding or unavailable, in a sentence to show; null when ready. */
  message: z.string().nullable(),
  /** Threads and items indexed: counted for `search/status`, as of the last open or build elsewhere. */
  threads: z.number(),
  items: z.number()
})
/** What the index is doing. */
export type SearchState = z.infer<typeof SearchState>

/** `search/query` result: best matches first (bm25) when at most 1,000 match, else the newest matches first; a cursor when there are more. */
export const SearchPage = z.object({
  results: z.array(SearchResult),
  nextCursor: z.string().nullable(),
  index: SearchState
})
/** A page of search results. */
export type SearchPage = z.infer<typeof SearchPage>

/** Splits a snippet into plain and matched parts, for display. */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  const out: { text: string; match: boolean }[] = []
  let match = false
  for (const piece of snippet.split(/([\u0002\u0003])/)) {
    if (piece === MATCH_START) match = true
    else if (piece === MATCH_END) match = false
    else if (piece) out.push({ text: piece, match })
  }
  return out
}
