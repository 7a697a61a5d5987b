import { create } from 'zustand'
import type { ThreadStatus } from '../../../shared/models'
import type { SearchAgent, SearchResult, SearchState } from '../../../shared/search'

/** How far back a search looks. */
export type SearchSince = 'any' | '24h' | '7d' | '30d'

/** The filters the sidebar's search offers. */
export interface SearchFilters {
  repoId: string | null
  status: ThreadStatus | null
  agent: SearchAgent | null
  since: SearchSince
}

/** Where the last search stands. */
export type SearchPhase = 'idle' | 'loading' | 'done' | 'error'

interface SearchStore {
  /** The results panel replaces the sidebar's tree while open. */
  open: boolean
  query: string
  filters: SearchFilters
  phase: SearchPhase
  results: SearchResult[]
  nextCursor: string | null
  error: string | null
  /** The result Enter opens (arrow keys move it). */
  active: number
  /** What the index is doing, as the core last said. */
  index: SearchState | null
}

/** The sidebar search: what is typed, its filters, and its results. */
export const useSearch = create<SearchStore>()(() => ({
  open: false,
  query: '',
  filters: { repoId: null, status: null, agent: null, since: 'any' },
  phase: 'idle',
  results: [],
  nextCursor: null,
  error: null,
  active: 0,
  index: null
}))
