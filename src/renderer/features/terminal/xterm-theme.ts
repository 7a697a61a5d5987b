import type { ITheme } from '@xterm/xterm'

const ansi = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const
const capitalized = (s: string) => s[0].toUpperCase() + s.slice(1)

/** The terminal's colours, read from the app's CSS variables (so they follow the light/dark theme). */
export function readTerminalTheme(): ITheme {
  const style = getComputedStyle(document.documentElement)
  const v = (name: string) => style.getPropertyValue(`--term-${name}`).trim() || undefined
  const theme: Record<string, string | undefined> = {
    background: v('bg'),
    foreground: v('fg'),
    cursor: v('cursor'),
    cursorAccent: v('cursor-accent'),
    selectionBackground: v('selection'),
    selectionInactiveBackground: v('selection'),
    scrollbarSliderBackground: 'rgba(128, 128, 140, 0.25)',
    scrollbarSliderHoverBackground: 'rgba(128, 128, 140, 0.4)',
    scrollbarSliderActiveBackground: 'rgba(128, 128, 140, 0.55)'
  }
  for (const name of ansi) {
    theme[name] = v(name)
    theme[`bright${capitalized(name)}`] = v(`bright-${name}`)
  }
  return theme as ITheme
}

/** Search highlight colours in the #RRGGBB form the search addon requires. */
export function readSearchColours(): { match: string; active: string } {
  const style = getComputedStyle(document.documentElement)
  return {
    match: style.getPropertyValue('--term-match').trim() || '#fff1a6',
    active: style.getPropertyValue('--term-match-active').trim() || '#f7c948'
  }
}

/** The font stack the terminal uses (xterm takes a CSS font-family list). */
export const terminalFont = "'SF Mono', SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', 'Noto Sans Mono', monospace"
