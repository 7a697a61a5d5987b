import type { ReactElement } from 'react'
import type { CiCheckState } from '../../../shared/ci'
import { Icon, type IconName } from '../../ui/Icon'
import { checkStateLabels } from './ci-format'

const icons: Record<Exclude<CiCheckState, 'running'>, IconName> = {
  queued: 'circle',
  passed: 'check',
  failed: 'close',
  cancelled: 'cancelled',
  skipped: 'minus',
  neutral: 'minus',
  unknown: 'info'
}

/** A check's state as a small coloured icon (a spinner while it runs), named for screen readers. */
export function CheckStateIcon({ state, size = 14 }: { state: CiCheckState; size?: number }): ReactElement {
  return (
    <span
      className={`check-icon check-${state}`}
      role="img"
      aria-label={checkStateLabels[state]}
      title={checkStateLabels[state]}
      style={{ width: size, height: size }}
    >
      {state === 'running' ? <span className="check-spinner" aria-hidden="true" /> : <Icon name={icons[state]} size={size} />}
    </span>
  )
}
