import { useId, useRef, type KeyboardEvent, type ReactElement } from 'react'
import type { PermissionMode, Thread } from '../../../shared/models'
import { MODELS } from '../../../shared/pricing'
import { useSettings } from '../settings'
import { configureConversation } from './conversation-actions'
import { SandboxControl } from './SandboxControl'
import { describeUsage, formatCost, formatTokens } from './usage-format'

/** The permission modes in the order shown, with what each lets the agent do. */
export const permissionModes: Array<{ value: PermissionMode; label: string; tip: string }> = [
  {
    value: 'plan',
    label: 'Plan',
    tip: 'Read-only: the agent reads and plans. Edits are refused; read-only commands run in a read-only sandbox, others ask first.'
  },
  { value: 'ask', label: 'Ask', tip: 'The agent asks before every file edit and every command.' },
  { value: 'accept-edits', label: 'Accept edits', tip: 'File edits in the worktree go ahead; commands still ask first.' },
  {
    value: 'auto',
    label: 'Auto',
    tip: 'Edits and commands run without asking. File edits stay in the worktree; commands do too while the sandbox is on.'
  }
]

/** The models offered: the core's list, else the built-in one, plus the thread's own if it is neither. */
function useModelOptions(current: string): Array<{ id: string; label: string }> {
  const listed = useSettings((s) => s.settings?.models)
  const models = listed && listed.length ? listed : MODELS.map(({ id, label }) => ({ id, label }))
  return models.some((m) => m.id === current) ? models : [...models, { id: current, label: current }]
}

/** A segmented control (a radio group) for the permission mode; arrow keys move between modes. */
export function PermissionModeControl({
  value,
  onChange,
  label = 'Permission mode'
}: {
  value: PermissionMode
  onChange: (mode: PermissionMode) => void
  label?: string
}): ReactElement {
  const group = useRef<HTMLDivElement>(null)
  const baseId = useId()
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const delta = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0
    if (!delta) return
    e.preventDefault()
    const i = permissionModes.findIndex((m) => m.value === value)
    const next = permissionModes[(i + delta + permissionModes.length) % permissionModes.length]
    onChange(next.value)
    group.current?.querySelector<HTMLElement>(`[data-mode="${next.value}"]`)?.focus()
  }
  return (
    <div ref={group} className="segmented" role="radiogroup" aria-label={label} onKeyDown={onKeyDown}>
      {permissionModes.map((m) => (
        <span key={m.value} className="segment-wrap">
          <button
            type="button"
            role="radio"
            aria-checked={m.value === value}
            aria-describedby={`${baseId}-${m.value}`}
            tabIndex={m.value === value ? 0 : -1}
            data-mode={m.value}
            className={`segment segment-${m.value}`}
            onClick={() => onChange(m.value)}
          >
            {m.label}
          </button>
          <span id={`${baseId}-${m.value}`} role="tooltip" className="tooltip">
            {m.tip}
          </span>
        </span>
      ))}
    </div>
  )
}

/** The conversation's controls: model, permission mode, and the thread's token usage and cost. */
export function ConversationHeader({ thread }: { thread: Thread }): ReactElement {
  const { model, permissionMode, usage } = thread.conversation
  const options = useModelOptions(model)
  return (
    <div className="conversation-header">
      <select
        className="input input-compact model-picker"
        aria-label="Model"
        value={model}
        onChange={(e) => void configureConversation(thread, { model: e.target.value })}
      >
        {options.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
          </option>
        ))}
      </select>
      <PermissionModeControl
        value={permissionMode}
        onChange={(mode) => mode !== permissionMode && void configureConversation(thread, { permissionMode: mode })}
      />
      <SandboxControl thread={thread} />
      <span className="spacer" />
      <div className="usage" role="group" aria-label={`Usage: ${describeUsage(usage)}`} title={describeUsage(usage)}>
        <span className="usage-part">
          <span className="usage-key">in</span> {formatTokens(usage.input)}
        </span>
        <span className="usage-part">
          <span className="usage-key">out</span> {formatTokens(usage.output)}
        </span>
        <span className="usage-part">
          <span className="usage-key">cache read</span> {formatTokens(usage.cacheRead)}
        </span>
        <span className="usage-part">
          <span className="usage-key">cache write</span> {formatTokens(usage.cacheWrite)}
        </span>
        <span className="usage-cost">{formatCost(usage.costUsd)}</span>
      </div>
    </div>
  )
}
