import { watch, type FSWatcher } from 'node:fs'
import type { Disposable } from '../../../shared/jsonrpc'

/**
 * Watches SKEIN_HOME/worktrees/<repo> folders (one level, no polling) and reports the name of
 * any entry that appears or disappears, so a worktree deleted behind Skein's back is noticed at once.
 */
export class WorktreeWatcher implements Disposable {
  private readonly watchers = new Map<string, FSWatcher>()

  constructor(private readonly onChange: (repoDir: string, entry: string) => void) {}

  /** Starts watching a repo's worktree folder if it exists and is not watched yet. */
  ensure(repoDir: string): void {
    if (this.watchers.has(repoDir)) return
    try {
      const w = watch(repoDir, { persistent: false }, (_event, name) => {
        if (name) this.onChange(repoDir, name.toString())
      })
      w.on('error', () => {
        w.close()
        this.watchers.delete(repoDir)
      })
      this.watchers.set(repoDir, w)
    } catch {
      // The folder does not exist yet; the first worktree made in it calls ensure again.
    }
  }

  /** Stops every watcher. */
  dispose(): void {
    for (const w of this.watchers.values()) w.close()
    this.watchers.clear()
  }
}
