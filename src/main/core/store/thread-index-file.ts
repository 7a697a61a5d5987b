import { defaultConversation, type Thread } from '../../../shared/models'
import { DEFAULT_MODEL } from '../../../shared/pricing'
import { readFile } from 'node:fs/promises'
import type { Logger } from '../logger'
import { writeFileAtomic } from './atomic-write'
import type { DataDir } from './data-dir'
import { withDefaults } from './thread-events'
import { withoutForkCount } from './fork-links'

/** One thread in threads/index.json: its folded state and the log size it was folded from. */
export interface IndexEntry {
  thread: Thread
  /** The log's size when this entry was last written: a different size on disk means the entry is stale. */
  logSize: number
  /** The log ends mid-line (a torn write); the next append starts a fresh line. */
  tornTail?: boolean
}

/** threads/index.json. */
export interface IndexFile {
  version: 1
  threads: IndexEntry[]
}

/** The entries of an index file's text; throws when it is not one. */
export function parseIndex(text: string): IndexEntry[] {
  const parsed = JSON.parse(text) as IndexFile
  if (parsed?.version !== 1 || !Array.isArray(parsed.threads)) throw new Error('unexpected shape')
  // In place: the parsed objects are this function's own, and copying 100,000 of them doubles the start's garbage.
  return parsed.threads.filter((e) => {
    if (!e || !e.thread || typeof e.thread.id !== 'string' || typeof e.logSize !== 'number') return false
    e.thread = defaultsInPlace(e.thread)
    return true
  })
}

const CONVERSATION_KEYS = Object.keys(defaultConversation(DEFAULT_MODEL)) as (keyof Thread['conversation'])[]

/** withDefaults without the copies, for threads just parsed from the index (which the save wrote complete). */
function defaultsInPlace(t: Thread): Thread {
  const c = t.conversation as Partial<Thread['conversation']> | undefined
  if (t.agent === undefined || t.unread === undefined || t.imported === undefined || !c) return withDefaults(t)
  for (const k of CONVERSATION_KEYS) if (c[k] === undefined) return withDefaults(t)
  c.busy = false
  return t
}

/** The entries of an index file; null when it is missing (quietly) or cannot be read or parsed (with a warning). */
export async function readIndexFile(path: string, logger: Logger): Promise<IndexEntry[] | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      logger.warn(`Could not read ${path}: ${String(e)}; rebuilding it from the thread logs.`)
    return null
  }
  try {
    return parseIndex(text)
  } catch (e) {
    logger.warn(`The thread index ${path} is corrupt (${(e as Error).message}); rebuilding it from the thread logs.`)
    return null
  }
}

/**
 * Writes index.json with the live threads and, when `archivedToo`, archived.json with the archived ones: archived
 * first, so a crash between the two leaves both sets readable (the journal names the threads that moved).
 */
export async function writeIndexFiles(dir: DataDir, entries: Iterable<IndexEntry>, archivedToo: boolean): Promise<void> {
  const live: IndexEntry[] = []
  const archived: IndexEntry[] = []
  for (const e of entries) {
    // A thread's fork count is derived from the other threads at load; written, it could only go stale.
    const entry = e.thread.forkCount === undefined ? e : { ...e, thread: withoutForkCount(e.thread) }
    ;(e.thread.status === 'archived' ? archived : live).push(entry)
  }
  if (archivedToo) await writeFileAtomic(dir.archivedIndexFile, JSON.stringify({ version: 1, threads: archived } satisfies IndexFile))
  await writeFileAtomic(dir.indexFile, JSON.stringify({ version: 1, threads: live } satisfies IndexFile))
}
