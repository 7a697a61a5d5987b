import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Disposable } from '../../../shared/jsonrpc'
import type { Thread } from '../../../shared/models'
import type { Result } from '../../../shared/result'
import type { ChangeScope, ChangeSet } from '../../../shared/review'
import type { GitRunner } from '../git/git-runner'
import { gitDirOf, isIgnoredPath, listIgnored } from '../git/ignored-paths'
import type { Connection } from '../rpc/rpc-server'
import { TreeWatcher } from './tree-watcher'

/** Counters of one watched thread, for benches and tests. */
export interface WatchStats {
  /** File-system events seen. */
  events: number
  /** Change-set recomputations (one per debounce window). */
  runs: number
  /** Recomputations finished, notifications sent. */
  settled: number
  /** review/changed notifications sent. */
  notifications: number
}

interface Subscriber {
  connection: Connection
  scope: ChangeScope
  last: string
  closed: Disposable
}

interface Watched {
  watcher: TreeWatcher | null
  subscribers: Map<string, Subscriber>
  timer: NodeJS.Timeout | null
  firstEventAt: number
  running: boolean
  again: boolean
  stats: WatchStats
  /** Settles once the tree's watchers are in place. */
  ready: Promise<void>
  /** Moves on every file event and when the watchers come up: a change set computed at an older epoch may be stale. */
  epoch: number
  /** The last change set of each scope, with the epoch and the commits (HEAD, base) its computation started at. */
  results: Map<ChangeScope, { epoch: number; commits: string; set: ChangeSet }>
  /** Ends a watch nobody holds any more, unless a client (a reloaded page) comes back first. */
  linger: NodeJS.Timeout | null
}

/** Debounce figures: wait for this much quiet, but never longer than maxWaitMs after the first event. */
export interface WatchTiming {
  quietMs: number
  maxWaitMs: number
  /** How long a watch outlives its last client (a page reload comes back to it). */
  lingerMs: number
}

/**
 * Keeps watching clients' change sets live. One tree watcher per thread however many clients
 * watch it; events are debounced, the change set is recomputed in the core (git runs in child
 * processes) and a client only hears review/changed when its change set actually differs.
 */
export class ChangeWatchService implements Disposable {
  private readonly threads = new Map<string, Watched>()

  constructor(
    private readonly git: GitRunner,
    private readonly thread: (id: string) => Thread | undefined,
    private readonly compute: (threadId: string, scope: ChangeScope) => Promise<Result<ChangeSet>>,
    private readonly timing: WatchTiming = { quietMs: 250, maxWaitMs: 1500, lingerMs: 30_000 },
    /**
     * The thread's HEAD and base commits, or null: a held change set is reused only while they stay the same
     * (a merge into the base moves the base outside the watched worktree). Without it nothing is reused.
     */
    private readonly commits: ((threadId: string) => Promise<string | null>) | null = null
  ) {}

  /**
   * Starts (or re-scopes) a client's watch of a thread and returns the current change set: the one the
   * live watch already holds when nothing moved since it was computed, else a fresh computation.
   */
  async watch(threadId: string, scope: ChangeScope, connection: Connection): Promise<Result<ChangeSet>> {
    const live = this.threads.get(threadId)
    const epoch = live?.epoch ?? 0
    const commits = live ? await this.commitsOf(threadId) : null
    const held = live ? this.current(live, scope, epoch, commits) : null
    const first: Result<ChangeSet> = held ? { ok: true, value: held } : await this.compute(threadId, scope)
    if (!first.ok) return first
    let w = this.threads.get(threadId)
    if (w && !held && w === live && commits !== null) w.results.set(scope, { epoch, commits, set: first.value })
    if (w?.linger) {
      clearTimeout(w.linger)
      w.linger = null
    }
    if (!w) {
      const fresh: Watched = {
        watcher: null,
        subscribers: new Map(),
        timer: null,
        firstEventAt: 0,
        running: false,
        again: false,
        stats: { events: 0, runs: 0, settled: 0, notifications: 0 },
        ready: Promise.resolve(),
        epoch: 0,
        results: new Map(),
        linger: null
      }
      w = fresh
      this.threads.set(threadId, fresh)
      // The answer does not wait for the watchers (a walk of the whole tree); one recomputation once
      // they are up catches anything that changed in between.
      fresh.ready = this.startWatcher(threadId, fresh).then((watcher) => {
        if (this.threads.get(threadId) !== fresh) return watcher?.dispose()
        fresh.watcher = watcher
        fresh.epoch++
        this.schedule(fresh, threadId)
      })
    }
    const prior = w.subscribers.get(connection.id)
    prior?.closed.dispose()
    w.subscribers.set(connection.id, {
      connection,
      scope,
      last: JSON.stringify(first.value),
      closed: connection.onClose(() => this.unwatch(threadId, connection))
    })
    return first
  }

