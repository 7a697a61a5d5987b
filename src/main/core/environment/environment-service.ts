import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import stripAnsi from 'strip-ansi'
import {
  emptyEnvironment,
  isEmptyEnvironment,
  type Environment,
  type EnvironmentInput,
  type EnvironmentSource,
  type SetupState
} from '../../../shared/environment'
import type { PtyInfo, Repo, Thread } from '../../../shared/models'
import { ok, type Result } from '../../../shared/result'
import type { GitRunner } from '../git/git-runner'
import { readRepoInfo } from '../git/repo-info'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { OpenPtyOptions } from '../pty/pty-host'
import type { DataDir } from '../store/data-dir'
import type { SettingsStore } from '../store/settings-store'
import { copyMatchingFiles } from './copy-files'
import { readEnvironmentFile, validateEnvironment, writeEnvironmentFile } from './environment-file'
import { detectImports, type Detection } from './importers/detect'
import { patternLines, WORKTREE_INCLUDE_FILE } from './importers/claude-code'
import { setupScript, setupShell } from './setup-script'
import { harvestSharedFolders, shareFolders } from './share-folders'
import { runArchiveCommand } from './archive-command'

/** The environment in effect for a repository, where it comes from, and a problem with either source. */
export interface ResolvedEnvironment {
  source: EnvironmentSource
  environment: Environment
  /** The file's environment (null: none, or invalid). */
  file: Environment | null
  /** The settings' environment (null: none, or invalid). */
  settings: Environment | null
  /** Why a source could not be used (names the field); the thread still works. */
  problem: string | null
}

/** What the environment service needs from the rest of the core. */
export interface EnvironmentDeps {
  git: GitRunner
  dir: DataDir
  settings: SettingsStore
  bus: NotificationBus
  logger: Logger
  repo(id: string): Result<Repo>
  thread(id: string): Thread | undefined
  openPty(threadId: string, o: OpenPtyOptions): Promise<Result<PtyInfo>>
  scrollback(ptyId: string): Promise<string | null>
}

/** Saves a thread's setup state on the thread (and publishes it). */
export type RecordSetup = (setup: SetupState) => Promise<void>

/** A setup that began: whether the agent waits for it, and when it is over. */
export interface SetupRun {
  waitForSetup: boolean
  done: Promise<SetupState>
}

const LOG_TAIL_CHARS = 4000

/**
 * A repository's environment (`.skein/environment.json`, or Skein's settings, which override it)
 * and what runs when a worktree is made: copy files, share folders, run the setup commands in a
 * "Setup" terminal of the thread, and the archive command before a worktree is archived.
 */
export class EnvironmentService {
  private readonly running = new Map<string, Promise<SetupState>>()
  private readonly exits = new Map<string, { exitCode: number | null }>()
  private readonly exitWaiters = new Map<string, (e: { exitCode: number | null }) => void>()

  constructor(private readonly deps: EnvironmentDeps) {
    deps.bus.subscribe((name, params) => {
      if (name !== 'pty/exit') return
      const p = params as { ptyId: string; exitCode: number | null }
      const waiter = this.exitWaiters.get(p.ptyId)
      if (waiter) waiter({ exitCode: p.exitCode })
      else this.exits.set(p.ptyId, { exitCode: p.exitCode })
    })
  }

  /** The main checkout of a repository (the worktree's source of files). */
  private async root(repo: Repo): Promise<string> {
    const info = await readRepoInfo(this.deps.git, repo.path).catch(() => null)
    return info && info.kind === 'repo' ? info.root : repo.path
  }

  /** The environment in effect: Skein's settings when the repository has one there, else the file; `.worktreeinclude` adds its patterns. */
  async resolve(repoId: string): Promise<Result<ResolvedEnvironment>> {
    const repo = this.deps.repo(repoId)
    if (!repo.ok) return repo
    const root = await this.root(repo.value)
    const problems: string[] = []
    const fromFile = await readEnvironmentFile(root)
    if (!fromFile.ok) problems.push(fromFile.error.message)
    const stored = this.deps.settings.environment(repoId)
    let fromSettings: Environment | null = null
    if (stored !== undefined) {
      const v = validateEnvironment(stored, `The environment in Skein's settings for ${repo.value.name}`)
      if (v.ok) fromSettings = v.value
      else problems.push(v.error.message)
    }
    const file = fromFile.ok ? fromFile.value : null
    const source: EnvironmentSource = fromSettings ? 'settings' : file ? 'file' : 'none'
    const base = fromSettings ?? file ?? emptyEnvironment()
    // Claude Code's .worktreeinclude is honoured as is, whatever else says.
    const include = await readFile(join(root, WORKTREE_INCLUDE_FILE), 'utf8').catch(() => null)
    const copy = include ? [...new Set([...base.copy, ...patternLines(include)])] : base.copy
    return ok({
      source,
      environment: { ...base, copy },
      file,
      settings: fromSettings,
      problem: problems.length ? problems.join(' ') : null
    })
  }

