import { useRef, useState, type ReactElement } from 'react'
import { Icon } from '../../ui/Icon'

const MAX_ATTACHMENTS = 20

/** Normalises a typed path: trims, drops a leading "./" and "@", uses forward slashes. */
const clean = (path: string): string => path.trim().replace(/\\/g, '/').replace(/^@/, '').replace(/^\.\//, '')

/** Attached files as removable chips, and an "Attach files…" field taking worktree-relative paths. */
export function AttachmentField({
  attachments,
  disabled,
  onChange
}: {
  attachments: string[]
  disabled: boolean
  onChange: (next: string[]) => void
}): ReactElement {
  const [open, setOpen] = useState(false)
  const [value, setValue] = useState('')
  const input = useRef<HTMLInputElement>(null)

  const add = () => {
    const paths = value
      .split(/[\s,]+/)
      .map(clean)
      .filter(Boolean)
    const next = [...attachments]
    for (const p of paths) if (!next.includes(p) && next.length < MAX_ATTACHMENTS) next.push(p)
    onChange(next)
    setValue('')
  }

  return (
    <div className="attachments">
      {attachments.length > 0 && (
        <ul className="attachment-chips" aria-label="Attached files">
          {attachments.map((p) => (
            <li key={p} className="attachment-chip">
              <Icon name="copy" size={11} />
              <code title={p}>{p}</code>
              <button
                type="button"
                className="icon-btn"
                aria-label={`Remove ${p}`}
                onClick={() => onChange(attachments.filter((a) => a !== p))}
              >
                <Icon name="close" size={10} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {open ? (
        <div className="attach-field">
          <input
            ref={input}
            className="input input-mono input-compact"
            aria-label="File to attach (worktree-relative path)"
            placeholder="src/app.ts — Enter to add, Esc to close"
            value={value}
            autoFocus
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setValue(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault()
                add()
              } else if (e.key === 'Escape') {
                e.preventDefault()
                e.stopPropagation()
                setOpen(false)
              }
            }}
          />
          <button type="button" className="btn btn-small" disabled={!value.trim()} onClick={add}>
            Add
          </button>
          <button type="button" className="icon-btn" aria-label="Close attach field" onClick={() => setOpen(false)}>
            <Icon name="close" size={11} />
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="btn-link attach-open"
          disabled={disabled || attachments.length >= MAX_ATTACHMENTS}
          onClick={() => setOpen(true)}
        >
          <Icon name="plus" size={11} />
          Attach files…
        </button>
      )}
    </div>
  )
}
