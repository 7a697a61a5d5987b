/** The parts of a key event the decision needs (a DOM KeyboardEvent has them all). */
export interface KeyLike {
  key: string
  code: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

/**
 * App shortcuts that skip the shell while a terminal has focus (VS Code's "commands to skip shell").
 * On macOS every ⌘ shortcut is the app's: ⌘ never reaches a shell. On Linux and Windows Ctrl keys belong
 * to the shell (Ctrl+N is readline's next-history, Ctrl+D is end-of-file), so only these skip it:
 * - Ctrl+Shift+N: new thread (Ctrl+N stays the shell's);
 * - Ctrl+Shift+D: the Changes tab (without this, xterm would send Ctrl+D, end-of-file);
 * - Ctrl+Shift+K: a checkpoint of the thread (Ctrl+K stays readline's kill-line);
 * - Ctrl+0: the dashboard; Ctrl+Tab / Ctrl+Shift+Tab: next / previous thread (no shell binds them);
 * - Ctrl+` / Ctrl+Shift+`: focus the terminal / new shell.
 * Alt+↑/↓ (the browser's thread cycling) stays with the shell: full-screen programs use Alt+arrows.
 */
export const SHORTCUTS_FROM_TERMINAL = [
  'Ctrl/⌘+Shift+N',
  'Ctrl/⌘+Shift+D',
  'Ctrl/⌘+Shift+K',
  'Ctrl/⌘+0',
  'Ctrl+Tab',
  'Ctrl+Shift+Tab',
  'Ctrl/⌘+`',
  'Ctrl/⌘+Shift+`',
  '⌘N (macOS)'
] as const

/** True when a key pressed in a terminal is an app shortcut rather than input for the shell. */
export function skipsShell(e: KeyLike, mac: boolean): boolean {
  if (e.altKey) return false
  const key = e.key.toLowerCase()
  if (e.key === 'Tab' && e.ctrlKey && !e.metaKey) return true // Ctrl+Tab cycles threads on macOS too
  const primary = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey
  if (!primary) return false
  if (e.code === 'Backquote') return true
  if (key === '0' || e.code === 'Digit0') return !e.shiftKey
  if (key === 'n' || e.code === 'KeyN') return mac || e.shiftKey
  if (key === 'd' || e.code === 'KeyD') return e.shiftKey
  if (key === 'k' || e.code === 'KeyK') return e.shiftKey
  return false
}
