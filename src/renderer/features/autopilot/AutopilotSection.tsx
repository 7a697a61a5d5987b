import { useEffect, useState, type ReactElement } from 'react'
import { AUTOPILOT_ATTEMPTS, AUTOPILOT_BUDGET, type AutopilotAttempt, type AutopilotState } from '../../../shared/autopilot'
import type { Thread } from '../../../shared/models'
import { formatDateTime } from '../../ui/clock'
import { Icon } from '../../ui/Icon'
import { configureAutopilot, loadThreadAutopilot } from './autopilot-actions'
import { attemptCost, attemptSteps, autopilotSpend, autopilotStatus, money } from './autopilot-format'
import { useAutopilotState } from './autopilot-store'
import '../../styles/autopilot.css'

/** The on/off switch: a button with the switch role, so it reads as one to screen readers. */
function Switch({ on, disabled, onChange }: { on: boolean; disabled: boolean; onChange: (on: boolean) => void }): ReactElement {
  return (
    <button
      type="button"
      role="switch"
      className="switch"
      aria-checked={on}
      aria-label="Autopilot"
      title={on ? 'Turn the autopilot off' : 'Turn the autopilot on'}
      disabled={disabled}
      onClick={() => onChange(!on)}
    >
      <span className="switch-knob" aria-hidden="true" />
    </button>
  )
}

