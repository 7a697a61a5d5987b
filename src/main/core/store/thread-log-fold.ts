import { stat } from 'node:fs/promises'
import type { Repo } from '../../../shared/models'
import type { Logger } from '../logger'
import { scanLines } from './log-lines'
import { foldThread, type ThreadEvent } from './thread-events'
import type { IndexEntry } from './thread-index-file'

// Thread events are the only lines that hold it (an item's `threadId` has no dot); a text that happens to is parsed and dropped.
const MARK = Buffer.from('"thread.')
const OPEN_BRACE = 0x7b

/**
 * A thread's index entry folded from its log, streamed: only the thread's own events are parsed, so a log of
 * gigabytes of transcript costs one pass and no more memory than its longest line. Null when the log has no
 * readable creation event; throws what reading the file threw.
 */
export async function foldThreadLog(path: string, logger: Logger): Promise<IndexEntry | null> {
  const { folded, size, torn } = await foldStreamed(path, logger)
  if (!folded) return null
  return torn ? { thread: folded.thread, logSize: size, tornTail: true } : { thread: folded.thread, logSize: size }
}

/** The repositories thread logs record at their creation (how a lost repos.json is recovered), streamed likewise. */
export async function reposOfLogs(paths: readonly string[], logger: Logger): Promise<Repo[]> {
  const repos = new Map<string, Repo>()
  for (const path of paths) {
    const repo = (await foldStreamed(path, logger).catch(() => null))?.folded?.repo
    if (repo) repos.set(repo.id, repo)
  }
  return [...repos.values()]
}

async function foldStreamed(path: string, logger: Logger): Promise<{ folded: ReturnType<typeof foldThread>; size: number; torn: boolean }> {
  const events: ThreadEvent[] = []
  let line = 0
  const corrupt = () => logger.warn(`Skipped corrupt line ${line} in ${path}; the rest of the log is intact.`)
  const { end } = await scanLines(path, 0, ({ bytes }) => {
    line++
    // Other events are not parsed; one that does not even start as an object is still reported.
    if (bytes.indexOf(MARK) < 0) return void (bytes.length > 0 && bytes[0] !== OPEN_BRACE && corrupt())
    try {
      const e = JSON.parse(bytes.toString('utf8')) as ThreadEvent
      if (e && (e.type === 'thread.created' || e.type === 'thread.changed')) events.push(e)
    } catch {
      corrupt()
    }
  })
  const size = (await stat(path)).size
  // What follows the last newline is a torn write: its event is lost, and the next append starts a fresh line.
  if (size > end) logger.warn(`Skipped the torn last line of ${path}; the rest of the log is intact.`)
  return { folded: foldThread(events), size, torn: size > end }
}
