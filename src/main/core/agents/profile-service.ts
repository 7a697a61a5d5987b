import { execFile } from 'node:child_process'
import { appError, ErrorCode } from '../../../shared/errors'
import type { AgentProfile, ProfileId } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { SettingsStore } from '../store/settings-store'
import { formatCommandLine } from './command-line'
import { findExecutable } from './command-lookup'
import { defaultShell, PROFILES } from './profiles'

/** A profile ready to spawn: the resolved executable, its argv, and whether it was given the prompt. */
export interface LaunchPlan {
  profileId: ProfileId
  file: string
  args: string[]
  display: string
  /** False when a prompt was asked for but the profile does not take one (a shell, or a custom command not marked so). */
  promptGiven: boolean
}

/**
 * Agent profiles: which CLIs exist on this machine, the defaults set globally and per
 * repository, and the exact command a session runs. Never hands out a command that is missing.
 */
export class ProfileService {
  private pathPromise: Promise<string | undefined> | null = null

  constructor(
    private readonly settings: SettingsStore,
    private readonly env: NodeJS.ProcessEnv = process.env
  ) {}

  /** Every profile with whether it can run, plus the default for the repository. */
  async list(repoId?: string): Promise<{ profiles: AgentProfile[]; defaultProfile: ProfileId }> {
    const eff = this.settings.effective(repoId)
    const profiles = await Promise.all(
      (Object.keys(PROFILES) as ProfileId[]).map(async (id): Promise<AgentProfile> => {
        const plan = await this.plan(id, { repoId })
        const def = PROFILES[id]
        const argv = def.argv({ customCommand: eff.customCommand, shell: this.shell() })
        return {
          id,
          label: def.label,
          command: argv ? formatCommandLine(argv) : '',
          available: plan.ok,
          problem: plan.ok ? null : plan.error.message,
          acceptsPrompt: this.acceptsPrompt(id, repoId)
        }
      })
    )
    return { profiles, defaultProfile: eff.defaultProfile }
  }

  /** Sets the default profile and/or custom command, globally or for one repository. */
  async configure(
    repoId: string | undefined,
    patch: { defaultProfile?: ProfileId; customCommand?: string | null; customAcceptsPrompt?: boolean }
  ) {
    const saved = await this.settings.update(repoId, patch)
    if (!saved.ok) return saved
    return ok(await this.list(repoId))
  }

  /** Whether a profile may be given review comments, CI failures and first prompts in a repository. */
  acceptsPrompt(profileId: ProfileId, repoId?: string): boolean {
    return profileId === 'custom' ? this.settings.effective(repoId).customAcceptsPrompt : PROFILES[profileId].acceptsPrompt
  }

  /** The default profile for a repository. */
  defaultFor(repoId?: string): ProfileId {
    return this.settings.effective(repoId).defaultProfile
  }

  /** The environment sessions run with: the core's, with PATH from the login shell when the app was started from a GUI. */
  async sessionPath(): Promise<string | undefined> {
    this.pathPromise ??= this.resolvePath()
    return this.pathPromise
  }

  /** Resolves what to run for a profile; a clear ProfileUnavailable error when it cannot run. */
  async plan(
    profileId: ProfileId,
    options: { repoId?: string; prompt?: string; args?: string[]; leadArgs?: string[] }
  ): Promise<Result<LaunchPlan>> {
    const def = PROFILES[profileId]
    const eff = this.settings.effective(options.repoId)
    const promptGiven = options.prompt !== undefined && this.acceptsPrompt(profileId, options.repoId)
    const base = def.argv({ prompt: promptGiven ? options.prompt : undefined, customCommand: eff.customCommand, shell: this.shell() })
    // `args` runs the profile's program with other arguments (e.g. `claude --resume <id>`); `leadArgs` go before the prompt.
    const argv = base && options.args ? [base[0]!, ...options.args] : base && [base[0]!, ...(options.leadArgs ?? []), ...base.slice(1)]
    if (!argv || argv.length === 0) {
      return err(appError(ErrorCode.ProfileUnavailable, `The Custom profile has no command yet. ${def.installHint}`))
    }
    const [command, ...args] = argv as [string, ...string[]]
    const file = await findExecutable(command, { ...this.env, PATH: (await this.sessionPath()) ?? this.env.PATH })
    if (!file) {
      const what = profileId === 'custom' || profileId === 'shell' ? `\`${command}\`` : `${def.label} (\`${command}\`)`
      return err(
        appError(ErrorCode.ProfileUnavailable, `${what} is not installed or not on your PATH. ${def.installHint}`, { profileId, command })
      )
    }
    return ok({ profileId, file, args, display: formatCommandLine(argv), promptGiven: promptGiven || options.prompt === undefined })
  }

  private shell(): string {
    return defaultShell(this.env)
  }

  /** Apps started from the Dock or a desktop menu get a bare PATH; ask the login shell for the real one. */
  private resolvePath(): Promise<string | undefined> {
    if (!process.versions.electron || process.platform === 'win32') return Promise.resolve(this.env.PATH)
    return new Promise((resolve) => {
      execFile(this.shell(), ['-ilc', 'printf "%s" "$PATH"'], { timeout: 3000, env: this.env }, (error, stdout) => {
        resolve(!error && stdout.trim() ? stdout.trim() : this.env.PATH)
      })
    })
  }
}
