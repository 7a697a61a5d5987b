import { existsSync } from 'node:fs'
import { appError, ErrorCode } from '../../../shared/errors'
import type { ProfileId, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { planCliLaunch, type CliLaunch } from '../agents/cli-session'
import type { ProfileService } from '../agents/profile-service'
import type { SandboxService } from '../sandbox/sandbox-service'
import type { SandboxLevel } from '../sandbox/sandbox-types'

/** What opening a terminal asks for. */
export interface OpenPtyOptions {
  kind: 'agent' | 'shell' | 'run'
  /** Run this program instead of a profile's (the run command, an environment's setup script), under this tab title. */
  command?: { file: string; args: string[]; display: string; title: string }
  /** For kind 'run': the URL it serves, when known before it prints one. */
  url?: string | null
  profileId?: ProfileId
  prompt?: string
  cols: number
  rows: number
  /** Run the profile's program with these arguments in this folder instead (e.g. `claude --resume <id>`). */
  resume?: { args: string[]; cwd: string }
  /** Run it inside the OS sandbox at this level (the built-in agent's shell). */
  sandbox?: SandboxLevel
  /** Extra environment for this terminal. */
  env?: Record<string, string>
}

/** Where a terminal can start: the folder, once the thread is known to allow one; else why not. */
export function launchFolder(thread: Thread, o: OpenPtyOptions): Result<string> {
  if (thread.status === 'archived')
    return err(appError(ErrorCode.InvalidThreadState, `"${thread.title}" is archived. Restore it to open a terminal.`))
  if (thread.mode === 'worktree' && !thread.branch) {
    return err(
      appError(ErrorCode.WorktreeMissing, `"${thread.title}" has no worktree (${thread.statusMessage ?? 'it was never created'}).`)
    )
  }
  const cwd = o.resume?.cwd ?? thread.worktreePath
  if (!existsSync(cwd)) {
    return err(
      appError(
        ErrorCode.WorktreeMissing,
        `The folder ${cwd} does not exist any more, so no terminal can start there.${o.resume ? '' : ' Restore the thread to recreate its worktree.'}`
      )
    )
  }
  return ok(cwd)
}

/** The program a terminal runs: the profile's (or the given command), wrapped in the sandbox when asked. */
export interface LaunchCommand {
  profileId: ProfileId
  /** The command line as shown to the person. */
  display: string
  command: { file: string; args: string[] }
  /** The sandbox's own environment for the terminal. */
  sandboxEnv: Record<string, string>
  /** Cleans up after the sandbox (its private temp folder) once the session ends. */
  onEnd: (() => Promise<void>) | null
  /** A CLI agent's session as far as its launch tells (Claude Code, Codex); null for others. */
  cli: CliLaunch | null
}

/** Plans what a terminal runs; an unusable profile or a sandbox that cannot start is an error, and nothing runs. */
export async function launchCommand(
  deps: { profiles: ProfileService; sandbox?: SandboxService },
  thread: Thread,
  o: OpenPtyOptions
): Promise<Result<LaunchCommand>> {
  const profileId: ProfileId = o.kind !== 'agent' ? 'shell' : (o.profileId ?? deps.profiles.defaultFor(thread.repoId))
  const cli = o.kind === 'agent' && !o.command ? planCliLaunch(profileId, o.resume?.args) : null
  const plan = o.command
    ? ok({ file: o.command.file, args: o.command.args, display: o.command.display })
    : await deps.profiles.plan(
        profileId,
        o.resume
          ? { repoId: thread.repoId, args: cli?.resumeArgs ?? o.resume.args }
          : { repoId: thread.repoId, prompt: o.prompt, leadArgs: cli?.leadArgs }
      )
  if (!plan.ok) return plan
  const command = { file: plan.value.file, args: plan.value.args }
  if (!o.sandbox) return ok({ profileId, display: plan.value.display, command, sandboxEnv: {}, onEnd: null, cli })
  const wrapped = deps.sandbox
    ? await deps.sandbox.wrap(thread, o.sandbox, command)
    : { ok: false as const, reason: 'this core has no sandbox service' }
  if (!wrapped.ok)
    return err(
      appError(ErrorCode.PtySpawnFailed, `The ${o.sandbox} sandbox could not start, so the command did not run: ${wrapped.reason}.`)
    )
  return ok({
    profileId,
    display: plan.value.display,
    command: { file: wrapped.value.file, args: wrapped.value.args },
    sandboxEnv: wrapped.value.env,
    onEnd: wrapped.value.dispose,
    cli
  })
}
