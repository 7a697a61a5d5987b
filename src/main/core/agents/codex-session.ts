import { randomBytes } from 'node:crypto'
import { homedir } from 'node:os'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { SessionPoint } from '../../../shared/checkpoints'
import { appError, ErrorCode } from '../../../shared/errors'
import { err, ok, type Result } from '../../../shared/result'
import { obj, parseRecord, str } from '../handoff/import-types'
import { forEachLine } from '../handoff/jsonl-reader'
import { findSession } from '../handoff/session-discovery'
import type { ForkLaunch } from './claude-session'
import { copyLinesThrough, DAY_MS, dayDirs, sessionDirs, type SessionEnv } from './session-files'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The rollout file of a Codex session, or null. Codex's ids are time-ordered (UUID v7), so the day
 * folders around the id's time are looked in first; then every rollout, as the handoff does.
 */
export async function codexSessionFile(sessionId: string, env: SessionEnv): Promise<string | null> {
  if (!UUID.test(sessionId)) return null
  if (sessionId[14] === '7') {
    const ms = parseInt(sessionId.slice(0, 8) + sessionId.slice(9, 13), 16)
    for (const day of dayDirs(sessionDirs(env).codex, ms - DAY_MS, ms + DAY_MS)) {
      const name = (await readdir(day).catch(() => [])).find((n) => n.startsWith('rollout-') && n.endsWith(`-${sessionId}.jsonl`))
      if (name) return join(day, name)
    }
  }
  const found = await findSession({ home: env.HOME || homedir(), env, sources: ['codex'] }, 'codex', sessionId)
  return found?.path ?? null
}

/** True for the record that ends a Codex turn: `task_complete`, or `turn_aborted` when the person interrupted it. */
function endsTurn(line: string): boolean {
  if (!line.includes('"task_complete"') && !line.includes('"turn_aborted"')) return false
  const r = parseRecord(line)
  const type = obj(r?.payload)?.type
  return r?.type === 'event_msg' && (type === 'task_complete' || type === 'turn_aborted')
}

/**
 * Where a Codex session stands: how many turns its rollout holds that have ended, as a string
 * ("2"), or null when none has and the rollout is not itself a fork (whose history lives in the
 * rollout it forked, so even "0" keeps that history).
 */
export async function codexPoint(path: string): Promise<string | null> {
  let turns = 0
  let forked = false
  let first = true
  await forEachLine(path, (line) => {
    if (first) forked = Boolean(str(obj(parseRecord(line)?.payload)?.forked_from_id))
    first = false
    if (endsTurn(line)) turns++
  })
  return turns > 0 || forked ? String(turns) : null
}

/**
 * A fork of a Codex session after its first `point.at` turns. `codex fork <id>` (0.171) forks a
 * whole session only, so Skein writes the rollout's lines up to the end of that turn as a new
 * rollout under a new id, where Codex keeps its sessions, and resumes that: `codex resume <new id>`.
 * The copy carries the new id wherever the old one is a whole value, and its header names `cwd`
 * (where the fork runs) as the session's folder: resumed elsewhere than that folder, Codex would
 * first ask which one to use. The turns keep the folder they ran in, so Codex tells the model of
 * the new one with the next turn. The original rollout is only read.
 */
export async function codexFork(point: SessionPoint, cwd: string, env: SessionEnv, now = new Date()): Promise<Result<ForkLaunch>> {
  if (point.at === null)
    return ok({
      args: [],
      sessionId: null,
      note: 'The Codex session had no finished turn at that point, so the fork starts a new, empty Codex session.'
    })
  const turns = Number(point.at)
  if (!Number.isInteger(turns) || turns < 0) return err(appError(ErrorCode.InvalidParams, `"${point.at}" is not a count of Codex turns.`))
  const file = await codexSessionFile(point.sessionId, env)
  if (!file)
    return err(
      appError(ErrorCode.SessionNotFound, `Codex session ${point.sessionId} is no longer on this computer, so it cannot be forked.`)
    )
  const id = uuidv7(now.getTime())
  const two = (n: number) => String(n).padStart(2, '0')
  const [y, m, d] = [String(now.getFullYear()), two(now.getMonth() + 1), two(now.getDate())]
  const stamp = `${y}-${m}-${d}T${two(now.getHours())}-${two(now.getMinutes())}-${two(now.getSeconds())}`
  const rollout = join(sessionDirs(env).codex, y, m, d, `rollout-${stamp}-${id}.jsonl`)
  let ended = 0
  // A fork that has no turn of its own yet is its first line: the header that points at the history it forked.
  const stop = turns === 0 ? () => true : (line: string) => endsTurn(line) && ++ended === turns
  try {
    if (!(await copyLinesThrough(file, rollout, stop, renamer(point.sessionId, id, cwd))))
      return err(appError(ErrorCode.SessionNotFound, `Codex session ${point.sessionId} no longer holds ${turns} finished turns.`))
  } catch (e) {
    return err(appError(ErrorCode.StorageFailed, `Could not copy Codex session ${point.sessionId} to fork it: ${(e as Error).message}`))
  }
  return ok({
    args: ['resume', id],
    sessionId: id,
    note:
      `Codex 0.171 forks only whole sessions, so Skein copied the first ${turns === 1 ? 'turn' : `${turns} turns`} of session ` +
      `${point.sessionId} into a new session ${id} and resumes that; the original session is not changed.`
  })
}

/** Rewrites rollout lines for a copy: the session id as a whole JSON string anywhere, and the header's folder. */
function renamer(fromId: string, toId: string, cwd: string): (line: string) => string {
  const id = [JSON.stringify(fromId), JSON.stringify(toId)] as const
  return (line) => {
    line = line.split(id[0]).join(id[1])
    const r = line.includes('"session_meta"') ? parseRecord(line) : null
    if (r?.type === 'session_meta') {
      const recorded = str(obj(r.payload)?.cwd)
      if (recorded && recorded !== cwd) line = line.split(JSON.stringify(recorded)).join(JSON.stringify(cwd))
    }
    return line
  }
}

/** A time-ordered UUID (version 7), the kind Codex gives its sessions. */
export function uuidv7(ms = Date.now()): string {
  const b = randomBytes(16)
  b.writeUIntBE(ms, 0, 6)
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** What a Codex launch says about its session: the id it resumes, or what to look for in the rollouts it writes. */
export function codexLaunch(resumeArgs: string[] | undefined): {
  sessionId: string | null
  discover: { forkedFrom: string | null } | null
} {
  if (!resumeArgs?.length) return { sessionId: null, discover: { forkedFrom: null } }
  const [command, target] = resumeArgs
  if (command === 'resume') return { sessionId: target && UUID.test(target) ? target : null, discover: null }
  if (command === 'fork' && target && UUID.test(target)) return { sessionId: null, discover: { forkedFrom: target } }
  // `resume --last`, a picker, a name: the session cannot be told from the arguments.
  return { sessionId: null, discover: null }
}
