import { randomUUID } from 'node:crypto'
import { access, readdir, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { SessionPoint } from '../../../shared/checkpoints'
import { appError, ErrorCode } from '../../../shared/errors'
import { err, ok, type Result } from '../../../shared/result'
import { userContent } from '../handoff/claude-records'
import { obj, parseRecord, str } from '../handoff/import-types'
import { forEachLine } from '../handoff/jsonl-reader'
import { copyLinesThrough, sessionDirs, type SessionEnv } from './session-files'

/** The arguments that start a CLI session forked from a point, its id when known, and what happens, for people. */
export interface ForkLaunch {
  args: string[]
  sessionId: string | null
  note: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// Claude Code reads the copy a fork starts from only while it starts; a day covers any slow start.
const SCRATCH_MAX_AGE_MS = 24 * 60 * 60 * 1000

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false
  )

/** The file of a Claude Code session: `<projects>/<cwd with every non-alphanumeric as '-'>/<id>.jsonl`, else any project's. */
export async function claudeSessionFile(sessionId: string, cwd: string, env: SessionEnv): Promise<string | null> {
  if (!UUID.test(sessionId)) return null
  const root = sessionDirs(env).claude
  const name = `${sessionId}.jsonl`
  const guess = join(root, cwd.replace(/[^a-zA-Z0-9]/g, '-'), name)
  if (await exists(guess)) return guess
  // Long folder names are shortened by Claude Code, and the session may have run elsewhere.
  for (const d of await readdir(root, { withFileTypes: true }).catch(() => []))
    if (d.isDirectory() && (await exists(join(root, d.name, name)))) return join(root, d.name, name)
  return null
}

/**
 * Where a Claude Code session stands: the uuid of the model's last reply of its last complete turn
 * (no tool call left open), or null before a turn completed. A reply completes its turn when it
 * stopped on its own (stop_reason end_turn), or when the CLI closed the turn (a turn_duration
 * record, or the person's next prompt). This is the id `--resume-session-at` takes.
 */
export async function claudePoint(path: string): Promise<string | null> {
  let at: string | null = null
  let reply: string | null = null
  await forEachLine(path, (line) => {
    const r = parseRecord(line)
    if (!r || r.isSidechain === true) return
    const uuid = str(r.uuid)
    if (r.type === 'assistant' && uuid && r.isApiErrorMessage !== true) {
      const message = obj(r.message)
      const calls = Array.isArray(message?.content) && message.content.some((b) => obj(b)?.type === 'tool_use')
      reply = calls ? null : uuid
      if (reply && (message?.stop_reason === 'end_turn' || message?.stop_reason === 'stop_sequence')) at = reply
    } else if ((r.type === 'system' && r.subtype === 'turn_duration') || (r.type === 'user' && userContent(r).kind === 'prompt')) {
      at = reply ?? at
      reply = null
    }
  })
  return at
}

/**
 * A fork of a Claude Code session at `point`. Claude Code 2.1's `--resume-session-at` cuts a
 * resumed session at a message only in print mode (interactive sessions ignore it), so Skein
 * copies the session up to that message into `scratchDir` and has the CLI fork the copy:
 * `claude --session-id <new> --fork-session --resume <copy>`. The new session gets its own id and
 * file; the original file is only read.
 */
export async function claudeFork(point: SessionPoint, cwd: string, env: SessionEnv, scratchDir: string): Promise<Result<ForkLaunch>> {
  const sessionId = randomUUID()
  if (point.at === null)
    return ok({
      args: ['--session-id', sessionId],
      sessionId,
      note: 'The Claude Code session had no finished turn at that point, so the fork starts a new, empty Claude Code session.'
    })
  const file = await claudeSessionFile(point.sessionId, cwd, env)
  if (!file)
    return err(
      appError(ErrorCode.SessionNotFound, `Claude Code session ${point.sessionId} is no longer on this computer, so it cannot be forked.`)
    )
  await pruneScratch(scratchDir)
  const at = point.at
  // Named like the original, so anything Claude Code keeps next to a session under its id is still found.
  const copy = join(scratchDir, sessionId, basename(file))
  try {
    if (!(await copyLinesThrough(file, copy, (line) => line.includes(at) && parseRecord(line)?.uuid === at)))
      return err(
        appError(
          ErrorCode.SessionNotFound,
          `Claude Code session ${point.sessionId} no longer holds message ${at}, so it cannot be forked there.`
        )
      )
  } catch (e) {
    return err(
      appError(ErrorCode.StorageFailed, `Could not copy Claude Code session ${point.sessionId} to fork it: ${(e as Error).message}`)
    )
  }
  return ok({
    args: ['--session-id', sessionId, '--fork-session', '--resume', copy],
    sessionId,
    note:
      `Claude Code continues a copy of session ${point.sessionId} that ends at that point, as the new session ${sessionId}; ` +
      'the original session is not changed.'
  })
}

/** Removes fork copies older than a day: Claude Code has long read them. Best effort. */
async function pruneScratch(dir: string): Promise<void> {
  const now = Date.now()
  for (const d of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, d.name)
    const s = await stat(path).catch(() => null)
    if (s && now - s.mtimeMs > SCRATCH_MAX_AGE_MS) await rm(path, { recursive: true, force: true }).catch(() => undefined)
  }
}

/**
 * What a Claude Code launch runs and which session it is. A new session is named with
 * `--session-id`; a resume is the session it names; a fork (`--fork-session`) gets a `--session-id`
 * when it has none. Null for a launch whose session cannot be told from its arguments (`--continue`).
 */
export function claudeLaunch(resumeArgs: string[] | undefined): {
  leadArgs: string[]
  resumeArgs: string[] | null
  sessionId: string | null
} {
  if (!resumeArgs) {
    const id = randomUUID()
    return { leadArgs: ['--session-id', id], resumeArgs: null, sessionId: id }
  }
  const named = valueOf(resumeArgs, '--session-id')
  if (named) return { leadArgs: [], resumeArgs, sessionId: named }
  if (resumeArgs.includes('--fork-session')) {
    const id = randomUUID()
    return { leadArgs: [], resumeArgs: ['--session-id', id, ...resumeArgs], sessionId: id }
  }
  const resumed = valueOf(resumeArgs, '--resume') ?? valueOf(resumeArgs, '-r')
  return { leadArgs: [], resumeArgs, sessionId: resumed && UUID.test(resumed) ? resumed : null }
}

function valueOf(args: string[], flag: string): string | null {
  const i = args.indexOf(flag)
  const next = i >= 0 ? args[i + 1] : undefined
  if (next !== undefined && !next.startsWith('-')) return next
  const joined = args.find((a) => a.startsWith(`${flag}=`))
  return joined ? joined.slice(flag.length + 1) : null
}
