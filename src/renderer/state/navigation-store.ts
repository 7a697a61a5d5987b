import { create } from 'zustand'

/** What fills the main area. */
export type MainView = 'dashboard' | 'thread'

interface NavigationState {
  view: MainView
  /** The thread highlighted in the sidebar (kept while the dashboard is shown). */
  selectedThreadId: string | null
  selectThread: (threadId: string) => void
  showDashboard: () => void
  /** Forgets a thread that no longer exists; falls back to the dashboard if it was open. */
  forgetThread: (threadId: string) => void
}

const STORAGE_KEY = 'skein.selectedThread'

function readSelected(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

function writeSelected(threadId: string | null): void {
  try {
    if (threadId) localStorage.setItem(STORAGE_KEY, threadId)
    else localStorage.removeItem(STORAGE_KEY)
  } catch {
    // storage can be unavailable (private mode); selection then lasts for this page only
  }
}

// A link from `skein new` / `skein open` (…/?token=…&thread=<id>) wins over the remembered thread.
const initial = new URLSearchParams(location.search).get('thread') || readSelected()

/** Which thread is selected and whether the main area shows it or the dashboard. */
export const useNavigation = create<NavigationState>()((set, get) => ({
  view: initial ? 'thread' : 'dashboard',
  selectedThreadId: initial,
  selectThread: (threadId) => {
    writeSelected(threadId)
    set({ view: 'thread', selectedThreadId: threadId })
  },
  showDashboard: () => set({ view: 'dashboard' }),
  forgetThread: (threadId) => {
    if (get().selectedThreadId !== threadId) return
    writeSelected(null)
    set({ view: 'dashboard', selectedThreadId: null })
  }
}))
