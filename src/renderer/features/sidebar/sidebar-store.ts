import { create } from 'zustand'

const COLLAPSED_KEY = 'skein.sidebar.collapsed'
const ARCHIVED_KEY = 'skein.sidebar.showArchived'
const WIDTH_KEY = 'skein.sidebar.width'

/** Limits and default of the sidebar width, in CSS pixels. */
export const sidebarWidth = { min: 200, max: 520, initial: 300 } as const
const clampWidth = (w: number) => Math.round(Math.min(sidebarWidth.max, Math.max(sidebarWidth.min, w)))

function load<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key)
    return raw === null ? fallback : (JSON.parse(raw) as T)
  } catch {
    return fallback
  }
}

function save(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // storage full or unavailable: the choice then lasts for this page only
  }
}

interface SidebarState {
  /** Repository ids whose thread lists are folded away. */
  collapsed: ReadonlySet<string>
  showArchived: boolean
  width: number
  setWidth: (width: number) => void
  setCollapsed: (repoId: string, collapsed: boolean) => void
  toggleCollapsed: (repoId: string) => void
  setShowArchived: (show: boolean) => void
}

const initialCollapsed = load<unknown>(COLLAPSED_KEY, [])

/** Sidebar view state, remembered across restarts in localStorage. */
export const useSidebar = create<SidebarState>()((set, get) => ({
  collapsed: new Set(Array.isArray(initialCollapsed) ? initialCollapsed.filter((x): x is string => typeof x === 'string') : []),
  showArchived: load<boolean>(ARCHIVED_KEY, false) === true,
  width: clampWidth(Number(load<number>(WIDTH_KEY, sidebarWidth.initial)) || sidebarWidth.initial),
  setWidth: (width) => {
    const next = clampWidth(width)
    save(WIDTH_KEY, next)
    set({ width: next })
  },
  setCollapsed: (repoId, collapsed) => {
    if (get().collapsed.has(repoId) === collapsed) return
    const next = new Set(get().collapsed)
    if (collapsed) next.add(repoId)
    else next.delete(repoId)
    save(COLLAPSED_KEY, [...next])
    set({ collapsed: next })
  },
  toggleCollapsed: (repoId) => get().setCollapsed(repoId, !get().collapsed.has(repoId)),
  setShowArchived: (show) => {
    save(ARCHIVED_KEY, show)
    set({ showArchived: show })
  }
}))
