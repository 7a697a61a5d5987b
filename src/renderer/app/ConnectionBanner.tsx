import type { ReactElement } from 'react'
import { Icon } from '../ui/Icon'
import { reconnectNow } from './connection'
import { useConnection } from '../state/connection-store'

/** A banner across the top while the core is unreachable; retries on its own, or now on request. */
export function ConnectionBanner(): ReactElement | null {
  const status = useConnection((s) => s.status)
  const failures = useConnection((s) => s.failures)
  const coreRestarting = useConnection((s) => s.coreRestarting)
  if (status !== 'reconnecting') return null
  return (
    <div className="connection-banner" role="alert">
      <Icon name="alert" size={14} />
      <span className="connection-text">
        {coreRestarting ? "Skein's core stopped; restarting…" : 'Disconnected from the Skein core — reconnecting…'}
      </span>
      {failures >= 4 && !coreRestarting && <span className="connection-hint">Is the core still running? Skein keeps trying.</span>}
      <span className="spacer" />
      <button type="button" className="btn btn-small" onClick={reconnectNow}>
        Retry now
      </button>
    </div>
  )
}
