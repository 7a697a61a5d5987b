import type { Logger } from '../logger'
import { scanLines } from './log-lines'

/**
 * Streams the events of a log whose line holds `marker` (bytes matched before parsing, so the other lines cost no
 * parse), in order, a chunk at a time: a log of any size is read without holding it. A corrupt line is skipped with a
 * warning; a missing log has no events.
 */
export async function scanEvents<E extends { type: string }>(
  path: string,
  marker: string,
  logger: Logger,
  onEvent: (e: E) => void
): Promise<void> {
  const needle = Buffer.from(marker)
  try {
    await scanLines(path, 0, ({ bytes, offset }) => {
      if (bytes.indexOf(needle) < 0) return
      try {
        const value = JSON.parse(bytes.toString('utf8')) as unknown
        if (value && typeof value === 'object' && typeof (value as E).type === 'string') onEvent(value as E)
      } catch {
        logger.warn(`Skipped a corrupt line at byte ${offset} of ${path}; the rest of the log is intact.`)
      }
    })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
    throw e
  }
}
