import { open, readFile } from 'node:fs/promises'
import type { Logger } from '../logger'

/** What reading a log found: the parsed events and whether its tail was torn. */
export interface LogContents<E> {
  events: E[]
  /** Bytes read; the index stores it to spot logs that changed since. */
  size: number
  /** The file does not end in a newline: the next append must start a fresh line. */
  tornTail: boolean
  skipped: number
}

/**
 * Reads an append-only JSONL log. A torn last line is ignored and a corrupt line is skipped,
 * each with a warning, so one bad write never loses the rest.
 */
export async function readEventLog<E>(path: string, logger: Logger): Promise<LogContents<E>> {
  const buf = await readFile(path)
  const text = buf.toString('utf8')
  const lines = text.split('\n')
  const tornTail = text.length > 0 && !text.endsWith('\n')
  const events: E[] = []
  let skipped = 0
  lines.forEach((line, i) => {
    if (!line.trim()) return
    try {
      const value = JSON.parse(line)
      if (value && typeof value === 'object') events.push(value as E)
      else throw new Error('not an object')
    } catch {
      skipped++
      const where = i === lines.length - 1 && tornTail ? 'torn last line' : `corrupt line ${i + 1}`
      logger.warn(`Skipped ${where} in ${path}; the rest of the log is intact.`)
    }
  })
  return { events, size: buf.length, tornTail, skipped }
}

/**
 * Appends one event as a line and flushes it to disk (unless `durable: false`, for a change the next
 * start would make again if it were lost). Returns the new file size.
 */
export async function appendEvent(path: string, event: unknown, options: { freshLine?: boolean; durable?: boolean } = {}): Promise<number> {
  const line = `${options.freshLine ? '\n' : ''}${JSON.stringify(event)}\n`
  const handle = await open(path, 'a', 0o600)
  try {
    await handle.write(line)
    if (options.durable !== false) await handle.datasync()
    return (await handle.stat()).size
  } finally {
    await handle.close()
  }
}
