import { isMac } from '../../ui/keyboard'
import type { MenuEntry } from '../../ui/menu-store'
import { notifyInfo } from '../../state/notify'
import type { TerminalSession } from './terminal-session'

const hint = (mac: string, other: string) => (isMac ? mac : other)

async function pasteFromClipboard(session: TerminalSession): Promise<void> {
  try {
    session.paste(await navigator.clipboard.readText())
    session.focus()
  } catch {
    notifyInfo('Paste with the keyboard', `This page may not read the clipboard; press ${hint('⌘V', 'Ctrl+V')} in the terminal instead.`)
    session.focus()
  }
}

/** The terminal's context menu: Copy, Paste, Clear, Find. */
export function terminalMenuEntries(session: TerminalSession): MenuEntry[] {
  const hasSelection = session.term.hasSelection()
  return [
    {
      label: 'Copy',
      icon: 'copy',
      hint: hint('⌘C', 'Ctrl+Shift+C'),
      disabled: !hasSelection,
      onSelect: () => {
        session.copySelection()
        session.focus()
      }
    },
    {
      label: 'Paste',
      icon: 'paste',
      hint: hint('⌘V', 'Ctrl+V'),
      disabled: !session.running,
      onSelect: () => void pasteFromClipboard(session)
    },
    { kind: 'separator' },
    {
      label: 'Clear',
      icon: 'clear',
      hint: isMac ? '⌘K' : undefined,
      onSelect: () => {
        session.clear()
        session.focus()
      }
    },
    { label: 'Find…', icon: 'search', hint: hint('⌘F', 'Ctrl+F'), onSelect: () => session.requestFind() }
  ]
}
