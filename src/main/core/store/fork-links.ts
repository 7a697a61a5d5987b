import type { Thread } from '../../../shared/models'
import type { IndexEntry } from './thread-index-file'

/**
 * Which threads were forked from which: each parent's forks by id (live and archived), kept in step with the
 * store's entries, so a thread's `forkCount` and a `thread/list` of one thread's forks never scan every thread.
 * A parent that is gone keeps its forks here: they still name it, and it may come back (a log restored).
 */
export class ForkLinks {
  private readonly children = new Map<string, Set<string>>()

  /** `entries` is the store's own map: stamping a count replaces a parent's entry in it. */
  constructor(private readonly entries: Map<string, IndexEntry>) {}

  /** Records `next` in place of `prev` (either may be absent); returns the parents whose count changed. */
  replace(prev: Thread | undefined, next: Thread | undefined): string[] {
    const before = prev?.forkedFrom?.threadId
    const after = next?.forkedFrom?.threadId
    if (before === after) return []
    const id = (prev ?? next)!.id
    const changed: string[] = []
    if (before && this.unlink(before, id)) changed.push(before)
    if (after && this.link(after, id)) changed.push(after)
    return changed
  }

  /** Links every entry again and stamps each one's count (entries set in bulk); returns the threads and those restamped. */
  relinkAll(): { threads: Thread[]; restamped: Thread[] } {
    this.children.clear()
    for (const e of this.entries.values()) if (e.thread.forkedFrom?.threadId) this.link(e.thread.forkedFrom.threadId, e.thread.id)
    const threads: Thread[] = []
    const restamped: Thread[] = []
    for (const [id, e] of this.entries) {
      const thread = this.stamp(e.thread)
      if (thread !== e.thread) {
        restamped.push(thread)
        this.entries.set(id, { ...e, thread })
      }
      threads.push(thread)
    }
    return { threads, restamped }
  }

  /** Gives a parent's entry its current count; returns the thread before and after, or null when nothing moved. */
  restamp(id: string): { old: Thread; thread: Thread } | null {
    const e = this.entries.get(id)
    if (!e) return null
    const thread = this.stamp(e.thread)
    if (thread === e.thread) return null
    this.entries.set(id, { ...e, thread })
    return { old: e.thread, thread }
  }

  /** The threads forked from this one, live and archived, in creation order. */
  forksOf(parentId: string): Thread[] {
    const forks: Thread[] = []
    for (const id of this.children.get(parentId) ?? []) forks.push(this.entries.get(id)!.thread)
    return forks.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
  }

  /** `t` with the fork count this index has for it: `t` itself when it already says so (absent means none). */
  stamp(t: Thread): Thread {
    const n = this.children.get(t.id)?.size ?? 0
    if ((t.forkCount ?? 0) === n && (n > 0 || t.forkCount === undefined)) return t
    return n > 0 ? { ...t, forkCount: n } : withoutForkCount(t)
  }

  private link(parentId: string, id: string): boolean {
    const set = this.children.get(parentId)
    if (!set) this.children.set(parentId, new Set([id]))
    else if (set.has(id)) return false
    else set.add(id)
    return true
  }

  private unlink(parentId: string, id: string): boolean {
    const set = this.children.get(parentId)
    if (!set?.delete(id)) return false
    if (set.size === 0) this.children.delete(parentId)
    return true
  }
}

/** The thread as it is written to disk: `forkCount` is derived from the other threads, never stored. */
export function withoutForkCount(t: Thread): Thread {
  if (t.forkCount === undefined) return t
  const { forkCount: _derived, ...rest } = t
  return rest
}
