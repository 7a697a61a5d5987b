import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SessionPoint } from '../../../shared/checkpoints'
import type { AgentActivity, AgentState, ProfileId, PtyInfo } from '../../../shared/models'
import type { Result } from '../../../shared/result'
import { claudeFork, claudeLaunch, claudePoint, claudeSessionFile, type ForkLaunch } from './claude-session'
import { codexFork, codexLaunch, codexPoint, codexSessionFile } from './codex-session'
import { RolloutWatch } from './codex-rollout-watch'
import type { SessionEnv } from './session-files'

export type { ForkLaunch } from './claude-session'
export type { SessionEnv } from './session-files'

/** A CLI agent's own session: Claude Code's session id, or Codex's rollout id. */
export type CliSession = NonNullable<AgentState['session']>

/** What Skein knows of a CLI agent's session when it launches it. */
export interface CliLaunch {
  source: CliSession['source']
  /** Arguments right after the program, before a first prompt (a new Claude Code session's `--session-id`). */
  leadArgs: string[]
  /** The resume arguments to run instead of the ones given (a Claude Code fork gets a `--session-id`); null: as given. */
  resumeArgs: string[] | null
  /** The session's id when the arguments tell it. */
  sessionId: string | null
  /** Otherwise, for Codex: look for the rollout it writes (forked from this session for `codex fork`); null: unknown. */
  discover: { forkedFrom: string | null } | null
}

/**
 * How Skein launches a profile's CLI so that it knows the session: a new Claude Code session is
 * named with `--session-id`; resumes and forks are known from their arguments; a new Codex session
 * is found from its rollout. Null for profiles without sessions (shell, custom).
 */
export function planCliLaunch(profileId: ProfileId, resumeArgs?: string[]): CliLaunch | null {
  if (profileId === 'claude') return { source: 'claude', discover: null, ...claudeLaunch(resumeArgs) }
  if (profileId === 'codex') return { source: 'codex', leadArgs: [], resumeArgs: null, ...codexLaunch(resumeArgs) }
  return null
}

/** A launched CLI's session as far as it is known, followed until found (Codex) and stopped when the terminal ends. */
export class CliSessionTracker {
  private current: CliSession | null
  private readonly watch: RolloutWatch | null

  /** Starts following `launch`, run in `cwd` with `env` from `startedAt`; `onFound` tells of a session found later. */
  constructor(launch: CliLaunch, where: { cwd: string; env: SessionEnv; startedAt: number; pollMs?: number }, onFound: () => void) {
    this.current = launch.sessionId ? { source: launch.source, sessionId: launch.sessionId } : null
    this.watch =
      !this.current && launch.source === 'codex' && launch.discover
        ? new RolloutWatch({ ...where, since: where.startedAt, forkedFrom: launch.discover.forkedFrom }, (sessionId) => {
            this.current = { source: 'codex', sessionId }
            onFound()
          })
        : null
  }

  /** The session, once known. */
  get session(): CliSession | null {
    return this.current
  }

  /** The terminal ended: a last look for the session, then no more watching. */
  async stop(): Promise<void> {
    await this.watch?.stop()
  }
}

/** A terminal's agent state for the thread, with its CLI session when it has one (still 'running' before any output). */
export function agentStateOf(
  info: PtyInfo,
  activity: AgentActivity | null | undefined,
  cli: CliSessionTracker | null,
  exitCode: number | null = null
): AgentState {
  const state: AgentState = { ptyId: info.id, profileId: info.profileId, activity: activity ?? 'running', exitCode }
  return cli ? { ...state, session: cli.session } : state
}

/** Where `sessionPoint` and `forkLaunch` look: the CLIs' homes (HOME, CLAUDE_CONFIG_DIR, CODEX_HOME) and Skein's scratch folder. */
export interface ForkOptions {
  env?: SessionEnv
  /** Where a Claude Code fork's starting copy is written (kept a day). Default: `<tmp>/skein-claude-forks-<uid>`. */
  scratchDir?: string
}

/**
 * Where a CLI session stands now, read from its file: for Claude Code the uuid of the last reply of
 * its last finished turn (what `--resume-session-at` takes), for Codex the number of finished turns.
 * `at` is null before the first turn finished; the whole result is null when the file is not found.
 */
export async function sessionPoint(session: CliSession, cwd: string, env: SessionEnv = process.env): Promise<SessionPoint | null> {
  try {
    const file =
      session.source === 'claude' ? await claudeSessionFile(session.sessionId, cwd, env) : await codexSessionFile(session.sessionId, env)
    if (!file) return null
    const at = session.source === 'claude' ? await claudePoint(file) : await codexPoint(file)
    return { source: session.source, sessionId: session.sessionId, at }
  } catch {
    return null
  }
}

/**
 * The arguments (for `OpenPtyOptions.resume = { args, cwd }` with the profile of `point.source`) that
 * start, in `cwd` (the fork's folder: the new thread's worktree, or the original's), a new session
 * continuing `point`'s history up to that point; its id when known, and a note for people. The
 * original session is found wherever it ran, and its file is never written.
 */
export function forkLaunch(point: SessionPoint, cwd: string, options: ForkOptions = {}): Promise<Result<ForkLaunch>> {
  const env = options.env ?? process.env
  return point.source === 'claude'
    ? claudeFork(point, cwd, env, options.scratchDir ?? join(tmpdir(), `skein-claude-forks-${process.getuid?.() ?? 'user'}`))
    : codexFork(point, cwd, env)
}
