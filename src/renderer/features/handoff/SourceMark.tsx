import type { ReactElement } from 'react'
import { Icon } from '../../ui/Icon'
import { sourceLabel } from './handoff-format'
import type { SessionSource } from './handoff-store'

/** Which CLI a session came from: its glyph, and its name unless `compact`. */
export function SourceMark({ source, compact = false }: { source: SessionSource; compact?: boolean }): ReactElement {
  return (
    <span className={`source-mark source-${source}`} title={compact ? sourceLabel(source) : undefined}>
      <Icon name={source === 'claude' ? 'sparkle' : 'braces'} size={12} />
      {!compact && <span className="source-name">{sourceLabel(source)}</span>}
    </span>
  )
}
