import { useEffect } from 'react'
import { checkpointNow } from '../features/checkpoints'
import { focusSearch } from '../features/search'
import { liveThreadOrder } from '../features/sidebar'
import { focusThreadTerminal, newShellInSelectedThread, skipsShell } from '../features/terminal'
import { useThreadView } from '../state/thread-view-store'
import { currentSortedRepos, currentThreadGroups } from '../state/derived'
import { loadUntil, useThreadWindows, windowOfList } from '../state/thread-windows'
import { hasPrimaryModifier, isEditable, isMac } from '../ui/keyboard'
import { useMenu } from '../ui/menu-store'
import { useDialogs } from '../state/dialogs-store'
import { useNavigation } from '../state/navigation-store'

const sidebarOrder = () =>
  liveThreadOrder(currentSortedRepos(), currentThreadGroups(), (repoId, loaded) =>
    windowOfList(useThreadWindows.getState(), { repoId, state: null }, loaded)
  )

/**
 * Selects the next (or previous) live thread in sidebar order, wrapping around. Past the last loaded row of a
 * repository, forward loads its next rows first; backward goes to the rows loaded so far.
 */
export async function cycleThreads(direction: 1 | -1): Promise<void> {
  let order = sidebarOrder()
  if (order.length === 0) return
  const { selectedThreadId, view } = useNavigation.getState()
  const indexIn = (o: typeof order) => (view === 'thread' ? o.findIndex((x) => x.thread.id === selectedThreadId) : -1)
  let index = indexIn(order)
  const at = order[index]
  if (direction === 1 && at?.moreAfter) {
    const repoId = at.thread.repoId
    const loaded = () => currentThreadGroups().live.get(repoId) ?? []
    await loadUntil({ repoId, state: null }, loaded().indexOf(at.thread) + 2, loaded)
    order = sidebarOrder()
    index = indexIn(order)
  }
  const next = index < 0 ? (direction === 1 ? 0 : order.length - 1) : (index + direction + order.length) % order.length
  useNavigation.getState().selectThread(order[next]!.thread.id)
}

/** True when the key goes to a terminal (xterm's hidden textarea, or its find bar). */
const inTerminal = (target: EventTarget | null): boolean => target instanceof Element && !!target.closest('.terminal-view')

/**
 * App-wide shortcuts: new thread (⌘/Ctrl+N, or ⌘/Ctrl+Shift+N), dashboard (⌘/Ctrl+0), next/previous thread (Ctrl+Tab /
 * Ctrl+Shift+Tab, or Alt+↓ / Alt+↑), terminal (⌘/Ctrl+`), new shell (⌘/Ctrl+Shift+`), the Changes tab (⌘/Ctrl+Shift+D) and a
 * checkpoint of the open thread (⌘/Ctrl+Shift+K), and the sidebar's search (⌘/Ctrl+K; in a terminal Ctrl+K stays the shell's).
 * While a terminal has focus only those that skip the shell apply (terminal-shortcuts.ts): the rest are the shell's.
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return
      if (useDialogs.getState().dialog || useMenu.getState().menu) return
      const key = e.key.toLowerCase()
      if (hasPrimaryModifier(e) && e.code === 'Backquote') {
        e.preventDefault()
        if (e.shiftKey) newShellInSelectedThread()
        else focusThreadTerminal()
        return
      }
      if (inTerminal(e.target) && (e.ctrlKey || e.metaKey || e.altKey) && !skipsShell(e, isMac)) return
      if (e.key === 'Tab' && e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault()
        void cycleThreads(e.shiftKey ? -1 : 1)
      } else if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        // Browsers keep Ctrl+Tab for their own tabs, so browser mode also gets Alt+↓ / Alt+↑.
        if (isEditable(e.target)) return
        e.preventDefault()
        void cycleThreads(e.key === 'ArrowDown' ? 1 : -1)
      } else if (hasPrimaryModifier(e) && (key === 'n' || e.code === 'KeyN')) {
        e.preventDefault()
        useDialogs.getState().open(currentSortedRepos().length > 0 ? { kind: 'new-thread' } : { kind: 'add-repo' })
      } else if (hasPrimaryModifier(e) && e.shiftKey && e.code === 'KeyD') {
        const { view, selectedThreadId } = useNavigation.getState()
        if (view !== 'thread' || !selectedThreadId) return
        e.preventDefault()
        useThreadView.getState().setTab(selectedThreadId, 'changes')
      } else if (hasPrimaryModifier(e) && e.shiftKey && e.code === 'KeyK') {
        const { view, selectedThreadId } = useNavigation.getState()
        if (view !== 'thread' || !selectedThreadId) return
        e.preventDefault()
        void checkpointNow(selectedThreadId)
      } else if (hasPrimaryModifier(e) && !e.shiftKey && e.code === 'KeyK') {
        e.preventDefault()
        focusSearch()
      } else if (hasPrimaryModifier(e) && !e.shiftKey && (key === '0' || e.code === 'Digit0')) {
        e.preventDefault()
        useNavigation.getState().showDashboard()
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
