import { ErrorCode } from '../../shared/errors'
import type { Thread } from '../../shared/models'
import type { RpcClient } from '../../shared/rpc-client'
import { errorCode, request } from './rpc'
import { useThreads } from './threads-store'

/** The first page: enough live threads to fill the sidebar and the dashboard's first screen. */
export const FIRST_PAGE = 300
/** The pages of archived rows (the core's maximum). */
const LATER_PAGE = 5000

// Each connection gets a new generation; pages of an older one are dropped rather than merged.
let generation = 0

const yieldToUi = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * The first page of live threads, from a fresh connection (applied by the caller at once). The counts follow
 * (countThreads); further pages load as the sidebar and dashboard show placeholder rows (thread-windows.ts).
 */
export async function firstThreads(client: RpcClient): Promise<{ threads: Thread[]; next: string | null }> {
  generation++
  const live = await client.request('thread/list', { archived: 'exclude', limit: FIRST_PAGE })
  return { threads: live.threads, next: live.next }
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
