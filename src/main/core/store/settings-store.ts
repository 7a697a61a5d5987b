import { CheckpointSettings, DEFAULT_CHECKPOINT_SETTINGS } from '../../../shared/checkpoints'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ProfileId } from '../../../shared/models'
import { ProfileId as ProfileIdSchema } from '../../../shared/models'
import { CiProviderOverride as CiProviderOverrideSchema, type CiProviderOverride } from '../../../shared/ci'
import { err, ok, type Result } from '../../../shared/result'
import { MAX_PORTS_PER_THREAD, RunConfig as RunConfigSchema, type RunConfig } from '../../../shared/run'
import type { Logger } from '../logger'
import { writeFileAtomic } from './atomic-write'
import type { DataDir } from './data-dir'
import { storageError } from './fs-error'

/** Agent settings at one level: globally, or for one repository (unset fields inherit). */
export interface AgentSettings {
  defaultProfile?: ProfileId
  customCommand?: string | null
  /** The custom command takes review comments, CI failures and first prompts as typed input (default false). */
  customAcceptsPrompt?: boolean
}

/** A repository's CI settings: which service to read (when the remote does not say) and its local check commands. */
export interface CiSettings {
  override?: CiProviderOverride | null
  checks?: string[]
}

interface SettingsFile {
  version: 1
  agents: AgentSettings
  repos: Record<string, AgentSettings>
  ci?: Record<string, CiSettings>
  /** Per repository: an environment kept in Skein's settings (for checkouts whose files the person cannot change). */
  environments?: Record<string, unknown>
  /** Per repository: the disk budget in bytes (absent: none). */
  disk?: Record<string, { budgetBytes: number }>
  /** Run commands set in the app, per repository (the repository's own environment file comes first). */
  run?: Record<string, RunConfig>
  /** How many ports each thread gets. */
  portsPerThread?: number
  /** How many checkpoints a thread keeps, and for how long. */
  checkpoints?: CheckpointSettings
}

const cleanCi = (s: unknown): CiSettings => {
  const o = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>
  const out: CiSettings = {}
  const override = CiProviderOverrideSchema.safeParse(o.override)
  if (override.success) out.override = override.data
  if (Array.isArray(o.checks)) out.checks = o.checks.filter((c): c is string => typeof c === 'string' && c.trim() !== '')
  return out
}

const clean = (s: unknown): AgentSettings => {
  const o = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>
  const out: AgentSettings = {}
  const p = ProfileIdSchema.safeParse(o.defaultProfile)
  if (p.success) out.defaultProfile = p.data
  if (typeof o.customCommand === 'string' || o.customCommand === null) out.customCommand = o.customCommand as string | null
  if (typeof o.customAcceptsPrompt === 'boolean') out.customAcceptsPrompt = o.customAcceptsPrompt
  return out
}

const validPortCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_PORTS_PER_THREAD

/** settings.json: global and per-repository agent settings, written atomically. */
export class SettingsStore {
  private data: SettingsFile = { version: 1, agents: {}, repos: {} }

  private constructor(private readonly path: string) {}

