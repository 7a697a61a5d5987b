import { ErrorCode } from '../../shared/errors'
import type { Thread } from '../../shared/models'
import type { RpcClient } from '../../shared/rpc-client'
import { errorCode, request } from './rpc'
import { useThreads } from './threads-store'
import { isArchived } from './thread-groups'

/** The first page: enough live threads to fill the sidebar and the dashboard's first screen. */
export const FIRST_PAGE = 300
/** The background pages after it (the core's maximum). */
export const LATER_PAGE = 5000

// Each connection gets a new generation; pages of an older one are dropped rather than merged.
let generation = 0
let countTimer: ReturnType<typeof setTimeout> | null = null

const yieldToUi = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/** The first page of live threads and the archived count, from a fresh connection (applied by the caller at once). */
export async function firstThreads(
  client: RpcClient
): Promise<{ threads: Thread[]; next: string | null; liveTotal: number; archivedTotal: number }> {
  generation++
  const [live, archived] = await Promise.all([
    client.request('thread/list', { archived: 'exclude', limit: FIRST_PAGE }),
    client.request('thread/list', { archived: 'only', limit: 1 })
  ])
  return { threads: live.threads, next: live.next, liveTotal: live.total, archivedTotal: archived.total }
}

/**
 * Loads the remaining live threads page by page after `cursor`, yielding to the UI between pages; then the
 * archived rows too when the person had the Archived section open. Stops when the connection is replaced.
 */
export async function loadRemainingThreads(client: RpcClient, cursor: string | null): Promise<void> {
  const mine = generation
  try {
    while (cursor !== null) {
      await yieldToUi()
      if (mine !== generation) return
      const page = await client.request('thread/list', { archived: 'exclude', limit: LATER_PAGE, cursor })
      if (mine !== generation) return
      useThreads.getState().merge(page.threads)
      cursor = page.next
    }
    useThreads.setState({ liveComplete: true })
  } catch (e) {
    // A lost connection starts over on reconnect; anything else is a bug worth seeing.
    if (errorCode(e) !== ErrorCode.Disconnected) console.warn('Skein: could not load every thread', e)
  }
}

/** Loads the archived threads' rows (all pages, in the background) the first time the Archived section opens. */
export async function loadArchivedRows(): Promise<void> {
  if (useThreads.getState().archivedRows !== 'not-loaded' || !useThreads.getState().loaded) return
  const mine = generation
  useThreads.setState({ archivedRows: 'loading' })
  try {
    let cursor: string | undefined
    do {
      const page = await request('thread/list', { archived: 'only', limit: LATER_PAGE, cursor })
      if (mine !== generation) return
      useThreads.getState().merge(page.threads)
      cursor = page.next ?? undefined
      if (cursor) await yieldToUi()
    } while (cursor && mine === generation)
    if (mine === generation) useThreads.setState({ archivedRows: 'loaded' })
  } catch (e) {
    // Stays 'loading' (no retry loop while disconnected): the next connection's first page resets it.
    if (errorCode(e) !== ErrorCode.Disconnected) console.warn('Skein: could not load the archived threads', e)
  }
}

/**
 * The thread, fetched with `thread/get` when it is not loaded yet (an archived one, or one a later page brings);
 * null when the core does not know it.
 */
export async function ensureThread(threadId: string): Promise<Thread | null> {
  const known = useThreads.getState().byId[threadId]
  if (known) return known
  try {
    const thread = await request('thread/get', { threadId })
    // A notification may have brought a newer version meanwhile.
    const now = useThreads.getState().byId[threadId]
    if (now) return now
    useThreads.getState().merge([thread])
    return thread
  } catch (e) {
    if (errorCode(e) === ErrorCode.ThreadNotFound) return null
    throw e
  }
}

/**
 * Keeps the Archived header's count right for changes to threads whose earlier version is not loaded: whether one
 * moved in or out of the archive is unknown then, so the count is asked again (one thread, not a re-list).
 */
export function noteThreadChange(previous: Thread | undefined, thread: Thread | null): void {
  const s = useThreads.getState()
  if (previous || s.archivedRows === 'loaded') return
  const ambiguous = thread === null || isArchived(thread) || s.liveComplete
  if (ambiguous) refreshArchivedCount()
}

/** Asks the core for the archived count again, once for a burst of changes. */
export function refreshArchivedCount(): void {
  if (countTimer) return
  const mine = generation
  countTimer = setTimeout(() => {
    countTimer = null
    request('thread/list', { archived: 'only', limit: 1 })
      .then(({ total }) => {
        if (mine === generation) useThreads.setState({ archivedTotal: total })
      })
      .catch(() => undefined) // disconnected: the next connection counts again
  }, 250)
}
