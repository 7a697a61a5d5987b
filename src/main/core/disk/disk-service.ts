import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { formatBytes, type BudgetCheck, type RepoDisk, type SharedDisk, type WorktreeDisk } from '../../../shared/disk'
import type { Repo, Thread } from '../../../shared/models'
import { ok, type Result } from '../../../shared/result'
import type { AppError } from '../../../shared/errors'
import type { GitRunner } from '../git/git-runner'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { DataDir } from '../store/data-dir'
import { measureDisk, type DiskMeasure } from './disk-walk'
import { checkoutEstimate, cloneNote } from './disk-estimates'

/** What the disk service reaches. */
export interface DiskDeps {
  git: GitRunner
  dataDir: DataDir
  bus: NotificationBus
  logger: Logger
  repos: () => Repo[]
  /** Every thread, archived ones too. */
  threads: () => Thread[]
  budgets: {
    diskBudget(repoId: string): number | null
    setDiskBudget(repoId: string, bytes: number | null): Promise<Result<void, AppError>>
  }
  /** Quiet time after a thread changes before its worktree is walked again (default 3 s). */
  settleMs?: number
  /** The least time between two walks of one worktree (default 60 s), so a busy agent costs at most one walk a minute. */
  minIntervalMs?: number
}

interface Measured {
  bytes: number
  apparentBytes: number
  files: number
  multiLinked: Map<string, number>
  sharedLinks: string[]
  measuredAt: number
}

const summary = (m: DiskMeasure): Measured => ({
  bytes: m.allocatedBytes,
  apparentBytes: m.apparentBytes,
  files: m.files,
  multiLinked: m.multiLinked,
  sharedLinks: [...m.sharedLinks],
  measuredAt: Date.now()
})

/** A live worktree thread of a repository whose folder exists. */
const liveWorktree = (t: Thread) => t.mode === 'worktree' && t.status !== 'archived' && t.branch !== null && existsSync(t.worktreePath)

/**
 * Each repository's disk use: its live worktrees, the shared folders they link to (once), and the
 * leftover folders cleanup could free. Walks run one at a time, only when something changed (a thread
 * created, archived, active) and at most once a minute per worktree; idle, it does nothing at all.
 */
export class DiskService {
  private readonly worktrees = new Map<string, Measured & { path: string }>()
  private readonly folders = new Map<string, Measured>()
  private readonly views = new Map<string, RepoDisk>()
  private readonly dirty = new Set<string>()
  private readonly lastWalk = new Map<string, number>()
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly queued = new Map<string, Promise<RepoDisk | null>>()
  private chain: Promise<unknown> = Promise.resolve()
  private running = 0
  private note: Promise<string | null> | null = null
  private readonly stop = new AbortController()
  private readonly unsubscribe: { dispose(): void }

  constructor(private readonly deps: DiskDeps) {
    this.unsubscribe = deps.bus.subscribe((name, params) => {
      if (name === 'thread/updated') this.threadChanged((params as { thread: Thread }).thread)
      else if (name === 'thread/removed') this.threadRemoved(params as { threadId: string; repoId: string })
    })
  }

  /** Every repository's figures as last measured; a repository never measured is measured now, in the background. */
  usage(): RepoDisk[] {
    return this.deps.repos().map((r) => {
      const view = this.views.get(r.id)
      if (!view) void this.measure(r.id)
      return view ? { ...view, budgetBytes: this.deps.budgets.diskBudget(r.id) } : this.emptyView(r.id)
    })
  }

  /** Walks a repository (or every one) again now, all its worktrees included. */
  async refresh(repoId?: string): Promise<RepoDisk[]> {
    const ids = repoId ? [repoId] : this.deps.repos().map((r) => r.id)
    for (const id of ids) for (const t of this.deps.threads()) if (t.repoId === id) this.dirty.add(t.id)
    for (const id of ids) for (const path of [...this.folders.keys()]) if (this.ownedBy(path, id)) this.folders.delete(path)
    const out = await Promise.all(ids.map((id) => this.measure(id)))
    return out.filter((v): v is RepoDisk => v !== null)
  }

