import { createReadStream } from 'node:fs'
import { mkdir, open, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { sessionRoots } from '../handoff/session-discovery'

/** The environment that says where the CLIs keep their sessions: HOME, CLAUDE_CONFIG_DIR, CODEX_HOME. */
export type SessionEnv = Record<string, string | undefined>

/** The folders Claude Code (`projects`) and Codex (`sessions`) keep sessions in, for this environment. */
export function sessionDirs(env: SessionEnv): { claude: string; codex: string } {
  return sessionRoots(env.HOME || homedir(), env)
}

/** A day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000

/** Codex's day folders (`YYYY/MM/DD`, local dates) under `sessions` from `from` to `to` (epoch ms). */
export function dayDirs(sessions: string, from: number, to: number): string[] {
  const two = (n: number) => String(n).padStart(2, '0')
  const dirs = new Set<string>()
  for (let t = from; t < to + DAY_MS; t += DAY_MS) {
    const d = new Date(Math.min(t, to))
    dirs.add(join(sessions, String(d.getFullYear()), two(d.getMonth() + 1), two(d.getDate())))
  }
  return [...dirs]
}

/**
 * Copies a JSONL file line by line into a new file (never overwriting one), up to and including the
 * first line `stop` accepts, each line passed through `map`. Streams, so a large session is never read
 * whole. Returns false, leaving no file behind, when no line was accepted.
 */
export async function copyLinesThrough(
  src: string,
  dst: string,
  stop: (line: string) => boolean,
  map: (line: string) => string = (l) => l
): Promise<boolean> {
  // Session text is private: folders this makes are the user's alone, as the file is.
  await mkdir(dirname(dst), { recursive: true, mode: 0o700 })
  const out = await open(dst, 'wx', 0o600)
  const input = createReadStream(src)
  let found = false
  try {
    const lines = createInterface({ input, crlfDelay: Infinity })
    for await (const line of lines) {
      if (!line.trim()) continue
      await out.write(`${map(line)}\n`)
      if (stop(line)) {
        found = true
        lines.close()
        break
      }
    }
  } finally {
    input.destroy()
    await out.close()
    if (!found) await rm(dst, { force: true })
  }
  return found
}
