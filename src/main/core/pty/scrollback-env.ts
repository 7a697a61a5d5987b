import type { Logger } from '../logger'

/** SKEIN_SCROLLBACK_CHARS sets how much output each terminal keeps (default about 2 MB). */
export function scrollbackFromEnv(logger: Logger): number | undefined {
  const raw = process.env.SKEIN_SCROLLBACK_CHARS
  if (!raw) return undefined
  const n = Number(raw)
  if (Number.isInteger(n) && n >= 10_000 && n <= 256 * 1024 * 1024) return n
  logger.warn(`Ignoring SKEIN_SCROLLBACK_CHARS=${raw}: use a whole number of characters from 10000 to 268435456.`)
  return undefined
}
