import type { KeyboardEvent as ReactKeyboardEvent } from 'react'

/** True on macOS, where the primary modifier is ⌘ rather than Ctrl. */
export const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)

/** True when the platform's primary modifier (⌘ on macOS, Ctrl elsewhere) is held, and no other. */
export function hasPrimaryModifier(e: KeyboardEvent | ReactKeyboardEvent): boolean {
  return isMac ? e.metaKey && !e.ctrlKey && !e.altKey : e.ctrlKey && !e.metaKey && !e.altKey
}

/** How a shortcut is written on this platform, e.g. "⌘N" or "Ctrl+N". */
export function shortcutLabel(key: string): string {
  return isMac ? `⌘${key}` : `Ctrl+${key}`
}

/** True when the event target is a text field, where single-key shortcuts must not fire. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}
