import { create } from 'zustand'
import type { AutopilotState } from '../../../shared/autopilot'
import { without } from '../../lib/record'

interface AutopilotStore {
  /** Each thread's autopilot as the core last said; a thread not here has never been asked about. */
  byThread: Record<string, AutopilotState>
  /** Replaces everything (the answer to `autopilot/list` on connect), keeping threads asked about one by one. */
  replaceAll: (states: AutopilotState[]) => void
  put: (state: AutopilotState) => void
  forget: (threadId: string) => void
}

/** Every known thread's autopilot, fed by `autopilot/list`, `autopilot/get` and `autopilot/updated`. */
export const useAutopilot = create<AutopilotStore>()((set) => ({
  byThread: {},
  replaceAll: (states) =>
    set((s) => {
      const byThread: Record<string, AutopilotState> = {}
      // A thread listed no more (turned off, no attempts) keeps its last state, now off.
      for (const [id, old] of Object.entries(s.byThread)) byThread[id] = { ...old, settings: { ...old.settings, enabled: false } }
      for (const state of states) byThread[state.threadId] = state
      return { byThread }
    }),
  put: (state) =>
    set((s) => {
      const old = s.byThread[state.threadId]
      // Notifications can overtake an answer: the newer state wins.
      if (old && old.updatedAt > state.updatedAt) return s
      return { byThread: { ...s.byThread, [state.threadId]: state } }
    }),
  forget: (threadId) =>
    set((s) => {
      const byThread = without(s.byThread, threadId)
      return byThread === s.byThread ? s : { byThread }
    })
}))

/** A thread's autopilot, or undefined until the core has said; re-renders only when that thread's changes. */
export const useAutopilotState = (threadId: string): AutopilotState | undefined => useAutopilot((s) => s.byThread[threadId])