  /** Whether one more worktree fits the repository's budget, with the numbers. */
  async check(repoId: string): Promise<BudgetCheck> {
    const view = this.views.get(repoId) ?? (await this.measure(repoId)) ?? this.emptyView(repoId)
    const budget = this.deps.budgets.diskBudget(repoId)
    const sizes = view.worktrees.map((w) => w.bytes).sort((a, b) => a - b)
    const repo = this.deps.repos().find((r) => r.id === repoId)
    const like = sizes.length > 0
    const estimate = like ? sizes[Math.floor(sizes.length / 2)]! : repo ? await checkoutEstimate(this.deps.git, repo.path) : 0
    const used = view.totalBytes
    const over = budget !== null && used + estimate > budget
    const message = over
      ? `This repository's worktrees use ${formatBytes(used)} of its ${formatBytes(budget)} disk budget; a new worktree adds about ${formatBytes(estimate)} (${like ? `the median of its ${sizes.length} ${sizes.length === 1 ? 'worktree' : 'worktrees'}` : 'its checked-out files'}), making ${formatBytes(used + estimate)}.`
      : null
    return { budgetBytes: budget, usedBytes: used, estimateBytes: estimate, over, message }
  }

  /** Sets or clears a repository's budget, and tells every client. */
  async setBudget(repoId: string, bytes: number | null): Promise<Result<RepoDisk, AppError>> {
    const saved = await this.deps.budgets.setDiskBudget(repoId, bytes)
    if (!saved.ok) return saved
    const view = { ...(this.views.get(repoId) ?? this.emptyView(repoId)), budgetBytes: bytes }
    this.views.set(repoId, view)
    this.deps.bus.publish('disk/updated', { repo: view })
    return ok(view)
  }

  /** Forgets a folder (cleanup removed it) and measures its repository again. */
  forget(path: string, repoId: string): Promise<RepoDisk | null> {
    this.folders.delete(path)
    return this.measure(repoId)
  }

  /** The shared folders of a repository: the ones in Skein's store and the ones live worktrees link to. */
  async sharedFolders(repoId: string): Promise<string[]> {
    const store = this.deps.dataDir.repoShared(repoId)
    const inStore = await readdir(store).then(
      (names) => names.map((n) => join(store, n)),
      () => [] as string[]
    )
    const linked = [...this.worktrees.entries()]
      .filter(([id]) => this.deps.threads().some((t) => t.id === id && t.repoId === repoId))
      .flatMap(([, w]) => w.sharedLinks)
    return [...new Set([...inStore, ...linked])].sort()
  }

  /** The shared folders live worktrees of a repository link to, walked again now (before cleanup decides). */
  async linkedShared(repoId: string): Promise<Set<string>> {
    const view = (await this.refresh(repoId))[0]
    return new Set(view?.worktrees.flatMap((w) => w.sharedLinks) ?? [])
  }

  /** True when no walk is scheduled, queued or running: with nothing changing, the service does nothing. */
  get resting(): boolean {
    return this.timers.size === 0 && this.queued.size === 0 && this.running === 0
  }

  /** Stops timers and any walk under way. */
  dispose(): void {
    this.stop.abort()
    this.unsubscribe.dispose()
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }

  private threadChanged(t: Thread): void {
    if (t.mode !== 'worktree' || this.stop.signal.aborted) return
    const known = this.worktrees.get(t.id)
    const live = liveWorktree(t)
    // Only a worktree that appeared, went away, or whose agent did something can have changed size.
    if (!known && !live) return
    if (known && known.path === t.worktreePath && live && t.lastActivityAt <= known.measuredAt) return
    this.dirty.add(t.id)
    this.schedule(t.repoId, t.id)
  }

  private threadRemoved(p: { threadId: string; repoId: string }): void {
    this.worktrees.delete(p.threadId)
    this.dirty.delete(p.threadId)
    this.schedule(p.repoId, p.threadId)
  }

  private schedule(repoId: string, threadId: string): void {
    if (this.timers.has(repoId)) return
    const settle = this.deps.settleMs ?? 3000
    const wait = Math.max(settle, (this.lastWalk.get(threadId) ?? 0) + (this.deps.minIntervalMs ?? 60_000) - Date.now())
    const timer = setTimeout(() => {
      this.timers.delete(repoId)
      void this.measure(repoId)
    }, wait)
    timer.unref?.()
    this.timers.set(repoId, timer)
  }

  /** Measures a repository, one walk at a time across the service; a second request while one is queued joins it. */
  private measure(repoId: string): Promise<RepoDisk | null> {
    const queued = this.queued.get(repoId)
    if (queued) return queued
    const job = this.chain.then(async () => {
      this.queued.delete(repoId)
      this.running++
      try {
        return await this.walkRepo(repoId)
      } finally {
        this.running--
      }
    })
    this.chain = job.catch((e: Error) => this.deps.logger.warn(`Could not measure the disk use of ${repoId}: ${e.message}`))
    this.queued.set(repoId, job)
    return job.catch(() => null)
  }

