import type * as Monaco from 'monaco-editor/editor/editor.api'
import { currentTheme, onThemeChange } from '../../ui/theme'

type Api = typeof Monaco

/** Reads an app colour token (theme.css) when it is a plain #hex, which is all Monaco's themes accept. */
function token(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim()
  return /^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(value) ? value : fallback
}

/** Monaco's colours for the app's current light or dark theme, taken from the same tokens as the rest of the UI. */
function colours(dark: boolean): Record<string, string> {
  const bg = token('--bg', dark ? '#19191c' : '#ffffff')
  const subtle = token('--bg-subtle', dark ? '#1e1e22' : '#f9f9fa')
  const border = token('--border', dark ? '#2b2b31' : '#e5e5e9')
  const faint = token('--text-faint', dark ? '#6d6d78' : '#9b9ba5')
  const muted = token('--text-muted', dark ? '#a0a0aa' : '#66666f')
  const accent = token('--accent', dark ? '#7275ee' : '#5457d6')
  return {
    'editor.background': bg,
    'editorGutter.background': bg,
    'editorLineNumber.foreground': faint,
    'editorLineNumber.activeForeground': muted,
    'editor.lineHighlightBackground': dark ? '#ffffff08' : '#14142808',
    'editor.lineHighlightBorder': '#00000000',
    'editor.selectionBackground': dark ? '#7275ee55' : '#5457d633',
    'editor.inactiveSelectionBackground': dark ? '#7275ee33' : '#5457d622',
    'editorCursor.foreground': accent,
    'editorWidget.background': token('--bg-elevated', dark ? '#232328' : '#ffffff'),
    'editorWidget.border': border,
    'editorOverviewRuler.border': '#00000000',
    'scrollbarSlider.background': '#80808c40',
    'scrollbarSlider.hoverBackground': '#80808c66',
    'scrollbarSlider.activeBackground': '#80808c8c',
    'diffEditor.insertedLineBackground': dark ? '#2ea04326' : '#1f925418',
    'diffEditor.insertedTextBackground': dark ? '#2ea0434d' : '#1f925438',
    'diffEditor.removedLineBackground': dark ? '#f8514926' : '#d0342c14',
    'diffEditor.removedTextBackground': dark ? '#f851494d' : '#d0342c33',
    'diffEditor.border': border,
    'diffEditor.diagonalFill': dark ? '#ffffff10' : '#0000000c',
    'diffEditorGutter.insertedLineBackground': dark ? '#2ea04333' : '#1f925422',
    'diffEditorGutter.removedLineBackground': dark ? '#f8514933' : '#d0342c1c',
    'diffEditor.unchangedRegionBackground': subtle,
    'diffEditor.unchangedRegionForeground': muted,
    focusBorder: '#00000000'
  }
}

/** Defines Skein's two Monaco themes and keeps every editor on the one matching the app's theme. */
export function applyMonacoTheme(monaco: Api): void {
  const apply = () => {
    const dark = currentTheme() === 'dark'
    monaco.editor.defineTheme('skein', { base: dark ? 'vs-dark' : 'vs', inherit: true, rules: [], colors: colours(dark) })
    monaco.editor.setTheme('skein')
  }
  apply()
  // Every Monaco editor follows the app's theme (the Settings choice, or the OS under System), at once.
  onThemeChange(apply)
}