  /** The other tools' setups found in the repository, and what each would import. */
  async detect(repoId: string): Promise<Result<Detection[]>> {
    const repo = this.deps.repo(repoId)
    if (!repo.ok) return repo
    return ok(await detectImports(await this.root(repo.value)))
  }

  /** Saves an environment to `.skein/environment.json` in the main checkout, or to Skein's settings (null there removes it). */
  async save(repoId: string, target: 'file' | 'settings', input: EnvironmentInput | null): Promise<Result<ResolvedEnvironment>> {
    const repo = this.deps.repo(repoId)
    if (!repo.ok) return repo
    if (target === 'file') {
      if (input === null) return this.resolve(repoId)
      const written = await writeEnvironmentFile(await this.root(repo.value), input)
      if (!written.ok) return written
    } else {
      if (input !== null) {
        const valid = validateEnvironment(input, 'The environment')
        if (!valid.ok) return valid
      }
      const saved = await this.deps.settings.setEnvironment(repoId, input)
      if (!saved.ok) return saved
    }
    return this.resolve(repoId)
  }

  /** Setup of a new worktree thread, started in the background; null when the environment asks for nothing. */
  async begin(thread: Thread, record: RecordSetup): Promise<SetupRun | null> {
    if (thread.mode !== 'worktree' || !thread.branch) return null
    const resolved = await this.resolve(thread.repoId)
    if (!resolved.ok) return null
    const { environment, problem } = resolved.value
    const now = Date.now()
    const state: SetupState = {
      state: 'running',
      startedAt: now,
      endedAt: null,
      ptyId: null,
      copied: [],
      shared: [],
      failure: null,
      warnings: []
    }
    if (problem && resolved.value.source === 'none') {
      const failed: SetupState = {
        ...state,
        state: 'failed',
        endedAt: now,
        failure: { command: null, index: null, exitCode: null, message: problem, logTail: '' }
      }
      await record(failed)
      return { waitForSetup: false, done: Promise.resolve(failed) }
    }
    if (isEmptyEnvironment(environment)) return null
    if (problem) state.warnings.push(problem)
    await record(state)
    const done = this.runSetup(thread, environment, state, record).catch(async (e) => {
      // A bug here must not leave the thread "Setting up" for ever.
      this.deps.logger.warn(`Setup of ${thread.id} failed unexpectedly: ${String(e)}`)
      const failed: SetupState = {
        ...state,
        state: 'failed',
        endedAt: Date.now(),
        failure: { command: null, index: null, exitCode: null, message: `Setup stopped unexpectedly: ${(e as Error).message}`, logTail: '' }
      }
      await record(failed)
      return failed
    })
    this.running.set(thread.id, done)
    void done.finally(() => this.running.delete(thread.id))
    return { waitForSetup: environment.startAgent === 'after-setup', done }
  }

  /** At start-up: a setup the last run was in the middle of is over; say so instead of "Setting up" for ever. */
  async reconcileOnStart(threads: Thread[], record: (threadId: string, setup: SetupState) => Promise<void>): Promise<void> {
    for (const t of threads) {
      if (t.setup?.state !== 'running') continue
      const message = 'Setup was cut off when Skein stopped. Run the setup commands again in a terminal if the worktree needs them.'
      await record(t.id, {
        ...t.setup,
        state: 'failed',
        endedAt: Date.now(),
        failure: { command: null, index: null, exitCode: null, message, logTail: '' }
      })
    }
  }

  /** Resolves once the thread's setup (if one runs) has ended. */
  async whenReady(threadId: string): Promise<void> {
    await this.running.get(threadId)
  }

