import { create } from 'zustand'

/**
 * A point in a thread's history: a checkpoint, just before a built-in turn, the end of one (with the turn that
 * followed it in the conversation, when one did), or its state now.
 */
export type HistoryPoint = { checkpoint: number } | { beforeTurn: string } | { afterTurn: string; nextTurn?: string } | { now: true }

/** The one modal dialog that can be open at a time. */
export type OpenDialog =
  | { kind: 'add-repo' }
  | { kind: 'new-thread'; repoId?: string }
  | { kind: 'rename-thread'; threadId: string }
  | { kind: 'delete-thread'; threadId: string }
  | { kind: 'agent-settings'; repoId?: string }
  | { kind: 'close-terminal'; threadId: string; ptyId: string }
  | { kind: 'settings' }
  | { kind: 'fanout'; repoId?: string }
  | { kind: 'import-sessions'; repoId?: string }
  | { kind: 'environment'; repoId: string }
  | { kind: 'disk'; repoId?: string }
  | { kind: 'rewind'; threadId: string; point: HistoryPoint }
  | { kind: 'fork'; threadId: string; point: HistoryPoint }
  | { kind: 'create-pr'; threadId: string }

interface DialogsState {
  dialog: OpenDialog | null
  open: (dialog: OpenDialog) => void
  close: () => void
}

/** Which modal dialog is open, if any. */
export const useDialogs = create<DialogsState>()((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null })
}))
