import { create } from 'zustand'

/** What the person is writing in a thread's composer. */
export interface Draft {
  text: string
  /** Worktree-relative paths attached to the next message. */
  attachments: string[]
}

interface DraftsState {
  byThread: Record<string, Draft>
  set: (threadId: string, draft: Draft) => void
}

/** Unsent messages per thread, kept while the person switches tabs or threads. */
export const useDrafts = create<DraftsState>()((set) => ({
  byThread: {},
  set: (threadId, draft) => set((s) => ({ byThread: { ...s.byThread, [threadId]: draft } }))
}))
