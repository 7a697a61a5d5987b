import { create } from 'zustand'

/** What the person chose in Settings: follow the OS, or always light or dark. */
export type ThemePreference = 'system' | 'light' | 'dark'

/** The theme actually shown. */
export type Theme = 'light' | 'dark'

const STORAGE_KEY = 'skein.theme'
const darkQuery = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null
const listeners = new Set<(theme: Theme) => void>()

function stored(): ThemePreference {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return value === 'light' || value === 'dark' ? value : 'system'
  } catch {
    return 'system'
  }
}

/** The theme a preference shows now. */
export const resolveTheme = (preference: ThemePreference): Theme =>
  preference === 'system' ? (darkQuery?.matches ? 'dark' : 'light') : preference

interface ThemeState {
  preference: ThemePreference
  theme: Theme
}

/** The theme preference (remembered in localStorage, like the app's other view settings) and the theme it shows. */
export const useTheme = create<ThemeState>()(() => {
  const preference = stored()
  return { preference, theme: resolveTheme(preference) }
})

/** Puts the theme on the page (`<html data-theme>`, which theme.css keys on) and tells the listeners when it changed. */
function apply(): void {
  const { preference, theme } = useTheme.getState()
  const next = resolveTheme(preference)
  document.documentElement.dataset.theme = next
  if (next === theme) return
  useTheme.setState({ theme: next })
  for (const l of [...listeners]) l(next)
}

/** Chooses a theme; it applies at once, everywhere (Monaco and the terminals too), and is remembered. */
export function setThemePreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, preference)
  } catch {
    // private mode: the choice lasts for this page only
  }
  useTheme.setState({ preference })
  apply()
}

/** Applies the remembered theme before the first render, and follows the OS while the preference is System. */
export function startTheme(): void {
  apply()
  darkQuery?.addEventListener('change', apply)
}

/** The theme shown now. */
export const currentTheme = (): Theme => useTheme.getState().theme

/** Calls `listener` whenever the theme shown changes (a new preference, or the OS under System); returns the unsubscribe. */
export function onThemeChange(listener: (theme: Theme) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