  private async walkRepo(repoId: string): Promise<RepoDisk | null> {
    if (this.stop.signal.aborted || !this.deps.repos().some((r) => r.id === repoId)) return null
    this.note ??= cloneNote(this.deps.dataDir.home)
    const signal = this.stop.signal
    const store = this.deps.dataDir.repoShared(repoId) + sep
    const sharedKey = (target: string) => (target.startsWith(store) ? store + target.slice(store.length).split(sep)[0]! : null)
    const threads = this.deps.threads().filter((t) => t.repoId === repoId)
    const live = threads.filter(liveWorktree)
    const liveIds = new Set(live.map((t) => t.id))
    for (const id of [...this.worktrees.keys()]) if (threads.some((t) => t.id === id) && !liveIds.has(id)) this.worktrees.delete(id)
    const touched = new Set<string>()
    for (const t of live) {
      const known = this.worktrees.get(t.id)
      if (known && known.path === t.worktreePath && !this.dirty.has(t.id)) continue
      this.dirty.delete(t.id)
      const m = summary(await measureDisk(t.worktreePath, { sharedKey, signal }))
      this.lastWalk.set(t.id, Date.now())
      this.worktrees.set(t.id, { ...m, path: t.worktreePath })
      for (const s of m.sharedLinks) touched.add(s)
    }
    const shared = await this.sharedFolders(repoId)
    const livePaths = new Set(live.map((t) => t.worktreePath))
    const wtDir = this.deps.dataDir.repoWorktrees(repoId)
    const leftovers = await readdir(wtDir).then(
      (n) => n.map((x) => join(wtDir, x)).filter((p) => !livePaths.has(p)),
      () => [] as string[]
    )
    const present = new Set([...shared, ...leftovers])
    for (const path of [...this.folders.keys()]) if (this.ownedBy(path, repoId) && !present.has(path)) this.folders.delete(path)
    for (const path of present) {
      if (this.folders.has(path) && !touched.has(path)) continue
      this.folders.set(path, summary(await measureDisk(path, { signal })))
    }
    if (signal.aborted) return null
    const worktrees: WorktreeDisk[] = live.map((t) => {
      const w = this.worktrees.get(t.id)!
      return {
        threadId: t.id,
        title: t.title,
        path: w.path,
        bytes: w.bytes,
        apparentBytes: w.apparentBytes,
        files: w.files,
        sharedLinks: w.sharedLinks,
        measuredAt: w.measuredAt
      }
    })
    const sharedViews: SharedDisk[] = shared.map((path) => ({
      path,
      bytes: this.folders.get(path)!.bytes,
      linkedBy: worktrees.filter((w) => w.sharedLinks.includes(path)).map((w) => w.threadId)
    }))
    const leftoverBytes = leftovers.reduce((n, p) => n + this.folders.get(p)!.bytes, 0)
    const all = [...live.map((t) => this.worktrees.get(t.id)!), ...[...shared, ...leftovers].map((p) => this.folders.get(p)!)]
    const view: RepoDisk = {
      repoId,
      totalBytes: all.reduce((n, m) => n + m.bytes, 0) - hardLinkOvercount(all),
      worktrees,
      shared: sharedViews,
      leftoverBytes,
      budgetBytes: this.deps.budgets.diskBudget(repoId),
      measuredAt: Date.now(),
      measuring: false,
      note: await this.note
    }
    this.views.set(repoId, view)
    this.deps.bus.publish('disk/updated', { repo: view })
    return view
  }

  private ownedBy(path: string, repoId: string): boolean {
    return path.startsWith(this.deps.dataDir.repoShared(repoId) + sep) || path.startsWith(this.deps.dataDir.repoWorktrees(repoId) + sep)
  }

  private emptyView(repoId: string): RepoDisk {
    return {
      repoId,
      totalBytes: 0,
      worktrees: [],
      shared: [],
      leftoverBytes: 0,
      budgetBytes: this.deps.budgets.diskBudget(repoId),
      measuredAt: null,
      measuring: true,
      note: null
    }
  }
}

/** Bytes counted more than once because one inode is hard-linked from several measured folders. */
function hardLinkOvercount(measures: Measured[]): number {
  const seen = new Map<string, number>()
  let over = 0
  for (const m of measures) {
    for (const [key, bytes] of m.multiLinked) {
      if (seen.has(key)) over += bytes
      else seen.set(key, bytes)
    }
  }
  return over
}