/** The limits, edited in place: attempts, budget and auto-merge. */
function SettingsForm({ state, onDone }: { state: AutopilotState; onDone: () => void }): ReactElement {
  const [attempts, setAttempts] = useState(String(state.settings.maxAttempts))
  const [budget, setBudget] = useState(state.settings.budgetUsd.toFixed(2))
  const [autoMerge, setAutoMerge] = useState(state.settings.autoMerge)
  const [busy, setBusy] = useState(false)
  const n = Number(attempts)
  const usd = Number(budget)
  const attemptsOk = Number.isInteger(n) && n >= AUTOPILOT_ATTEMPTS.min && n <= AUTOPILOT_ATTEMPTS.max
  const budgetOk = Number.isFinite(usd) && usd >= AUTOPILOT_BUDGET.min && usd <= AUTOPILOT_BUDGET.max
  return (
    <form
      className="autopilot-form"
      aria-label="Autopilot settings"
      onSubmit={async (e) => {
        e.preventDefault()
        if (!attemptsOk || !budgetOk) return
        setBusy(true)
        const saved = await configureAutopilot(state.threadId, { maxAttempts: n, budgetUsd: Math.round(usd * 100) / 100, autoMerge })
        setBusy(false)
        if (saved) onDone()
      }}
    >
      <label className="autopilot-field">
        <span>Attempts</span>
        <input
          className="input"
          type="number"
          min={AUTOPILOT_ATTEMPTS.min}
          max={AUTOPILOT_ATTEMPTS.max}
          step={1}
          value={attempts}
          aria-invalid={!attemptsOk}
          onChange={(e) => setAttempts(e.target.value)}
        />
      </label>
      <label className="autopilot-field">
        <span>Budget (USD)</span>
        <input
          className="input"
          type="number"
          min={AUTOPILOT_BUDGET.min}
          max={AUTOPILOT_BUDGET.max}
          step={0.01}
          value={budget}
          aria-invalid={!budgetOk}
          onChange={(e) => setBudget(e.target.value)}
        />
      </label>
      <label className="autopilot-check">
        <input type="checkbox" checked={autoMerge} onChange={(e) => setAutoMerge(e.target.checked)} />
        <span>Merge once checks are green and reviews allow it (never forced)</span>
      </label>
      <p className="field-hint">
        {`The budget is what the agent may spend on one failure's attempts. CLI agents report no cost: for them only attempts count.`}
      </p>
      <div className="autopilot-form-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={busy || !attemptsOk || !budgetOk}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}

/** One attempt: its steps, what it cost, and how it ended. */
function AttemptRow({ attempt }: { attempt: AutopilotAttempt }): ReactElement {
  const steps = attemptSteps(attempt)
  return (
    <li className="autopilot-attempt" data-outcome={attempt.outcome ?? 'running'} aria-label={`Attempt ${attempt.n}`}>
      <div className="autopilot-attempt-head">
        <strong>Attempt {attempt.n}</strong>
        <span className="autopilot-cost">{attemptCost(attempt)}</span>
        <span className="autopilot-time" title={`Started ${formatDateTime(attempt.startedAt)}`}>
          {new Date(attempt.startedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
        </span>
      </div>
      <ol className="autopilot-steps">
        {steps.map((s) => (
          <li key={s.label} data-state={s.state}>
            <Icon name={s.state === 'done' ? 'check' : s.state === 'failed' ? 'close' : 'circle'} size={11} />
            {s.label}
          </li>
        ))}
      </ol>
      {attempt.detail && attempt.outcome !== null && attempt.outcome !== 'passed' && <p className="autopilot-detail">{attempt.detail}</p>}
    </li>
  )
}

/** The CI tab's autopilot: the switch, its limits, what it does now, why it gave up, the merge, and every attempt. */
export function AutopilotSection({ thread }: { thread: Thread }): ReactElement {
  const state = useAutopilotState(thread.id)
  const [editing, setEditing] = useState(false)
  const [switching, setSwitching] = useState(false)
  useEffect(() => void loadThreadAutopilot(thread.id), [thread.id])
  const on = state?.settings.enabled ?? false
  const usable = thread.mode === 'worktree' && thread.branch !== null && thread.status !== 'archived'
  const spend = state ? autopilotSpend(state) : null
  const gaveUp = state?.phase === 'gave-up' ? state.gaveUp : null

  return (
    <section className="ci-section autopilot" aria-labelledby="autopilot-title" data-phase={state?.phase ?? 'off'}>
      <div className="autopilot-head">
        <h3 id="autopilot-title" className="section-title">
          Autopilot
        </h3>
        <span className="spacer" />
        <button
          type="button"
          className="icon-btn"
          aria-label="Autopilot settings"
          aria-expanded={editing}
          title="Attempts, budget and auto-merge"
          disabled={!state}
          onClick={() => setEditing(!editing)}
        >
          <Icon name="settings" size={13} />
        </button>
        <Switch
          on={on}
          disabled={!state || switching || (!on && !usable)}
          onChange={async (next) => {
            setSwitching(true)
            await configureAutopilot(thread.id, { enabled: next })
            setSwitching(false)
          }}
        />
      </div>
      {state && (
        <>
          {gaveUp ? (
            <div className="banner banner-warning autopilot-gave-up" role="status">
              <Icon name="alert" size={14} />
              <span>
                {gaveUp.message} <span className="muted">{autopilotStatus(state)}</span>
              </span>
            </div>
          ) : (
            <p className="autopilot-status" role="status">
              {usable || on ? autopilotStatus(state) : 'The autopilot pushes fixes to the thread’s own branch; this thread has none.'}
            </p>
          )}
          {state.phase === 'off' && state.gaveUp?.reason === 'turned-off' && <p className="autopilot-detail">{state.gaveUp.message}</p>}
          <p className="autopilot-limits">
            Up to {state.settings.maxAttempts} {state.settings.maxAttempts === 1 ? 'attempt' : 'attempts'} · budget{' '}
            {money(state.settings.budgetUsd)} · auto-merge {state.settings.autoMerge ? 'on' : 'off'}
          </p>
          {editing && <SettingsForm state={state} onDone={() => setEditing(false)} />}
          {state.merge && (
            <p className="autopilot-merge" data-state={state.merge.state}>
              <Icon
                name={
                  state.merge.state === 'merged'
                    ? 'check'
                    : state.merge.state === 'merging' || state.merge.state === 'scheduled'
                      ? 'circle'
                      : 'info'
                }
                size={12}
              />
              {state.merge.message}
            </p>
          )}
          {state.attempts.length > 0 && (
            <>
              <h4 className="ci-subtitle">Attempts{spend ? <span className="autopilot-spend"> · {spend}</span> : null}</h4>
              <ol className="autopilot-attempts" aria-label="Autopilot attempts">
                {state.attempts.map((a) => (
                  <AttemptRow key={`${a.n}-${a.startedAt}`} attempt={a} />
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </section>
  )
}
