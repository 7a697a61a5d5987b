import type { ReactElement } from 'react'
import { autopilotStatus } from './autopilot-format'
import { useAutopilotState } from './autopilot-store'
import '../../styles/autopilot.css'

/** "Autopilot" beside a thread's title while its autopilot is on (its tooltip says what it does now). */
export function AutopilotBadge({ threadId }: { threadId: string }): ReactElement | null {
  const state = useAutopilotState(threadId)
  if (!state?.settings.enabled) return null
  const fixing = state.phase === 'fixing'
  return (
    <span
      className="autopilot-badge"
      data-phase={state.phase}
      title={autopilotStatus(state)}
      aria-label={`Autopilot on: ${autopilotStatus(state)}`}
    >
      <span className="autopilot-badge-dot" aria-hidden="true" />
      {fixing ? `Autopilot · attempt ${state.attempts.at(-1)?.n ?? 1}` : 'Autopilot'}
    </span>
  )
}
