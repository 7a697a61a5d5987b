import { useRef, useState, type ReactElement, type ReactNode } from 'react'
import { Icon } from './Icon'

/** One row of a prompt list: its fields, and a key that stays with it as rows come and go. */
export type PromptRow<T extends object> = T & { key: number }

/** The rows of a prompt list and the ways to change them. */
export interface PromptRows<T extends object> {
  rows: PromptRow<T>[]
  update(key: number, change: Partial<T>): void
  add(): void
  remove(key: number): void
}

let nextKey = 0

/** The editable rows of a PromptList: `count` blank rows to start with, and blank ones added. */
export function usePromptRows<T extends object>(count: number, blank: () => T): PromptRows<T> {
  const [rows, setRows] = useState<PromptRow<T>[]>(() => Array.from({ length: count }, () => ({ ...blank(), key: nextKey++ })))
  return {
    rows,
    update: (key, change) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r))),
    add: () => setRows((rs) => [...rs, { ...blank(), key: nextKey++ }]),
    remove: (key) => setRows((rs) => rs.filter((r) => r.key !== key))
  }
}

/** Props of a prompt list. */
export interface PromptListProps<T extends object> {
  list: PromptRows<T>
  legend: string
  /** The most rows: the add button is disabled there. */
  max: number
  addLabel: string
  /** The accessible name of row n's remove button (n from 1). */
  removeLabel: (n: number) => string
  /** Numbers and remove buttons only once there are several rows (a single row is then a plain prompt). */
  numberedWhenSeveral?: boolean
  /** Under the add button. */
  hint?: ReactNode
  /** Added to the fieldset's class, for a dialog's own layout of the fields. */
  className?: string
  /** The fields of row n (from 1): inputs or textareas with class `input`. */
  children: (row: PromptRow<T>, n: number) => ReactNode
}

/** An editable, numbered list of prompts: add a row (focused), remove one, up to `max`. */
export function PromptList<T extends object>(p: PromptListProps<T>): ReactElement {
  const listRef = useRef<HTMLOListElement>(null)
  const { rows } = p.list
  const numbered = !p.numberedWhenSeveral || rows.length > 1
  const add = () => {
    p.list.add()
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>('li:last-child :is(input, textarea)')?.focus())
  }
  return (
    <fieldset className={p.className ? `prompt-list ${p.className}` : 'prompt-list'}>
      <legend className="field-label">{p.legend}</legend>
      <ol ref={listRef} className="prompt-rows">
        {rows.map((r, i) => (
          <li key={r.key} className="prompt-row">
            {numbered && (
              <span className="prompt-index" aria-hidden="true">
                {i + 1}
              </span>
            )}
            {p.children(r, i + 1)}
            {numbered && (
              <button
                type="button"
                className="icon-btn"
                aria-label={p.removeLabel(i + 1)}
                title="Remove"
                onClick={() => p.list.remove(r.key)}
              >
                <Icon name="close" size={12} />
              </button>
            )}
          </li>
        ))}
      </ol>
      <button type="button" className="btn btn-small prompt-add" disabled={rows.length >= p.max} onClick={add}>
        <Icon name="plus" size={12} />
        {p.addLabel}
      </button>
      {p.hint}
    </fieldset>
  )
}
