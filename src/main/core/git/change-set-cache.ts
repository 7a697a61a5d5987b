import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { KeyedLock } from '../keyed-lock'
import type { GitRunner } from './git-runner'

/** Line counts of one changed file. */
export interface FileStat {
  additions: number
  deletions: number
  binary: boolean
}

interface Worktree {
  indexPath: string
  scratchIndex: string
  /** The real index as it was when the scratch index was seeded from it ("" when never seeded). */
  seededFrom: string
  /** Counts by path and blob pair: a pair's counts never change while the attributes stay the same. */
  stats: Map<string, FileStat>
  /** The versions of the changed .gitattributes files the counts were taken under. */
  attributes: string
}

/** Past this many cached counts per worktree the cache starts over (about 100 bytes each). */
const MAX_STATS = 50_000
/** Worktrees kept; the least recently computed one is forgotten past this. */
const MAX_WORKTREES = 20

/**
 * What computing a change set can keep between calls for the same worktree, so the Changes tab of a
 * big change set opens without redoing the work: the index's path, a scratch index whose stat cache
 * stays warm (`git add --all` then hashes only files that changed since the last call), and each
 * file's line counts by blob pair (`diff-tree --numstat` runs only for pairs not seen before).
 * Calls for one worktree run one at a time; the real index and the files are never written.
 */
export class ChangeSetCache {
  private readonly worktrees = new Map<string, Worktree>()
  private readonly lock = new KeyedLock()
  private dir: Promise<string> | null = null

  /** Runs `task` alone for this worktree, with its cached state. */
  with<T>(git: GitRunner, worktree: string, task: (w: CachedWorktree) => Promise<T>): Promise<T> {
    return this.lock.run(worktree, async () => task(await this.state(git, worktree)))
  }

  /** Removes the scratch indexes. */
  async dispose(): Promise<void> {
    const dir = this.dir
    this.dir = null
    this.worktrees.clear()
    if (dir) await rm(await dir, { recursive: true, force: true }).catch(() => undefined)
  }

  private async state(git: GitRunner, worktree: string): Promise<CachedWorktree> {
    let w = this.worktrees.get(worktree)
    if (w) {
      // Most recently used last.
      this.worktrees.delete(worktree)
      this.worktrees.set(worktree, w)
    } else {
      this.dir ??= mkdtemp(join(tmpdir(), 'skein-changes-'))
      const name = createHash('sha256').update(worktree).digest('hex').slice(0, 16)
      const indexPath = resolve(worktree, (await git.run(worktree, ['rev-parse', '--git-path', 'index'])).trim())
      w = { indexPath, scratchIndex: join(await this.dir, `${name}.index`), seededFrom: '', stats: new Map(), attributes: '' }
      this.worktrees.set(worktree, w)
      for (const [old, gone] of this.worktrees) {
        if (this.worktrees.size <= MAX_WORKTREES) break
        this.worktrees.delete(old)
        // Behind that worktree's own lock: a computation still using the scratch index finishes first.
        void this.lock.run(old, () => rm(gone.scratchIndex, { force: true })).catch(() => undefined)
      }
    }
    return new CachedWorktree(w)
  }
}

/** One worktree's cached state, handed to a task that holds its lock. */
export class CachedWorktree {
  constructor(private readonly w: Worktree) {}

  /**
   * A scratch index ready for `git add --all`: the one from the last call, or a fresh copy of the real
   * index when that changed since (a commit, a staged file), so force-added files stay tracked.
   */
  async scratchIndex(): Promise<string> {
    const real = await stat(this.w.indexPath).catch(() => null)
    const stamp = real ? `${real.ino}:${real.size}:${real.mtimeMs}` : 'none'
    if (stamp === this.w.seededFrom) return this.w.scratchIndex
    await rm(this.w.scratchIndex, { force: true })
    // The copy keeps the index's own mtime: git trusts cached entries older than the index file, so a
    // fresh mtime would hide a same-size edit made in the same second as the last index write.
    if (real) {
      await copyFile(this.w.indexPath, this.w.scratchIndex)
        .then(() => utimes(this.w.scratchIndex, real.atime, real.mtime))
        .catch(() => undefined)
    }
    this.w.seededFrom = stamp
    return this.w.scratchIndex
  }

  /** Forgets the scratch index (after a failed git call left it in doubt). */
  dropScratch(): void {
    this.w.seededFrom = ''
  }

  /** Cached counts of a file at a blob pair. */
  stat(path: string, version: string): FileStat | undefined {
    return this.w.stats.get(`${version}\0${path}`)
  }

  /** Remembers counts of a file at a blob pair. */
  remember(path: string, version: string, s: FileStat): void {
    if (this.w.stats.size >= MAX_STATS) this.w.stats.clear()
    this.w.stats.set(`${version}\0${path}`, s)
  }

  /** Drops every cached count when the changed .gitattributes files differ from last time (they can make a file binary). */
  useAttributes(versions: string): void {
    if (versions === this.w.attributes) return
    this.w.stats.clear()
    this.w.attributes = versions
  }
}
