import { create } from 'zustand'

/** What the person is writing in a thread's composer. */
export interface Draft {
  text: string
  /** Worktree-relative paths attached to the next message. */
  attachments: string[]
}

interface DraftsState {
  byThread: Record<string, Draft>
  /** Steering messages sent but not yet in the transcript (the agent takes them at its next step). */
  queued: Record<string, string[]>
  set: (threadId: string, draft: Draft) => void
  queue: (threadId: string, text: string) => void
  /** Drops a queued message once the transcript shows it. */
  dequeue: (threadId: string, text: string) => void
}

/** Unsent messages per thread, kept while the person switches tabs or threads, and steers on their way. */
export const useDrafts = create<DraftsState>()((set) => ({
  byThread: {},
  queued: {},
  set: (threadId, draft) => set((s) => ({ byThread: { ...s.byThread, [threadId]: draft } })),
  queue: (threadId, text) => set((s) => ({ queued: { ...s.queued, [threadId]: [...(s.queued[threadId] ?? []), text] } })),
  dequeue: (threadId, text) =>
    set((s) => {
      const list = s.queued[threadId]
      const i = list ? list.indexOf(text) : -1
      if (!list || i < 0) return s
      return { queued: { ...s.queued, [threadId]: [...list.slice(0, i), ...list.slice(i + 1)] } }
    })
}))

/**
 * Puts text back in a thread's composer (a rewound prompt, as Claude Code's /rewind does); an unsent draft is
 * never overwritten. True when the text is now the draft.
 */
export function offerDraft(threadId: string, text: string): boolean {
  const { byThread, set } = useDrafts.getState()
  const draft = byThread[threadId]
  if (draft?.text.trim() && draft.text !== text) return false
  set(threadId, { text, attachments: draft?.attachments ?? [] })
  return true
}

/** Takes back text `offerDraft` put there (after an Undo), unless the person has changed it since. */
export function withdrawDraft(threadId: string, text: string): void {
  const { byThread, set } = useDrafts.getState()
  const draft = byThread[threadId]
  if (draft && draft.text === text) set(threadId, { ...draft, text: '' })
}
