import { create } from 'zustand'
import type { ThreadState } from '../../shared/thread-state'

/** How the dashboard lays threads out: a wall of live cards, a dense list, or chosen by how many there are. */
export type DashboardLayout = 'cards' | 'list' | 'auto'

/** Up to this many threads, the automatic layout is cards; beyond, a list. */
export const AUTO_CARDS_MAX = 12

const LAYOUT_KEY = 'skein.dashboard.layout'

function loadLayout(): DashboardLayout {
  try {
    const raw = localStorage.getItem(LAYOUT_KEY)
    return raw === 'cards' || raw === 'list' ? raw : 'auto'
  } catch {
    return 'auto'
  }
}

interface DashboardState {
  /** Show only this repository's threads; null shows all. */
  repoId: string | null
  /** Show only threads in this state; null shows all. */
  status: ThreadState | null
  /** The layout the person chose (remembered across restarts); 'auto' until they choose. */
  layout: DashboardLayout
  setRepo: (repoId: string | null) => void
  setStatus: (status: ThreadState | null) => void
  setLayout: (layout: DashboardLayout) => void
  clear: () => void
}

/** The dashboard's filters and layout. */
export const useDashboard = create<DashboardState>()((set) => ({
  repoId: null,
  status: null,
  layout: loadLayout(),
  setRepo: (repoId) => set({ repoId }),
  setStatus: (status) => set({ status }),
  setLayout: (layout) => {
    try {
      if (layout === 'auto') localStorage.removeItem(LAYOUT_KEY)
      else localStorage.setItem(LAYOUT_KEY, layout)
    } catch {
      // storage unavailable: the choice lasts for this page only
    }
    set({ layout })
  },
  clear: () => set({ repoId: null, status: null })
}))

/** The layout in effect: the person's choice, else cards for a few threads and a list for many. */
export const effectiveLayout = (layout: DashboardLayout, count: number): 'cards' | 'list' =>
  layout === 'auto' ? (count <= AUTO_CARDS_MAX ? 'cards' : 'list') : layout
