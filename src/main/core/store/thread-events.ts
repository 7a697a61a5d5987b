import { defaultConversation, type Repo, type Thread } from '../../../shared/models'
import { DEFAULT_MODEL } from '../../../shared/pricing'

/** A line of a thread's events.jsonl. Later features append their own types; unknown ones are kept and ignored here. */
export type ThreadEvent =
  | { type: 'thread.created'; at: number; thread: Thread; repo: Repo }
  | { type: 'thread.changed'; at: number; reason: string; patch: Partial<Thread> }
  | { type: string; at: number; [key: string]: unknown }

/** Folds a log into the thread it describes; null when the log has no creation event. */
export function foldThread(events: readonly ThreadEvent[]): { thread: Thread; repo: Repo } | null {
  let thread: Thread | null = null
  let repo: Repo | null = null
  for (const event of events) {
    const e = event as { type: string; thread?: unknown; repo?: unknown; patch?: unknown }
    if (e.type === 'thread.created' && e.thread && typeof e.thread === 'object') {
      thread = withDefaults(e.thread as Thread)
      repo = (e.repo as Repo) ?? null
    } else if (e.type === 'thread.changed' && thread !== null && e.patch && typeof e.patch === 'object') {
      const current: Thread = thread
      thread = { ...current, ...(e.patch as Partial<Thread>), id: current.id }
    }
  }
  return thread && repo ? { thread: withDefaults(thread), repo } : null
}

/** Fills fields added after a thread was first written, so older logs and indexes load cleanly; no turn is busy after a load. */
export function withDefaults(thread: Thread): Thread {
  return {
    ...thread,
    agent: thread.agent ?? null,
    unread: thread.unread ?? false,
    imported: thread.imported ?? null,
    conversation: { ...defaultConversation(DEFAULT_MODEL), ...thread.conversation, busy: false }
  }
}
