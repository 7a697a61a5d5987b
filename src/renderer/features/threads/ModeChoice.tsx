import type { ReactElement } from 'react'
import type { ThreadMode } from '../../../shared/models'

/** One choice of where a thread runs, with its explanation. */
export interface ModeOption {
  value: ThreadMode
  label: string
  hint: string
}

/** Radio cards for a thread's mode (worktree or local), used by the new-thread and investigate dialogs. */
export function ModeChoice({
  legend,
  name,
  options,
  value,
  onChange
}: {
  legend: string
  name: string
  options: ModeOption[]
  value: ThreadMode
  onChange: (mode: ThreadMode) => void
}): ReactElement {
  return (
    <fieldset className="mode-field">
      <legend className="field-label">{legend}</legend>
      <div className="mode-options">
        {options.map((m) => (
          <label key={m.value} className={`mode-option${value === m.value ? ' is-checked' : ''}`}>
            <input type="radio" name={name} value={m.value} checked={value === m.value} onChange={() => onChange(m.value)} />
            <span className="mode-text">
              <span className="mode-label">{m.label}</span>
              <span className="mode-hint">{m.hint}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}
