import { create } from 'zustand'
import type { IconName } from './Icon'

/** One row of a menu. */
export type MenuEntry =
  | {
      kind?: 'item'
      label: string
      icon?: IconName
      /** Shown right-aligned, e.g. "Ctrl+N". */
      hint?: string
      danger?: boolean
      disabled?: boolean
      onSelect: () => void
    }
  | { kind: 'separator' }

/** An open menu: what it lists and where it appears. */
export interface OpenMenu {
  label: string
  entries: MenuEntry[]
  x: number
  y: number
  /** Receives focus back when the menu closes without moving it elsewhere. */
  returnFocus: HTMLElement | null
}

interface MenuState {
  menu: OpenMenu | null
  open: (menu: OpenMenu) => void
  close: () => void
}

/** The single context/dropdown menu that can be open at a time. */
export const useMenu = create<MenuState>()((set) => ({
  menu: null,
  open: (menu) => set({ menu }),
  close: () => set({ menu: null })
}))

/** Opens a menu below an anchor (a "…" button) or at the pointer (a right-click). */
export function openMenu(
  label: string,
  entries: MenuEntry[],
  at: { anchor: HTMLElement } | { x: number; y: number },
  returnFocus?: HTMLElement | null
): void {
  let x: number
  let y: number
  if ('anchor' in at) {
    const r = at.anchor.getBoundingClientRect()
    x = r.left
    y = r.bottom + 4
  } else {
    x = at.x
    y = at.y
  }
  const focusBack = returnFocus ?? ('anchor' in at ? at.anchor : (document.activeElement as HTMLElement | null))
  useMenu.getState().open({ label, entries, x, y, returnFocus: focusBack })
}
