import { create } from 'zustand'
import type { CiCheckState, CiLog, CiProviderOverride, LocalRun, SuggestedCheck } from '../../../shared/ci'
import { without } from '../../lib/record'

/** The answer to `ci/checks`: the repository's check commands, suggestions, the thread's runs, the provider override. */
export interface ChecksInfo {
  configured: string[]
  suggestions: SuggestedCheck[]
  runs: LocalRun[]
  override: CiProviderOverride | null
}

/** One thread's CI tab as this client holds it. */
export interface ThreadCiPanel {
  /** The check whose log is open: a remote check's id, or `local:<runId>`. */
  selected: string | null
  checks: ChecksInfo | null
  checksError: string | null
}

/** A fetched (or fetching) log, with the check state it was fetched in (a running check's log grows). */
export interface LogEntry {
  log: CiLog | null
  error: string | null
  loading: boolean
  state: CiCheckState
}

/** Output of local runs as it printed, kept up to this many characters per run (the tail). */
export const LIVE_OUTPUT_LIMIT = 512 * 1024
const MAX_LOGS = 20
const MAX_OUTPUTS = 20

interface CiPanelState {
  byThread: Record<string, ThreadCiPanel>
  logs: Record<string, LogEntry>
  /** Live output by run id; `cut` says the head was dropped to stay under the limit. */
  output: Record<string, { text: string; cut: boolean }>
  patch: (threadId: string, change: Partial<ThreadCiPanel>) => void
  setLog: (key: string, entry: LogEntry) => void
  appendOutput: (runId: string, chunk: string) => void
  forgetThread: (threadId: string) => void
}

const empty = (): ThreadCiPanel => ({ selected: null, checks: null, checksError: null })

/** The key of a check's log in the store. */
export const logKey = (threadId: string, checkId: string): string => `${threadId}\0${checkId}`

/** Drops the oldest keys of a record beyond `max` (records keep insertion order). */
function capped<T>(record: Record<string, T>, max: number): Record<string, T> {
  const keys = Object.keys(record)
  if (keys.length <= max) return record
  const out = { ...record }
  for (const k of keys.slice(0, keys.length - max)) delete out[k]
  return out
}

/** The CI tab's state per thread (open check, local checks), fetched logs and local runs' live output. */
export const useCiPanel = create<CiPanelState>()((set) => ({
  byThread: {},
  logs: {},
  output: {},
  patch: (threadId, change) =>
    set((s) => ({ byThread: { ...s.byThread, [threadId]: { ...(s.byThread[threadId] ?? empty()), ...change } } })),
  setLog: (key, entry) =>
    set((s) => {
      const logs = { ...s.logs }
      delete logs[key] // re-inserted last, so the newest survive the cap
      logs[key] = entry
      return { logs: capped(logs, MAX_LOGS) }
    }),
  appendOutput: (runId, chunk) =>
    set((s) => {
      const previous = s.output[runId]
      let text = (previous?.text ?? '') + chunk
      let cut = previous?.cut ?? false
      if (text.length > LIVE_OUTPUT_LIMIT) {
        const from = text.indexOf('\n', text.length - LIVE_OUTPUT_LIMIT)
        text = text.slice(from < 0 ? text.length - LIVE_OUTPUT_LIMIT : from + 1)
        cut = true
      }
      const output = previous ? { ...s.output, [runId]: { text, cut } } : capped({ ...s.output, [runId]: { text, cut } }, MAX_OUTPUTS)
      return { output }
    }),
  forgetThread: (threadId) =>
    set((s) => {
      const byThread = without(s.byThread, threadId)
      const logs = Object.fromEntries(Object.entries(s.logs).filter(([k]) => !k.startsWith(`${threadId}\0`)))
      return { byThread, logs }
    })
}))

/** A thread's CI tab state (empty before the tab was opened). */
export const useThreadCiPanel = (threadId: string): ThreadCiPanel | undefined => useCiPanel((s) => s.byThread[threadId])
