import { watch, type FSWatcher } from 'node:fs'
import { readdir, realpath } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { obj, parseRecord, parseTime, str } from '../handoff/import-types'
import { forEachLine } from '../handoff/jsonl-reader'
import { DAY_MS, dayDirs, sessionDirs, type SessionEnv } from './session-files'

/** What identifies the rollout of one launched Codex session. */
export interface RolloutWatchOptions {
  env: SessionEnv
  /** The folder Codex was started in; its rollout's `session_meta.cwd`. */
  cwd: string
  /** When it was launched (epoch ms): rollouts begun earlier belong to other sessions. */
  since: number
  /** For `codex fork <id>`: the session its rollout says it was forked from; null for a new session. */
  forkedFrom: string | null
  /** How often to look again when no file event came (events can be missed, and the folders may not exist yet). */
  pollMs?: number
}

// Rollouts already matched to a launched session: two sessions started in one folder never get the same one.
const claimed = new Set<string>()
// session_meta carries milliseconds, the launch time is taken just before the spawn; allow for clock steps.
const SLACK_MS = 1000
const HEADER_BYTES = 4 * 1024 * 1024

/**
 * Finds the rollout a launched Codex session writes (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`,
 * created with the session's first prompt) and reports its id once: the earliest unclaimed rollout
 * begun since the launch in the same folder (and forked from the given session, for a fork). Watches
 * the day folders (and their parents, until they exist) and looks again now and then, until found or stopped.
 */
export class RolloutWatch {
  private readonly watchers = new Map<string, FSWatcher>()
  private readonly rejected = new Set<string>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false
  private done = false
  private cwd: Promise<string>

  constructor(
    private readonly o: RolloutWatchOptions,
    private readonly onFound: (sessionId: string) => void
  ) {
    this.cwd = realpath(o.cwd).catch(() => resolve(o.cwd))
    void this.check()
  }

  /** Looks one last time (a rollout written just before the session ended), then stops watching. */
  async stop(): Promise<void> {
    if (!this.done) await this.check()
    await this.running
    this.dispose()
  }

  /** Stops watching at once. */
  dispose(): void {
    this.done = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    for (const w of this.watchers.values()) w.close()
    this.watchers.clear()
  }

  /** Looks now (or has the look under way go again); resolves when the looking settles. */
  check(): Promise<void> {
    if (this.done) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      do {
        this.again = false
        await this.scan().catch(() => undefined)
      } while (this.again && !this.done)
    })().finally(() => {
      this.running = null
      if (!this.done) this.schedule()
    })
    return this.running
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.check(), this.o.pollMs ?? 2000)
    this.timer.unref()
  }

  private async scan(): Promise<void> {
    // The day folders a rollout begun since the launch can be in (local dates, a day either side).
    const days = dayDirs(sessionDirs(this.o.env).codex, this.o.since - DAY_MS, Date.now() + DAY_MS)
    this.watchUp(days)
    const cwd = await this.cwd
    let best: { path: string; id: string; at: number } | null = null
    for (const day of days) {
      for (const name of await readdir(day).catch(() => [])) {
        const path = join(day, name)
        if (!name.startsWith('rollout-') || !name.endsWith('.jsonl') || claimed.has(path) || this.rejected.has(path)) continue
        const meta = await this.header(path)
        if (!meta) continue
        const fits =
          meta.at >= this.o.since - SLACK_MS &&
          meta.cwd === cwd &&
          meta.forkedFrom === this.o.forkedFrom &&
          (meta.threadSource === null || meta.threadSource === 'user')
        if (!fits) this.rejected.add(path)
        else if (!best || meta.at < best.at) best = { path, id: meta.id, at: meta.at }
      }
    }
    if (!best || this.done || claimed.has(best.path)) return
    claimed.add(best.path)
    this.dispose()
    this.onFound(best.id)
  }

  /** A rollout's session_meta, or null while its first line is still being written. */
  private async header(
    path: string
  ): Promise<{ id: string; cwd: string; at: number; forkedFrom: string | null; threadSource: string | null } | null> {
    let first: Record<string, unknown> | null = null
    await forEachLine(
      path,
      (line) => {
        first = parseRecord(line)
        return false
      },
      { maxBytes: HEADER_BYTES, maxLineBytes: HEADER_BYTES }
    ).catch(() => undefined)
    const r = first as Record<string, unknown> | null
    const p = obj(r?.payload)
    const id = str(p?.id)
    const cwd = str(p?.cwd)
    if (r?.type !== 'session_meta' || !p || !id || !cwd) return null
    return {
      id,
      cwd: await realpath(cwd).catch(() => resolve(cwd)),
      at: parseTime(p.timestamp) ?? parseTime(r.timestamp) ?? 0,
      forkedFrom: str(p.forked_from_id) ?? null,
      threadSource: str(p.thread_source) ?? null
    }
  }

  /** Watches each day folder, or its nearest existing parent until the folder is made. */
  private watchUp(days: string[]): void {
    const stopAt = dirname(sessionDirs(this.o.env).codex)
    for (const day of days) {
      for (let dir = day; ; dir = dirname(dir)) {
        if (this.watchers.has(dir) || this.watch(dir) || dir === stopAt || dirname(dir) === dir) break
      }
    }
  }

  private watch(dir: string): boolean {
    if (this.done) return true
    try {
      const w = watch(dir, { persistent: false }, () => void this.check())
      w.on('error', () => {
        w.close()
        this.watchers.delete(dir)
      })
      this.watchers.set(dir, w)
      return true
    } catch {
      return false
    }
  }
}