  /** Ends a client's watch; the tree watcher stops with the last client. */
  unwatch(threadId: string, connection: Connection): void {
    const w = this.threads.get(threadId)
    const s = w?.subscribers.get(connection.id)
    if (!w || !s) return
    s.closed.dispose()
    w.subscribers.delete(connection.id)
    if (w.subscribers.size > 0 || w.linger) return
    w.linger = setTimeout(() => {
      w.linger = null
      if (w.subscribers.size === 0 && this.threads.get(threadId) === w) this.stop(threadId, w)
    }, this.timing.lingerMs)
    w.linger.unref()
  }

  /** Resolves once a watched thread's watchers are in place (tests and benches wait for it). */
  async whenReady(threadId: string): Promise<void> {
    await this.threads.get(threadId)?.ready
  }

  /** Counters for a watched thread (undefined when nobody watches it). */
  stats(threadId: string): WatchStats | undefined {
    return this.threads.get(threadId)?.stats
  }

  /** Stops watching a thread for everyone (archived, deleted). */
  forget(threadId: string): void {
    const w = this.threads.get(threadId)
    if (!w) return
    for (const s of w.subscribers.values()) s.closed.dispose()
    this.stop(threadId, w)
  }

  dispose(): void {
    for (const id of [...this.threads.keys()]) this.forget(id)
  }

  private stop(threadId: string, w: Watched): void {
    w.watcher?.dispose()
    if (w.timer) clearTimeout(w.timer)
    if (w.linger) clearTimeout(w.linger)
    this.threads.delete(threadId)
  }

  private async startWatcher(threadId: string, w: Watched): Promise<TreeWatcher | null> {
    const t = this.thread(threadId)
    if (!t || !existsSync(t.worktreePath)) return null
    const root = t.worktreePath
    const ignored = await listIgnored(this.git, root)
    const gitDir = await gitDirOf(this.git, root)
    const isIgnored = (rel: string): boolean | Promise<boolean> => {
      if (ignored.has(rel)) return true
      for (let i = rel.indexOf('/'); i >= 0 && i < rel.length - 1; i = rel.indexOf('/', i + 1))
        if (ignored.has(rel.slice(0, i + 1))) return true
      // A folder that appeared after start (say node_modules) is asked about once, before any watcher goes on it.
      return rel.endsWith('/') ? isIgnoredPath(this.git, root, rel) : false
    }
    const watcher = new TreeWatcher({
      root,
      extraDirs: gitDir ? [gitDir, join(gitDir, 'logs')].filter((d) => existsSync(d)) : [],
      isIgnored,
      onChange: () => this.onEvent(w, threadId)
    })
    await watcher.start()
    return watcher
  }

  private onEvent(w: Watched, threadId: string): void {
    w.stats.events++
    w.epoch++
    this.schedule(w, threadId)
  }

  /** The change set the watch holds for a scope, if nothing can have moved since it was computed. */
  private current(w: Watched, scope: ChangeScope, epoch: number, commits: string | null): ChangeSet | null {
    const r = w.results.get(scope)
    if (!r || commits === null || r.commits !== commits) return null
    if (r.epoch !== epoch || w.epoch !== epoch || !w.watcher || w.watcher.polling || w.timer || w.running) return null
    return r.set
  }

  private async commitsOf(threadId: string): Promise<string | null> {
    return this.commits ? this.commits(threadId).catch(() => null) : null
  }

  private schedule(w: Watched, threadId: string): void {
    const now = Date.now()
    if (!w.timer) w.firstEventAt = now
    else clearTimeout(w.timer)
    const delay = Math.max(0, Math.min(this.timing.quietMs, w.firstEventAt + this.timing.maxWaitMs - now))
    w.timer = setTimeout(() => {
      w.timer = null
      void this.run(w, threadId)
    }, delay)
  }

  private async run(w: Watched, threadId: string): Promise<void> {
    if (w.running) {
      w.again = true
      return
    }
    w.running = true
    w.stats.runs++
    const epoch = w.epoch
    const commits = await this.commitsOf(threadId)
    try {
      const byScope = new Map<ChangeScope, Promise<Result<ChangeSet>>>()
      for (const s of w.subscribers.values()) {
        if (!byScope.has(s.scope)) byScope.set(s.scope, this.compute(threadId, s.scope))
        const r = await byScope.get(s.scope)!
        if (!r.ok) continue
        if (commits !== null) w.results.set(s.scope, { epoch, commits, set: r.value })
        const text = JSON.stringify(r.value)
        if (text === s.last) continue
        s.last = text
        w.stats.notifications++
        s.connection.notify('review/changed', { threadId, scope: s.scope, changes: r.value })
      }
    } catch {
      // The worktree went away mid-computation; the thread's own status says so, and the next event retries.
    } finally {
      w.running = false
      w.stats.settled++
    }
    if (w.again && this.threads.get(threadId) === w) {
      w.again = false
      await this.run(w, threadId)
    }
  }
}
