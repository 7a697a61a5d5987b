import { useEffect, useState, type ReactElement } from 'react'
import { notifyError } from '../features/toasts/notify'
import { copyText } from './clipboard'
import { Icon } from './Icon'

/** A small button that copies a value and briefly shows a check mark. */
export function CopyButton({ value, label }: { value: string; label: string }): ReactElement {
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const t = setTimeout(() => setCopied(false), 1500)
    return () => clearTimeout(t)
  }, [copied])
  return (
    <button
      type="button"
      className={`icon-btn copy-btn${copied ? ' is-copied' : ''}`}
      aria-label={label}
      title={copied ? 'Copied' : label}
      onClick={() => copyText(value).then(() => setCopied(true), (e) => notifyError('Could not copy', e))}
    >
      <Icon name={copied ? 'check' : 'copy'} size={13} />
    </button>
  )
}
