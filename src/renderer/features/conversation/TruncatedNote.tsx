import type { ReactElement } from 'react'
import { fieldText, type Item, type TruncatedField } from '../../../shared/models'
import { fieldKey, loadMoreOutput, MAX_SHOWN, useItemOutput } from './item-output'

const NAMES: Record<TruncatedField, string> = {
  text: 'text',
  modelText: 'text',
  'tool.output': 'output',
  'tool.diff': 'diff',
  'approval.diff': 'diff'
}

const fmt = (n: number): string => n.toLocaleString('en-US')

/**
 * Under a field the core sent cut short: how much of it shows, and a button that reads the rest with `item/output`
 * ("Show all" when it fits on screen, else "Load more", a slice at a time). `item` is the item as the core sent it.
 */
export function TruncatedNote({ item, field }: { item: Item; field: TruncatedField }): ReactElement | null {
  const cut = item.truncated?.find((t) => t.field === field)
  const loaded = useItemOutput((s) => s.loaded[fieldKey(item.id, field)])
  if (!cut) return null
  const total = Math.max(cut.chars, loaded?.total ?? 0)
  const read = loaded && loaded.text.length > 0 ? loaded.from + loaded.text.length : (fieldText(item, field)?.length ?? 0)
  const name = NAMES[field]
  const whole = read >= total
  const label =
    !loaded?.text && total <= MAX_SHOWN ? `Show all (${fmt(total)} characters)` : `Load more (${fmt(read)} of ${fmt(total)} characters)`
  return (
    <div className="truncated-note" data-field={field}>
      <span>
        {whole
          ? `All ${fmt(total)} characters of the ${name}${loaded && loaded.from > 0 ? ` read (the last ${fmt(loaded.text.length)} shown)` : ' shown'}`
          : loaded && loaded.from > 0
            ? `Showing characters ${fmt(loaded.from + 1)}–${fmt(read)} of ${fmt(total)} of the ${name}`
            : `Showing the first ${fmt(read)} of ${fmt(total)} characters of the ${name}`}
      </span>
      {!whole && (
        <button
          type="button"
          className="btn btn-small"
          disabled={loaded?.loading}
          aria-busy={loaded?.loading || undefined}
          onClick={() => void loadMoreOutput(item, field, total)}
        >
          {loaded?.loading ? 'Loading…' : label}
        </button>
      )}
      {loaded?.error && <span className="truncated-error">{loaded.error}</span>}
    </div>
  )
}