  /** Loads settings.json; a corrupt file is reported and replaced by defaults on the next save. */
  static async open(dir: DataDir, logger: Logger): Promise<SettingsStore> {
    const store = new SettingsStore(join(dir.home, 'settings.json'))
    try {
      const parsed = JSON.parse(await readFile(store.path, 'utf8')) as Partial<SettingsFile>
      const repos: Record<string, AgentSettings> = {}
      for (const [id, v] of Object.entries(parsed.repos ?? {})) repos[id] = clean(v)
      const ci: Record<string, CiSettings> = {}
      for (const [id, v] of Object.entries(parsed.ci ?? {})) ci[id] = cleanCi(v)
      const environments =
        parsed.environments && typeof parsed.environments === 'object' ? (parsed.environments as Record<string, unknown>) : {}
      const disk: Record<string, { budgetBytes: number }> = {}
      for (const [id, v] of Object.entries(parsed.disk ?? {})) {
        const b = (v as { budgetBytes?: unknown } | null)?.budgetBytes
        if (typeof b === 'number' && Number.isFinite(b) && b > 0) disk[id] = { budgetBytes: b }
      }
      const run: Record<string, RunConfig> = {}
      for (const [id, v] of Object.entries(parsed.run ?? {})) {
        const c = RunConfigSchema.safeParse(v)
        if (c.success) run[id] = c.data
      }
      const perThread = parsed.portsPerThread
      const checkpoints = CheckpointSettings.safeParse(parsed.checkpoints)
      store.data = {
        version: 1,
        agents: clean(parsed.agents),
        repos,
        ci,
        environments,
        disk,
        run,
        ...(validPortCount(perThread) ? { portsPerThread: perThread } : {}),
        ...(checkpoints.success ? { checkpoints: checkpoints.data } : {})
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        logger.warn(`Could not read ${store.path} (${(e as Error).message}); using default settings.`)
    }
    return store
  }

  /** The effective settings for a repository (repo values over global ones). */
  effective(repoId?: string): { defaultProfile: ProfileId; customCommand: string | null; customAcceptsPrompt: boolean } {
    const repo = repoId ? this.data.repos[repoId] : undefined
    return {
      defaultProfile: repo?.defaultProfile ?? this.data.agents.defaultProfile ?? 'shell',
      customCommand: (repo?.customCommand !== undefined ? repo.customCommand : this.data.agents.customCommand) ?? null,
      customAcceptsPrompt: repo?.customAcceptsPrompt ?? this.data.agents.customAcceptsPrompt ?? false
    }
  }

  /** A repository's CI settings. */
  ci(repoId: string): CiSettings {
    return this.data.ci?.[repoId] ?? {}
  }

  /** Changes a repository's CI settings (null clears the provider override). */
  updateCi(repoId: string, patch: CiSettings): Promise<Result<void>> {
    const next: SettingsFile = structuredClone(this.data)
    const target = ((next.ci ??= {})[repoId] ??= {})
    if (patch.override !== undefined) target.override = patch.override
    if (patch.checks !== undefined) target.checks = patch.checks.map((c) => c.trim()).filter(Boolean)
    return this.save(next)
  }

  /** A repository's environment as stored in settings (unvalidated: the environment service checks it), or undefined. */
  environment(repoId: string): unknown {
    return this.data.environments?.[repoId]
  }

  /** Stores (or with null, removes) a repository's environment in settings. */
  setEnvironment(repoId: string, environment: unknown | null): Promise<Result<void>> {
    const next: SettingsFile = structuredClone(this.data)
    const all = (next.environments ??= {})
    if (environment === null) delete all[repoId]
    else all[repoId] = environment
    return this.save(next)
  }

  /** A repository's disk budget in bytes, or null when it has none. */
  diskBudget(repoId: string): number | null {
    return this.data.disk?.[repoId]?.budgetBytes ?? null
  }

  /** Sets (or with null, clears) a repository's disk budget. */
  setDiskBudget(repoId: string, budgetBytes: number | null): Promise<Result<void>> {
    const next: SettingsFile = structuredClone(this.data)
    const disk = (next.disk ??= {})
    if (budgetBytes === null) delete disk[repoId]
    else disk[repoId] = { budgetBytes }
    return this.save(next)
  }

  /** A repository's run command set in the app, if any. */
  runConfig(repoId: string): RunConfig | null {
    return this.data.run?.[repoId] ?? null
  }

  /** Sets (null: clears) a repository's run command. */
  updateRun(repoId: string, config: RunConfig | null): Promise<Result<void>> {
    const next: SettingsFile = structuredClone(this.data)
    const run = (next.run ??= {})
    if (config) run[repoId] = config
    else delete run[repoId]
    return this.save(next)
  }

  /** How many ports each new thread gets; undefined: the default. */
  portsPerThread(): number | undefined {
    return this.data.portsPerThread
  }

  /** Sets how many ports each new thread gets. */
  updatePortsPerThread(count: number): Promise<Result<void>> {
    return this.save({ ...structuredClone(this.data), portsPerThread: count })
  }

  /** How many checkpoints a thread keeps and for how long. */
  checkpoints(): CheckpointSettings {
    return this.data.checkpoints ?? DEFAULT_CHECKPOINT_SETTINGS
  }

  /** Changes the checkpoint pruning settings. */
  updateCheckpoints(patch: Partial<CheckpointSettings>): Promise<Result<void>> {
    return this.save({ ...structuredClone(this.data), checkpoints: { ...this.checkpoints(), ...patch } })
  }

  /** Changes settings globally or for one repository. */
  update(repoId: string | undefined, patch: AgentSettings): Promise<Result<void>> {
    const next: SettingsFile = structuredClone(this.data)
    const target = repoId ? (next.repos[repoId] ??= {}) : next.agents
    if (patch.defaultProfile !== undefined) target.defaultProfile = patch.defaultProfile
    if (patch.customCommand !== undefined) target.customCommand = patch.customCommand?.trim() ? patch.customCommand.trim() : null
    if (patch.customAcceptsPrompt !== undefined) target.customAcceptsPrompt = patch.customAcceptsPrompt
    return this.save(next)
  }

  private async save(next: SettingsFile): Promise<Result<void>> {
    try {
      await writeFileAtomic(this.path, JSON.stringify(next, null, 2))
      this.data = next
      return ok(undefined)
    } catch (e) {
      return err(storageError(e, this.path, 'save the settings'))
    }
  }
}
