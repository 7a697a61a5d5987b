import type { ReactElement } from 'react'
import { setThemePreference, useTheme, type ThemePreference } from '../../ui/theme'

const choices: Array<{ value: ThemePreference; label: string }> = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' }
]

/** System, Light or Dark: applies at once (editors and terminals included) and is remembered. */
export function ThemeChoice(): ReactElement {
  const preference = useTheme((s) => s.preference)
  const theme = useTheme((s) => s.theme)
  return (
    <div className="settings-theme">
      <span className="field-label" id="settings-theme-label">
        Theme
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby="settings-theme-label">
        {choices.map((c) => (
          <button
            key={c.value}
            type="button"
            role="radio"
            aria-checked={preference === c.value}
            className="segment"
            onClick={() => setThemePreference(c.value)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return
              e.preventDefault()
              const i = choices.findIndex((x) => x.value === preference)
              const next = choices[(i + (e.key === 'ArrowRight' ? 1 : choices.length - 1)) % choices.length]
              setThemePreference(next.value)
              ;(e.currentTarget.parentElement?.children[choices.indexOf(next)] as HTMLElement | undefined)?.focus()
            }}
          >
            {c.label}
          </button>
        ))}
      </div>
      <p className="field-hint">{preference === 'system' ? `Follows your system (${theme} now).` : `Always ${theme}.`}</p>
    </div>
  )
}
