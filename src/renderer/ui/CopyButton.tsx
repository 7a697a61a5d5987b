import { useEffect, useState, type ReactElement } from 'react'
import { notifyError } from '../state/notify'
import { copyText } from './clipboard'
import { Icon } from './Icon'

/** Copies text on demand and says so for a moment: `copied` is true for 1.5 s after a copy worked. */
export function useCopy(failure = 'Could not copy'): { copied: boolean; copy: (text: string) => void } {
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const t = setTimeout(() => setCopied(false), 1500)
    return () => clearTimeout(t)
  }, [copied])
  return {
    copied,
    copy: (text) =>
      void copyText(text).then(
        () => setCopied(true),
        (e) => notifyError(failure, e)
      )
  }
}

/** A small button that copies a value and briefly shows a check mark. */
export function CopyButton({ value, label }: { value: string; label: string }): ReactElement {
  const { copied, copy } = useCopy()
  return (
    <button
      type="button"
      className={`icon-btn copy-btn${copied ? ' is-copied' : ''}`}
      aria-label={label}
      title={copied ? 'Copied' : label}
      onClick={() => copy(value)}
    >
      <Icon name={copied ? 'check' : 'copy'} size={13} />
    </button>
  )
}
