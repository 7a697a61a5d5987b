import { z } from 'zod'
import { PtyInfo } from './models'

/** A thread's ports: `count` consecutive ports from `first`, exported as PORT and SKEIN_PORT_0…SKEIN_PORT_{count-1}. */
export const PortRange = z.object({ first: z.number().int(), count: z.number().int() })
/** A thread's ports. */
export type PortRange = z.infer<typeof PortRange>

/** How many ports each thread gets, and the span they are taken from. */
export const PortSettings = z.object({ count: z.number().int(), first: z.number().int(), last: z.number().int() })
/** How many ports each thread gets. */
export type PortSettings = z.infer<typeof PortSettings>

/** The most ports one thread may ask for. */
export const MAX_PORTS_PER_THREAD = 100

/**
 * A thread's run command (its dev server): a shell command run in the worktree with the thread's
 * ports in its environment, and optionally the URL it serves, as a template such as
 * `http://localhost:${PORT}/` (`$PORT`, `${PORT}` and `${SKEIN_PORT_N}` are replaced). Without a
 * URL, the first http(s) URL the command prints is shown.
 */
export const RunConfig = z.object({
  command: z.string().trim().min(1, 'A run command is required').max(4000),
  url: z.string().trim().max(2000).optional()
})
/** A thread's run command. */
export type RunConfig = z.infer<typeof RunConfig>

/** Where a thread's run command comes from. */
export const RunSource = z.enum(['environment', 'settings'])

/** Everything the thread view shows about its dev server and ports. */
export const RunStatus = z.object({
  config: RunConfig.nullable(),
  source: RunSource.nullable(),
  ports: PortRange.nullable(),
  /** The latest run of the command (running, or ended with its output kept); null when it never ran. */
  pty: PtyInfo.nullable()
})
/** Everything the thread view shows about its dev server and ports. */
export type RunStatus = z.infer<typeof RunStatus>

/** The environment variables a range is exported as: PORT, SKEIN_PORT, SKEIN_PORT_COUNT and SKEIN_PORT_0…N-1. */
export function portEnv(range: PortRange | null): Record<string, string> {
  if (!range) return {}
  const env: Record<string, string> = { PORT: String(range.first), SKEIN_PORT: String(range.first), SKEIN_PORT_COUNT: String(range.count) }
  for (let i = 0; i < range.count; i++) env[`SKEIN_PORT_${i}`] = String(range.first + i)
  return env
}

/** "3100–3109", or "3100" for a range of one. */
export function portRangeText(range: PortRange): string {
  return range.count > 1 ? `${range.first}–${range.first + range.count - 1}` : String(range.first)
}
