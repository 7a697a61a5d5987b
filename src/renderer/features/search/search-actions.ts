import type { SearchParams, SearchResult, SearchState } from '../../../shared/search'
import type { z } from 'zod'
import { errorMessage, request } from '../../state/rpc'
import { notifyInfo } from '../../state/notify'
import { useNavigation } from '../../state/navigation-store'
import { useThreadView } from '../../state/thread-view-store'
import { revealItem } from '../conversation'
import { useSearch, type SearchFilters, type SearchSince } from './search-store'

/** How long typing pauses before the search runs. */
const DEBOUNCE_MS = 150
const PAGE = 30
const SINCE_MS: Record<Exclude<SearchSince, 'any'>, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 }

let timer: ReturnType<typeof setTimeout> | null = null
let sequence = 0
let input: HTMLInputElement | null = null
let noticeShown: string | null = null

/** The search box registers its input so Ctrl/⌘+K can focus it. */
export function registerSearchInput(el: HTMLInputElement | null): void {
  input = el
}

/** Focuses the sidebar's search box and selects what it holds (Ctrl/⌘+K). */
export function focusSearch(): void {
  useSearch.setState({ open: true })
  input?.focus()
  input?.select()
}

/** Closes the results and returns to the thread tree (Escape). */
export function closeSearch(): void {
  if (timer) clearTimeout(timer)
  timer = null
  sequence++
  useSearch.setState({ open: false })
  input?.blur()
}

/** Sets what is searched for; the search runs once typing pauses. */
export function setSearchQuery(query: string): void {
  useSearch.setState({ query, open: true })
  schedule()
}

/** Changes a filter and searches again. */
export function setSearchFilter<K extends keyof SearchFilters>(key: K, value: SearchFilters[K]): void {
  useSearch.setState((s) => ({ filters: { ...s.filters, [key]: value } }))
  schedule(0)
}

/** Moves the highlighted result by `delta`, staying within the list. */
export function moveActive(delta: number): void {
  useSearch.setState((s) => ({ active: Math.max(0, Math.min(s.results.length - 1, s.active + delta)) }))
}

/** Fetches the next page of results. */
export async function loadMoreResults(): Promise<void> {
  const { nextCursor } = useSearch.getState()
  if (nextCursor) await run(nextCursor)
}

/** Opens a result: its thread, on the Conversation tab, scrolled to the matched item (a title match opens the thread). */
export function openResult(r: SearchResult): void {
  useNavigation.getState().selectThread(r.threadId)
  if (r.itemId) {
    useThreadView.getState().setTab(r.threadId, 'conversation')
    revealItem(r.threadId, r.itemId)
  }
  closeSearch()
}

/** The index's news: a rebuild starting is a notice; the panel shows the state either way. */
export function noteSearchIndex(state: SearchState): void {
  useSearch.setState({ index: state })
  if (state.state === 'rebuilding' && state.message && noticeShown !== state.message) {
    noticeShown = state.message
    notifyInfo('Rebuilding the search index', `${state.message} Results may be incomplete until it is done.`)
  }
  if (state.state === 'ready' && useSearch.getState().query.trim()) schedule(0)
}

/** Asks the core what the index is doing (after connecting: a rebuild may have begun before this window). */
export async function syncSearchIndex(): Promise<void> {
  try {
    noteSearchIndex(await request('search/status'))
  } catch {
    // Not connected yet: the next connection asks again.
  }
}

function schedule(delay = DEBOUNCE_MS): void {
  if (timer) clearTimeout(timer)
  timer = setTimeout(() => {
    timer = null
    void run(null)
  }, delay)
}

async function run(cursor: string | null): Promise<void> {
  const { query, filters } = useSearch.getState()
  const seq = ++sequence
  if (!query.trim()) {
    useSearch.setState({ phase: 'idle', results: [], nextCursor: null, error: null, active: 0 })
    return
  }
  useSearch.setState({ phase: 'loading' })
  const params: z.input<typeof SearchParams> = { query, limit: PAGE }
  if (filters.repoId) params.repoId = filters.repoId
  if (filters.status) params.status = filters.status
  if (filters.agent) params.profileId = filters.agent
  if (filters.since !== 'any') params.since = Date.now() - SINCE_MS[filters.since]
  if (cursor) params.cursor = cursor
  try {
    const page = await request('search/query', params)
    if (seq !== sequence) return
    useSearch.setState((s) => ({
      phase: 'done',
      results: cursor ? [...s.results, ...page.results] : page.results,
      nextCursor: page.nextCursor,
      error: null,
      active: cursor ? s.active : 0,
      index: page.index
    }))
  } catch (e) {
    if (seq !== sequence) return
    useSearch.setState({ phase: 'error', error: errorMessage(e), results: [], nextCursor: null })
  }
}

let linkOpened = false

/** A link from `skein search` (…?thread=<id>&item=<id>) opens the thread at that item, once per page. */
export function openLinkedItem(): void {
  if (linkOpened) return
  linkOpened = true
  const params = new URLSearchParams(location.search)
  const threadId = params.get('thread')
  const itemId = params.get('item')
  if (threadId && itemId) {
    useThreadView.getState().setTab(threadId, 'conversation')
    revealItem(threadId, itemId)
  }
}
