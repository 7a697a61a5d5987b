import { watch, type FSWatcher } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { Disposable } from '../../../shared/jsonrpc'

/** What the watcher needs to know about the tree it watches. */
export interface TreeWatcherOptions {
  /** The worktree. */
  root: string
  /** Extra folders to watch without recursion (the worktree's git dir: HEAD and index move on commit). */
  extraDirs: readonly string[]
  /** Whether a worktree-relative path (with / separators, folders ending in /) is ignored by git. */
  isIgnored: (rel: string) => boolean | Promise<boolean>
  onChange: () => void
  /** Past this many folders, fall back to polling (inotify watches are a limited resource). */
  maxDirs?: number
  pollMs?: number
}

const nativeRecursive = process.platform === 'darwin' || process.platform === 'win32'

/**
 * Reports any change under a worktree, except inside .git and git-ignored folders (node_modules,
 * build output). macOS and Windows watch recursively natively; Linux gets one watcher per folder,
 * adding folders as they appear, and polls instead past `maxDirs` folders.
 */
export class TreeWatcher implements Disposable {
  private readonly watchers = new Map<string, FSWatcher>()
  private poll: NodeJS.Timeout | null = null
  private disposed = false

  constructor(private readonly options: TreeWatcherOptions) {}

  /** Starts watching; resolves once the initial folders are watched. */
  async start(): Promise<void> {
    for (const d of this.options.extraDirs) this.watchDir(d, false)
    if (nativeRecursive) {
      this.watchDir(this.options.root, true)
      return
    }
    await this.addTree(this.options.root)
  }

  /** How many folders have a watcher (for benches and tests). */
  get watchedDirs(): number {
    return this.watchers.size
  }

  /** True once the tree was too big to watch and is polled instead. */
  get polling(): boolean {
    return this.poll !== null
  }

  dispose(): void {
    this.disposed = true
    for (const w of this.watchers.values()) w.close()
    this.watchers.clear()
    if (this.poll) clearInterval(this.poll)
    this.poll = null
  }

  private rel(abs: string, dir: boolean): string {
    const r = relative(this.options.root, abs).split(sep).join('/')
    return dir ? `${r}/` : r
  }

  private skipped(rel: string): boolean | Promise<boolean> {
    if (rel === '.git' || rel === '.git/' || rel.startsWith('.git/')) return true
    return this.options.isIgnored(rel)
  }

  private async addTree(dir: string): Promise<void> {
    const queue = [dir]
    while (queue.length > 0 && !this.disposed && !this.poll) {
      const d = queue.shift()!
      if (this.watchers.size >= (this.options.maxDirs ?? 10_000)) {
        this.startPolling()
        return
      }
      if (!this.watchDir(d, false)) continue
      const entries = await readdir(d, { withFileTypes: true }).catch(() => [])
      for (const e of entries) {
        if (!e.isDirectory()) continue
        const child = join(d, e.name)
        if (!(await this.skipped(this.rel(child, true)))) queue.push(child)
      }
    }
  }

  private watchDir(dir: string, recursive: boolean): boolean {
    if (this.watchers.has(dir) || this.disposed) return false
    try {
      const w = watch(dir, { persistent: false, recursive }, (event, name) => void this.onEvent(dir, event, name?.toString() ?? null))
      w.on('error', () => {
        w.close()
        this.watchers.delete(dir)
        this.options.onChange()
      })
      this.watchers.set(dir, w)
      return true
    } catch {
      return false
    }
  }

  private async onEvent(dir: string, event: string, name: string | null): Promise<void> {
    if (this.disposed) return
    if (name === null || this.options.extraDirs.includes(dir)) return this.options.onChange()
    const abs = join(dir, name)
    const rel = this.rel(abs, false)
    if (await this.skipped(rel)) return
    // A folder that appeared (or moved in) needs its own watchers on Linux; only 'rename' events can mean one,
    // so the writes of a busy agent ('change') cost no extra syscall.
    if (!nativeRecursive && event === 'rename' && !this.watchers.has(abs)) {
      const isDir = await readdir(abs).then(
        () => true,
        () => false
      )
      if (isDir && !(await this.skipped(`${rel}/`))) await this.addTree(abs)
    }
    this.options.onChange()
  }

  private startPolling(): void {
    for (const [d, w] of this.watchers) {
      if (this.options.extraDirs.includes(d)) continue
      w.close()
      this.watchers.delete(d)
    }
    this.poll = setInterval(() => this.options.onChange(), this.options.pollMs ?? 3000)
    this.poll.unref()
  }
}
