import { isMac } from '../../ui/keyboard'
import { skipsShell } from './terminal-shortcuts'

/** What a key press inside a terminal means to Skein rather than to the shell. */
export type TerminalKeyAction =
  | 'copy' // copy the selection
  | 'paste' // let the browser's own paste event reach xterm (it pastes with bracketed-paste support)
  | 'find' // open the find bar
  | 'clear' // ⌘K on macOS
  | 'app' // an app shortcut that skips the shell (terminal-shortcuts.ts lists them); the app's handler takes it
  | 'swallow' // nothing to do, but the shell must not see it (⌘C without a selection)

/**
 * Decides which keys Skein keeps for itself while a terminal has focus. Everything else goes to the
 * shell, including Ctrl+C without a selection (interrupt), Ctrl+N on Linux and Windows, and Alt+arrows.
 */
export function terminalKeyAction(e: KeyboardEvent, hasSelection: boolean): TerminalKeyAction | null {
  if (skipsShell(e, isMac)) return 'app'
  const key = e.key.toLowerCase()
  const primary = isMac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey
  if (!primary || e.altKey) return null
  if (!e.shiftKey && key === 'f') return 'find'
  if (key === 'c' || e.code === 'KeyC') {
    if (e.shiftKey) return isMac ? null : 'copy' // Ctrl+Shift+C on Linux/Windows
    if (hasSelection) return 'copy'
    return isMac ? 'swallow' : null // Ctrl+C with nothing selected is an interrupt
  }
  if (key === 'v' || e.code === 'KeyV') return 'paste' // Ctrl/⌘+V and Ctrl+Shift+V
  if (isMac && !e.shiftKey && key === 'k') return 'clear'
  return null
}
