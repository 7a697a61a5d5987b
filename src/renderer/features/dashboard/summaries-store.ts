import { useEffect } from 'react'
import { create } from 'zustand'
import type { ThreadSummary } from '../../../shared/models'
import { errorMessage, request } from '../../app/rpc'

interface SummariesState {
  byThread: Record<string, ThreadSummary>
  putMany: (summaries: ThreadSummary[]) => void
  forget: (threadId: string) => void
}

/** What the dashboard shows of each thread's live work (`thread/summaries`, kept live by `thread/summary`). */
export const useSummaries = create<SummariesState>()((set) => ({
  byThread: {},
  putMany: (summaries) =>
    set((s) => {
      if (summaries.length === 0) return s
      const byThread = { ...s.byThread }
      for (const summary of summaries) byThread[summary.threadId] = summary
      return { byThread }
    }),
  forget: (threadId) =>
    set((s) => {
      if (!(threadId in s.byThread)) return s
      const byThread = { ...s.byThread }
      delete byThread[threadId]
      return { byThread }
    })
}))

/** How many shown cards or rows want each thread's summary. */
const shown = new Map<string, number>()
/** Threads asked for since the last connect or the dashboard was shown (their changes then arrive as notifications). */
const asked = new Set<string>()
let pending = new Set<string>()
let flushTimer: ReturnType<typeof setTimeout> | null = null

function flush(): void {
  flushTimer = null
  const ids = [...pending]
  pending = new Set()
  if (ids.length === 0) return
  request('thread/summaries', { threadIds: ids })
    .then(({ summaries }) => useSummaries.getState().putMany(summaries))
    .catch((e) => {
      for (const id of ids) asked.delete(id)
      console.warn('Skein: could not load thread summaries', errorMessage(e))
    })
}

function ask(threadId: string): void {
  if (asked.has(threadId)) return
  asked.add(threadId)
  pending.add(threadId)
  // The cards that mount together are asked for in one request.
  flushTimer ??= setTimeout(flush, 16)
}

/** A thread's summary, asked for while the calling card or row is shown. */
export function useThreadSummary(threadId: string): ThreadSummary | undefined {
  useEffect(() => {
    shown.set(threadId, (shown.get(threadId) ?? 0) + 1)
    ask(threadId)
    return () => {
      const n = (shown.get(threadId) ?? 1) - 1
      if (n > 0) shown.set(threadId, n)
      else shown.delete(threadId)
    }
  }, [threadId])
  return useSummaries((s) => s.byThread[threadId])
}

/** Applies a `thread/summary` notification. */
export function routeSummary(summary: ThreadSummary): void {
  useSummaries.getState().putMany([summary])
}

/** After a (re)connect: everything known may be stale, so the shown threads are asked for again. */
export function reloadSummaries(): void {
  asked.clear()
  for (const id of shown.keys()) ask(id)
}

/** The dashboard was left: when it shows again, its threads are asked for (and measured) again. */
export function forgetAsked(): void {
  asked.clear()
}

/** Forgets a thread that is gone. */
export function forgetSummary(threadId: string): void {
  asked.delete(threadId)
  useSummaries.getState().forget(threadId)
}
