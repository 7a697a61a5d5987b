import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { appError, ErrorCode } from '../../../shared/errors'
import type { AgentState, ProfileId, Repo, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { GitRunner } from '../git/git-runner'
import { readHeadBranch } from '../git/head-branch'
import { readRepoInfo } from '../git/repo-info'
import { KeyedLock } from '../keyed-lock'
import type { Disposable } from '../../../shared/jsonrpc'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { DataDir } from '../store/data-dir'
import type { ThreadStore } from '../store/thread-store'
import { pauseForTest, type CreateIntents } from './create-intents'
import { recoverInterruptedCreates, type RecoveryOutcome } from './create-recovery'
import { newThreadId } from './slug'
import { threadCounts, threadPage, type CiFailed, type ThreadPage, type ThreadPageQuery } from './thread-pages'
import { checkWorktreesAfterStart, endStaleStates, hasLiveWorktree } from './start-reconcile'
import type { WorktreeManager } from './worktree-manager'
import { WorktreeWatcher } from './worktree-watcher'
import { archiveWorktree, restoreWorktree, type ArchiveDeps } from './thread-archive'
import { agentStatePatch, conversationPatch, newThreadRecord } from './thread-patches'
import type { CreateThreadInput, ProfileCheck, ThreadServiceDeps, ThreadSessions, WorktreeSetup } from './thread-service-deps'

export type { CreateThreadInput, ProfileCheck, ThreadServiceDeps, ThreadSessions, WorktreeSetup } from './thread-service-deps'

/** Thread lifecycle: create, rename, archive, restore, delete; pushes every change to subscribers. */
export class ThreadService {
  private readonly repoLock = new KeyedLock()
  private readonly threadLock = new KeyedLock()
  private readonly layouts = new Map<string, { root: string; commonDir: string }>()
  private readonly watcher = new WorktreeWatcher((_dir, entry) => this.onWorktreeFolderChanged(entry))
  private disposed = false

  private readonly git: GitRunner
  private readonly store: ThreadStore
  private readonly worktrees: WorktreeManager
  private readonly bus: NotificationBus
  private readonly repos: { get(id: string): Result<Repo> }
  private readonly logger: Logger
  private readonly sessions: ThreadSessions
  private readonly profiles: ProfileCheck
  private readonly intents: CreateIntents | null
  private readonly environment: WorktreeSetup | null
  private readonly archiving: ArchiveDeps
  /** What must stop before a thread's sessions close (the built-in agent's turn), in the order registered. */
  private readonly closeHooks = new Set<(threadId: string) => Promise<void>>()

  constructor(deps: ThreadServiceDeps) {
    this.git = deps.git
    this.store = deps.store
    this.worktrees = deps.worktrees
    this.bus = deps.bus
    this.repos = deps.repos
    this.logger = deps.logger
    this.sessions = deps.sessions
    this.profiles = deps.profiles
    this.intents = deps.intents ?? null
    this.environment = deps.environment ?? null
    this.archiving = { worktrees: deps.worktrees, repos: deps.repos, environment: this.environment }
    // A thread's fork count moves when a fork of it is made or deleted: clients see it as a change of that thread.
    this.store.onForkCountChanged((thread) => this.bus.publish('thread/updated', { thread }))
  }

  /** Runs `hook` before a thread's sessions are closed (archive, delete); the returned disposable removes it. */
  onWillCloseSessions(hook: (threadId: string) => Promise<void>): Disposable {
    this.closeHooks.add(hook)
    return { dispose: () => this.closeHooks.delete(hook) }
  }

  private async closeSessions(threadId: string): Promise<void> {
    for (const hook of [...this.closeHooks]) await hook(threadId)
    await this.sessions.closeThread(threadId)
  }

  /** Which thread each client shows; a viewed thread is never marked unread. */
  private readonly viewers = new Map<string, string | null>()

  /** Threads of known repositories, optionally one repository's, archived ones on request. */
  list(filter: { repoId?: string; includeArchived?: boolean } = {}): Thread[] {
    return this.store
      .list()
      .filter(
        (t) =>
          (filter.repoId ? t.repoId === filter.repoId : this.repos.get(t.repoId).ok) && (filter.includeArchived || t.status !== 'archived')
      )
  }

  /** `thread/list`: every matching thread, or one page of them (most recently active first) when a limit is given. */
  page(p: ThreadPageQuery, ciFailed?: CiFailed): Result<ThreadPage> {
    return threadPage(this.store, this.repos, p, ciFailed)
  }

  /** `thread/counts` of these repositories: live, archived and per derived state. */
  counts(repos: readonly Repo[], ciFailed: CiFailed): ReturnType<typeof threadCounts> {
    return threadCounts(this.store, repos, ciFailed)
  }

  /** One thread; notices a worktree deleted behind Skein's back. */
  async get(id: string): Promise<Result<Thread>> {
    const t = this.find(id)
    if (!t.ok) return t
    return ok(await this.threadLock.run(id, () => this.checkWorktree(t.value)))
  }

  /** Creates a thread; a worktree thread gets its own folder and `skein/<slug>` branch. */
  async create(input: CreateThreadInput): Promise<Result<Thread>> {
    const found = this.repos.get(input.repoId)
    if (!found.ok) return found
    const repo = found.value
    if (input.profileId) {
      const runnable = await this.profiles.plan(input.profileId, { repoId: repo.id })
      if (!runnable.ok) return runnable
    }
    const created = await this.createThread(input, repo)
    if (!created.ok || created.value.status === 'error') return created
    if (input.prepare) {
      const prepared = await input.prepare(created.value)
      if (!prepared.ok)
        return this.threadLock.run(created.value.id, () =>
          this.change(created.value.id, { status: 'error', statusMessage: prepared.error.message }, 'prepare-failed')
        )
    }
    const setup = this.environment ? await this.environment.begin(created.value, (setup) => this.setSetup(created.value.id, setup)) : null
    const latest = () => this.store.get(created.value.id) ?? created.value
    if (!input.profileId) return ok(latest())
    if (setup?.waitForSetup) {
      // The agent starts once setup has ended, failed or not: a failed setup leaves the thread usable.
      const profileId = input.profileId
      void setup.done.then(() =>
        latest().status === 'archived' ? undefined : this.startAgent(latest(), profileId, input.prompt, input.agentArgs)
      )
      return ok(latest())
    }
    return this.startAgent(latest(), input.profileId, input.prompt, input.agentArgs)
  }

  /** Records a thread's environment setup state. */
  setSetup(id: string, setup: NonNullable<Thread['setup']>): Promise<void> {
    return this.threadLock.run(id, async () => {
      if (this.store.get(id)) await this.change(id, { setup }, `setup-${setup.state}`)
    })
  }

  private async createThread(input: CreateThreadInput, repo: Repo): Promise<Result<Thread>> {
    const info = await this.repoInfo(repo)
    if (!info) {
      return err(
        appError(
          ErrorCode.NotAGitRepository,
          `${repo.path} is missing or no longer a git repository. Check the folder, or remove the repository from Skein.`
        )
      )
    }
    const now = Date.now()
    const id = newThreadId()
    const title = input.title.trim()
    const headBranch = await readHeadBranch(this.git, info.root, info.commonDir)
    const baseRef = input.baseRef?.trim() || headBranch || 'HEAD'
    const base = newThreadRecord(input, repo, id, now, baseRef)
    if (input.mode === 'local') return this.persistNew({ ...base, branch: headBranch }, repo)

    return this.repoLock.run(repo.id, async () => {
      const used = new Set(
        this.store
          .list()
          .filter((t) => t.repoId === repo.id)
          .map((t) => t.slug)
      )
      const intent = { threadId: id, repoId: repo.id, title, baseRef, permissionMode: input.permissionMode, startedAt: now }
      const made = await this.worktrees.create(
        repo.id,
        info.root,
        base.slug,
        baseRef,
        id,
        (s) => used.has(s),
        (w) => this.intents?.write({ ...intent, path: w.path, branch: w.branch }),
        input.startPoint
      )
      if (made.ok) await pauseForTest('after-worktree', made.value.path)
      const created = await this.finishCreate(made, base, repo, info.root)
      this.intents?.end(id)
      return created
    })
  }

  /** Saves the thread for a worktree just made (or the bad-ref error thread); takes the folder back if the save fails. */
  private async finishCreate(
    made: Awaited<ReturnType<WorktreeManager['create']>>,
    base: Thread,
    repo: Repo,
    root: string
  ): Promise<Result<Thread>> {
    const id = base.id
    if (!made.ok && 'badRef' in made) {
      const message = `Base ref "${made.badRef}" does not exist in ${repo.name}, so no worktree was created. Delete this thread and create it again from an existing branch.`
      return this.persistNew({ ...base, status: 'error', statusMessage: message }, repo)
    }
    if (!made.ok) return made
    const { slug, path, branch } = made.value
    this.watcher.ensure(dirname(path))
    const created = await this.persistNew({ ...base, slug, branch, worktreePath: path }, repo)
    if (!created.ok) {
      // Nothing is in the new worktree yet; take it back so a failed save leaves no stray folder.
      await this.worktrees.saveAndRemove(root, path, id, 'rollback').catch(() => undefined)
    }
    return created
  }

  /** At start-up, before anything else: cleans up (or keeps, as a thread) what creates cut off by a crash left. */
  async recoverInterruptedCreates(dir: DataDir): Promise<RecoveryOutcome[]> {
    if (!this.intents) return []
    const outcomes = await recoverInterruptedCreates({
      git: this.git,
      dir,
      intents: this.intents,
      worktrees: this.worktrees,
      threads: this.store,
      repos: this.repos,
      logger: this.logger
    })
    for (const o of outcomes) if (o.kind === 'kept') this.bus.publish('thread/updated', { thread: o.thread })
    return outcomes
  }

  /** Starts the agent session of a new thread; a failure to start is shown in the thread's status. */
  private async startAgent(
    thread: Thread,
    profileId: ProfileId,
    prompt?: string,
    agentArgs?: CreateThreadInput['agentArgs']
  ): Promise<Result<Thread>> {
    const args = agentArgs ? await agentArgs(thread) : null
    const resume = args?.ok ? { args: args.value, cwd: thread.worktreePath } : undefined
    const opened =
      args && !args.ok ? args : await this.sessions.open(thread.id, { kind: 'agent', profileId, prompt, cols: 120, rows: 32, resume })
    // The session's first activity update is queued behind this thread's lock; wait for it.
    if (opened.ok) return ok(await this.threadLock.run(thread.id, async () => this.store.get(thread.id) ?? thread))
    return this.threadLock.run(thread.id, () =>
      this.change(thread.id, { status: 'error', statusMessage: opened.error.message }, 'agent-failed')
    )
  }

  /** Records what the thread's agent session is doing; status and unread follow from it. */
  updateAgent(threadId: string, agent: AgentState, failure?: string): Promise<void> {
    return this.threadLock.run(threadId, async () => {
      const t = this.store.get(threadId)
      if (!t) return
      const patch = agentStatePatch(t, agent, failure, this.isViewed(threadId))
      await this.change(threadId, patch, `agent-${agent.activity}`)
    })
  }

  /** Records the built-in agent's state; `phase` sets the status: running, waiting for an approval, or done. */
  updateConversation(
    threadId: string,
    patch: Partial<Thread['conversation']>,
    phase: 'running' | 'approval' | 'done' | null
  ): Promise<Thread | null> {
    return this.threadLock.run(threadId, async () => {
      const t = this.store.get(threadId)
      if (!t) return null
      const next = conversationPatch(t, patch, phase, this.isViewed(threadId))
      const r = await this.change(threadId, next, phase ? `conversation-${phase}` : 'conversation')
      return r.ok ? r.value : null
    })
  }

  /** Notes which thread a client shows (null: none, or the window is hidden); showing one marks it read. */
  async setViewing(connectionId: string, threadId: string | null): Promise<void> {
    this.viewers.set(connectionId, threadId)
    if (threadId && this.store.get(threadId)?.unread) await this.markRead(threadId)
  }

  /** Whether any client shows this thread right now. */
  isViewed(threadId: string): boolean {
    for (const v of this.viewers.values()) if (v === threadId) return true
    return false
  }

  /** Forgets a client that went away. */
  forgetViewer(connectionId: string): void {
    this.viewers.delete(connectionId)
  }

  /** Clears a thread's unread mark. */
  markRead(id: string): Promise<Result<Thread>> {
    return this.threadLock.run(id, async () => {
      const t = this.find(id)
      if (!t.ok || !t.value.unread) return t
      return this.change(id, { unread: false }, 'read')
    })
  }

  /** Renames a thread (its branch and folder keep their names). */
  rename(id: string, title: string): Promise<Result<Thread>> {
    return this.threadLock.run(id, async () => {
      const t = this.find(id)
      if (!t.ok) return t
      return this.change(id, { title: title.trim() }, 'renamed')
    })
  }

  /** Records where an imported thread came from, after importing its session again. */
  setImported(id: string, imported: NonNullable<Thread['imported']>): Promise<Result<Thread>> {
    return this.threadLock.run(id, async () => {
      const t = this.find(id)
      if (!t.ok) return t
      return this.change(id, { imported }, 'reimported')
    })
  }

  /** Archives a thread: saves its worktree under a snapshot ref, then removes the folder. */
  archive(id: string): Promise<Result<Thread>> {
    return this.threadLock.run(id, async () => {
      const found = this.find(id)
      if (!found.ok) return found
      const t = found.value
      if (t.status === 'archived') return ok(t)
      await this.closeSessions(id)
      const patch = await archiveWorktree(this.archiving, t)
      return patch.ok ? this.change(id, patch.value, 'archived') : patch
    })
  }

  /** Restores an archived thread, or recreates a worktree that was deleted behind Skein's back. */
  restore(id: string): Promise<Result<Thread>> {
    return this.threadLock.run(id, async () => {
      const found = this.find(id)
      if (!found.ok) return found
      const patch = await restoreWorktree(this.archiving, await this.checkWorktree(found.value))
      return patch.ok ? this.change(id, patch.value, 'restored') : patch
    })
  }

  /** Deletes a thread; its worktree is saved under a snapshot ref before the folder goes. */
  delete(id: string): Promise<Result<void>> {
    return this.threadLock.run(id, async () => {
      const found = this.find(id)
      if (!found.ok) return found
      const t = found.value
      await this.closeSessions(id)
      const repo = this.repos.get(t.repoId)
      if (t.mode === 'worktree' && t.branch && t.status !== 'archived' && repo.ok) {
        const saved = await this.worktrees.saveAndRemove(repo.value.path, t.worktreePath, id, 'delete')
        if (!saved.ok) return saved
      }
      const removed = await this.store.remove(id)
      if (removed.ok) this.bus.publish('thread/removed', { threadId: id, repoId: t.repoId })
      return removed
    })
  }

  /**
   * At start-up, before serving: ends agent states a quit left behind. `waitingApproval` says whether a thread
   * still has an approval to answer (it stays needing attention). Worktrees are checked by `checkWorktreesAfterStart`.
   */
  async reconcileOnStart(o: { waitingApproval?: (threadId: string) => Promise<boolean> } = {}): Promise<void> {
    await endStaleStates(this.store.list(), {
      waitingApproval: o.waitingApproval,
      // Not flushed one by one: were it lost, the next start would find the same stale state and redo it.
      apply: async (id, patch) => void (await this.threadLock.run(id, () => this.change(id, patch, 'ended-by-restart', { durable: false })))
    })
  }

  /** After ready: flags worktrees that vanished while Skein was stopped, and watches for more; resolves when done. */
  checkWorktreesAfterStart(signal?: AbortSignal): Promise<void> {
    return checkWorktreesAfterStart(this.store.list(), {
      watch: (dir) => this.watcher.ensure(dir),
      check: async (id) => void (await this.threadLock.run(id, async () => this.store.get(id) && this.checkWorktree(this.store.get(id)!))),
      stopped: () => this.disposed || signal?.aborted === true
    })
  }

  /** Stops watching worktree folders. */
  dispose(): void {
    this.disposed = true
    this.watcher.dispose()
  }

  private onWorktreeFolderChanged(entry: string): void {
    for (const t of this.store.list()) {
      if (hasLiveWorktree(t) && t.slug === entry && t.status !== 'error') {
        void this.threadLock.run(t.id, () => this.checkWorktree(this.store.get(t.id) ?? t))
      }
    }
  }

  private async checkWorktree(t: Thread): Promise<Thread> {
    if (t.mode !== 'worktree' || !t.branch || t.status === 'archived' || t.status === 'error') return t
    if (existsSync(t.worktreePath)) return t
    const message = `The worktree folder ${t.worktreePath} was deleted outside Skein. Branch ${t.branch} still holds its commits: choose Restore to recreate the worktree.`
    this.logger.warn(message)
    const changed = await this.change(t.id, { status: 'error', statusMessage: message }, 'worktree-missing')
    return changed.ok ? changed.value : { ...t, status: 'error', statusMessage: message }
  }

  /** The repository's layout, cached while its git dir exists (saves a git process per create). */
  private async repoInfo(repo: Repo): Promise<{ root: string; commonDir: string } | null> {
    const cached = this.layouts.get(repo.id)
    if (cached && existsSync(cached.commonDir)) return cached
    const info = await readRepoInfo(this.git, repo.path).catch(() => null)
    if (!info || info.kind !== 'repo') return null
    const layout = { root: info.root, commonDir: info.commonDir }
    this.layouts.set(repo.id, layout)
    return layout
  }

  /** One thread from memory (no disk access), or ThreadNotFound. */
  find(id: string): Result<Thread> {
    const t = this.store.get(id)
    return t ? ok(t) : err(appError(ErrorCode.ThreadNotFound, `No thread with id ${id}. It may have been deleted.`))
  }

  private async persistNew(thread: Thread, repo: Repo): Promise<Result<Thread>> {
    const created = await this.store.create(thread, repo)
    if (created.ok) this.bus.publish('thread/updated', { thread: created.value })
    return created
  }

  private async change(id: string, patch: Partial<Thread>, reason: string, options?: { durable?: boolean }): Promise<Result<Thread>> {
    const updated = await this.store.update(id, patch, reason, options)
    if (updated.ok) this.bus.publish('thread/updated', { thread: updated.value })
    return updated
  }
}