  private async runSetup(thread: Thread, env: Environment, initial: SetupState, record: RecordSetup): Promise<SetupState> {
    const repo = this.deps.repo(thread.repoId)
    if (!repo.ok) throw new Error(repo.error.message)
    const root = await this.root(repo.value)
    let state = initial
    const update = async (patch: Partial<SetupState>) => {
      state = { ...state, ...patch }
      await record(state)
    }
    const shared = await shareFolders({
      folders: env.share,
      mainCheckout: root,
      worktree: thread.worktreePath,
      storeRoot: join(this.deps.dir.home, 'shared', repo.value.id)
    })
    const copied = await copyMatchingFiles(
      this.deps.git,
      root,
      thread.worktreePath,
      env.copy,
      env.share.map((s) => s.path)
    )
    await update({ shared, copied: copied.copied, warnings: [...state.warnings, ...copied.warnings] })
    if (env.setup.length === 0) {
      await update({ state: 'done', endedAt: Date.now() })
      return state
    }
    const runDir = join(this.deps.dir.home, 'run', 'setup')
    await mkdir(runDir, { recursive: true, mode: 0o700 })
    const scriptFile = join(runDir, `${thread.id}.sh`)
    const statusFile = join(runDir, `${thread.id}.status`)
    await rm(statusFile, { force: true })
    await writeFile(scriptFile, setupScript(env.setup, { statusFile, rootPath: root, worktreePath: thread.worktreePath }), { mode: 0o600 })
    const shell = setupShell()
    const opened = await this.deps.openPty(thread.id, {
      kind: 'shell',
      cols: 120,
      rows: 30,
      command: {
        file: shell,
        args: [scriptFile],
        display: `${env.setup.length} setup ${env.setup.length === 1 ? 'command' : 'commands'}`,
        title: 'Setup'
      }
    })
    if (!opened.ok) {
      await update({
        state: 'failed',
        endedAt: Date.now(),
        failure: {
          command: null,
          index: null,
          exitCode: null,
          message: `The setup terminal could not start: ${opened.error.message}`,
          logTail: ''
        }
      })
      return state
    }
    const ptyId = opened.value.id
    await update({ ptyId })
    const exit = await this.waitExit(ptyId)
    const status = (await readFile(statusFile, 'utf8').catch(() => '')).trim().split(' ').map(Number)
    await rm(scriptFile, { force: true })
    await rm(statusFile, { force: true })
    if (exit.exitCode === 0 && status[0] === 0) {
      await this.harvest(env, thread.worktreePath, repo.value.id)
      await update({ state: 'done', endedAt: Date.now() })
      return state
    }
    const index = status[0] && status[0] > 0 ? status[0] : null
    const command = index ? env.setup[index - 1]! : null
    const code = status[1] ?? exit.exitCode
    const log = stripAnsi((await this.deps.scrollback(ptyId)) ?? '').replace(/\r/g, '')
    const message = command
      ? `Setup command ${index} of ${env.setup.length} failed (exit code ${code}): ${command.split('\n')[0]}`
      : `Setup stopped (exit code ${exit.exitCode ?? 'none'}) before its commands finished.`
    await update({
      state: 'failed',
      endedAt: Date.now(),
      failure: { command, index, exitCode: code ?? null, message, logTail: log.slice(-LOG_TAIL_CHARS).trim() }
    })
    return state
  }

  /** A symlinked folder whose store was empty and which setup rebuilt as a real folder fills the store for the next worktrees. */
  private async harvest(env: Environment, worktree: string, repoId: string): Promise<void> {
    const folders = env.share.filter((f) => f.mode === 'symlink')
    await harvestSharedFolders({ folders, worktree, storeRoot: join(this.deps.dir.home, 'shared', repoId) }).catch((e) =>
      this.deps.logger.warn(`Could not fill the shared folders from ${worktree}: ${String(e)}`)
    )
  }

  private waitExit(ptyId: string): Promise<{ exitCode: number | null }> {
    const seen = this.exits.get(ptyId)
    if (seen) {
      this.exits.delete(ptyId)
      return Promise.resolve(seen)
    }
    return new Promise((resolve) =>
      this.exitWaiters.set(ptyId, (e) => {
        this.exitWaiters.delete(ptyId)
        resolve(e)
      })
    )
  }

  /** Runs the environment's archive command in a worktree about to be archived; never throws. A failure comes back as a note for the thread (and the log). */
  async beforeArchive(thread: Thread): Promise<string | null> {
    if (thread.mode !== 'worktree' || !thread.branch) return null
    const resolved = await this.resolve(thread.repoId)
    if (!resolved.ok || !resolved.value.environment.archive) return null
    const repo = this.deps.repo(thread.repoId)
    const root = repo.ok ? await this.root(repo.value) : thread.worktreePath
    const ran = await runArchiveCommand(resolved.value.environment.archive, {
      cwd: thread.worktreePath,
      rootPath: root,
      threadId: thread.id
    })
    if (ran.exitCode === 0 && !ran.timedOut) return null
    const how = ran.timedOut ? 'timed out' : `failed with exit code ${ran.exitCode}`
    this.deps.logger.warn(`The archive command of "${thread.title}" (${ran.command}) ${how}: ${ran.output.slice(-500)}`)
    return `The archive command (${ran.command}) ${how}; the work was saved anyway. ${ran.output.split('\n').pop()?.slice(0, 300) ?? ''}`.trim()
  }
}
