import { create } from 'zustand'
import type { ImportReport, Item } from '../../../shared/models'
import type { ResultOf } from '../../../shared/methods'

/** A Claude Code or Codex session found on disk, as `handoff/sessions` lists it. */
export type SessionSummary = ResultOf<'handoff/sessions'>['sessions'][number]
/** Which CLI a session comes from. */
export type SessionSource = SessionSummary['source']
/** The source filter of the import view: one CLI, or both. */
export type SourceFilter = SessionSource | 'all'

/** The sessions found for one repository folder. */
export interface SessionListing {
  sessions: SessionSummary[]
  loading: boolean
  /** The core's message when listing failed. */
  error: string | null
}

/** The head of one session, for the preview pane. */
export type SessionPreview =
  | { status: 'loading' }
  | { status: 'ready'; title: string; items: Item[]; total: number; report: ImportReport }
  | { status: 'error'; message: string }

interface HandoffState {
  /** Listings by repository id. */
  byRepo: Record<string, SessionListing>
  /** Previews by `previewKey` (path and mtime, so a session that grew is read again). */
  previews: Record<string, SessionPreview>
  filter: SourceFilter
  /** The session picked in the list, by `sessionKey`. */
  selected: string | null
  /** The session being imported right now, by `sessionKey`. */
  importing: string | null
  setListing: (repoId: string, change: Partial<SessionListing>) => void
  setPreview: (key: string, preview: SessionPreview) => void
  setFilter: (filter: SourceFilter) => void
  select: (key: string | null) => void
  setImporting: (key: string | null) => void
}

const EMPTY: SessionListing = { sessions: [], loading: false, error: null }

/** A session's identity in the list: its source and file. */
export const sessionKey = (s: Pick<SessionSummary, 'source' | 'path'>): string => `${s.source}:${s.path}`

/** What a preview is cached under: the file and when it last changed. */
export const previewKey = (s: Pick<SessionSummary, 'source' | 'path' | 'updatedAt'>): string => `${sessionKey(s)}@${s.updatedAt}`

/** The import view's state: sessions found per repository, previews, the filter and the selection. */
export const useHandoff = create<HandoffState>()((set) => ({
  byRepo: {},
  previews: {},
  filter: 'all',
  selected: null,
  importing: null,
  setListing: (repoId, change) => set((s) => ({ byRepo: { ...s.byRepo, [repoId]: { ...(s.byRepo[repoId] ?? EMPTY), ...change } } })),
  setPreview: (key, preview) => set((s) => ({ previews: { ...s.previews, [key]: preview } })),
  setFilter: (filter) => set({ filter }),
  select: (selected) => set({ selected }),
  setImporting: (importing) => set({ importing })
}))

/** The sessions a filter lets through. */
export const filterSessions = (sessions: SessionSummary[], filter: SourceFilter): SessionSummary[] =>
  filter === 'all' ? sessions : sessions.filter((s) => s.source === filter)
